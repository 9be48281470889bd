import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../finding.js'
import { computeFingerprint } from '../fingerprint.js'
import {
  buildSarifLog,
  encodePath,
  formatSecuritySeverity,
  levelForSeverity,
  serializeSarif
} from './write.js'

function finding(overrides: Partial<Finding>): Finding {
  const base: Omit<Finding, 'fingerprint'> = {
    ruleId: 'rule-1',
    aliases: [],
    message: 'something is wrong',
    severity: 'high',
    kind: 'code',
    scanner: 'semgrep',
    partialFingerprints: {},
    suppressions: [],
    cwe: [],
    tags: [],
    location: { path: 'src/app.ts', startLine: 3, startColumn: 5, endLine: 4, endColumn: 2 },
    ...overrides
  }
  return { ...base, fingerprint: overrides.fingerprint ?? computeFingerprint(base) }
}

describe('buildSarifLog', () => {
  const code = finding({ partialFingerprints: { 'matchBasedId/v1': 'abc' }, cwe: ['CWE-89'], title: 'SQLi' })
  const image = finding({
    ruleId: 'CVE-2024-1',
    kind: 'image',
    severity: 'critical',
    securitySeverity: 9.8,
    scanner: 'trivy',
    location: undefined,
    image: 'ghcr.io/o/app:1.0@sha256:' + 'a'.repeat(64),
    package: { name: 'openssl', installedVersion: '1.0', fixedVersions: ['1.1'] }
  })
  const log = buildSarifLog([
    {
      tool: { name: 'secure-pipeline', version: '1.2.3', informationUri: 'https://example.test/tool' },
      category: 'sast',
      rules: [
        { id: 'rule-1', shortDescription: 'Rule one', help: 'Fix it', severity: 'medium', precision: 'high' }
      ],
      findings: [code, image],
      problems: [{ level: 'error', message: 'rule parse failed' }]
    }
  ])
  const run = log.runs[0]!

  it('writes SARIF 2.1.0 with schema, driver, category and rules for every result', () => {
    expect(log.version).toBe('2.1.0')
    expect(log.$schema).toContain('sarif-schema-2.1.0.json')
    expect(run.tool.driver).toMatchObject({ name: 'secure-pipeline', version: '1.2.3' })
    expect(run.automationDetails).toEqual({ id: 'sast/' })
    expect(run.tool.driver.rules!.map(r => r.id)).toEqual(['rule-1', 'CVE-2024-1'])
    expect(run.tool.driver.rules![0]).toMatchObject({
      defaultConfiguration: { level: 'warning' },
      help: { text: 'Fix it' },
      properties: { 'security-severity': '4.0', precision: 'high' }
    })
    expect(run.tool.driver.rules![1]!.properties).toMatchObject({ 'security-severity': '9.8' })
  })

  it('maps level from the finding severity and keeps ruleIndex consistent', () => {
    expect(run.results!.map(r => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ['rule-1', 0, 'error'],
      ['CVE-2024-1', 1, 'error']
    ])
  })

  it('keeps scanner fingerprints and adds ours', () => {
    expect(run.results![0]!.partialFingerprints).toEqual({
      'matchBasedId/v1': 'abc',
      'securePipeline/v1': code.fingerprint
    })
  })

  it('writes the region and a synthetic location for image findings', () => {
    expect(run.results![0]!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'src/app.ts', uriBaseId: 'SRCROOT' },
      region: { startLine: 3, startColumn: 5, endLine: 4, endColumn: 2 }
    })
    expect(run.results![1]!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'ghcr.io/o/app', uriBaseId: 'SRCROOT' },
      region: { startLine: 1 }
    })
    expect(run.results![1]!.properties!['secure-pipeline']).toMatchObject({ syntheticLocation: true })
  })

  it('uses fallbackPath for findings without a file', () => {
    const other = buildSarifLog([{ tool: { name: 't' }, findings: [image], fallbackPath: 'Dockerfile' }])
    expect(other.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe(
      'Dockerfile'
    )
  })

  it('turns problems into notifications and fails the invocation on errors', () => {
    expect(run.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [{ level: 'error', message: { text: 'rule parse failed' } }]
      }
    ])
  })

  it('stores our normalized fields under one property key', () => {
    expect(run.results![1]!.properties!['secure-pipeline']).toMatchObject({
      severity: 'critical',
      securitySeverity: 9.8,
      kind: 'image',
      scanner: 'trivy',
      package: { name: 'openssl', installedVersion: '1.0', fixedVersions: ['1.1'] },
      fingerprint: image.fingerprint
    })
  })

  it('serializes compactly', () => {
    expect(serializeSarif(log)).not.toContain('\n')
    expect(JSON.parse(serializeSarif(log, true))).toEqual(log)
  })
})

describe('helpers', () => {
  it('maps severities to levels', () => {
    expect(['critical', 'high', 'medium', 'low', 'info'].map(s => levelForSeverity(s as never))).toEqual([
      'error',
      'error',
      'warning',
      'note',
      'note'
    ])
  })
  it('formats scores with one decimal, clamped', () => {
    expect([7, 9.81, 11, -1].map(formatSecuritySeverity)).toEqual(['7.0', '9.8', '10.0', '0.0'])
  })
  it('percent-encodes path segments', () => {
    expect(encodePath('dir with space/a#b.ts')).toBe('dir%20with%20space/a%23b.ts')
    expect(encodePath('win\\path\\x.ts')).toBe('win/path/x.ts')
    expect(encodePath("src/a-b_c.d!e~f*g'h(i)/J0.ts")).toBe("src/a-b_c.d!e~f*g'h(i)/J0.ts")
    expect(encodePath('a$b+c,d;e=f:g@h&i%j?k[l]é.ts')).toBe(
      'a%24b%2Bc%2Cd%3Be%3Df%3Ag%40h%26i%25j%3Fk%5Bl%5D%C3%A9.ts'
    )
  })
})
