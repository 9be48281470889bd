import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { renderGfm } from '../../../../../test/support/gfm.js'
import { ConfigurationError } from '../../runtime/errors.js'
import { JobSummary } from '../../runtime/job-summary.js'
import { memoryLogger } from '../../runtime/logger.js'
import { defaultOptions } from '../options.js'
import { RULES } from '../rules/catalog.js'
import { exportAdmission, FORMAT_FILES, ruleSetVersion } from './export.js'
import { EXPORT_FORMATS, parseExportFormats } from './format-option.js'
import { summarizeExport, writeAdmissionExport } from './write.js'

const ALL = [...EXPORT_FORMATS]

const strict = () =>
  defaultOptions({
    rules: new Set(['image-digest', 'allowed-registries', 'privileged-container', 'pss-privileged']),
    allowedRegistries: ['registry:5000/team/'],
    limits: { cpu: true, memory: true, maxCpu: '750m' }
  })

describe('exportAdmission', () => {
  it('gives the same bytes for the same options, whatever order the rules were selected in', () => {
    const a = exportAdmission(strict(), ALL)
    const reordered = strict()
    reordered.rules = new Set([...reordered.rules].reverse())
    const b = exportAdmission(reordered, ['vap', 'kyverno', 'gatekeeper'])
    expect(b.files).toEqual(a.files)
    expect(a.exported).toEqual([
      'privileged-container',
      'allowed-registries',
      'image-digest',
      'pss-privileged'
    ])
  })

  it('heads every policy file with the rule set version and the options', () => {
    const { files } = exportAdmission(strict(), ALL)
    for (const format of ALL) {
      const file = files.find(f => f.path === FORMAT_FILES[format])!
      const header = file.content.split('\n---\n')[0]!
      expect(header).toContain(`Rule set ${ruleSetVersion()}`)
      expect(header).toContain('allowed-registries: registry:5000/team/')
      expect(header).toContain('cpu limit: required, at most 750m')
      expect(header).toContain(`(${format})`)
    }
  })

  it('keeps an option value with a line break inside its header comment', () => {
    const evil = 'x\r{apiVersion: v1, kind: ConfigMap, metadata: {name: evil}}\u2028kind: Secret\u0085y'
    const options = defaultOptions({ rules: new Set(['privileged-container']), exemptImages: [evil] })
    for (const file of exportAdmission(options, ALL).files.filter(f => f.path.endsWith('.yaml'))) {
      const header = file.content.split('\n---\n')[0]!
      expect(header).toMatch(/^#[\x20-\x7e]*(\n#[\x20-\x7e]*)*$/)
      expect(header).toContain('x\\u{d}{apiVersion: v1, kind: ConfigMap')
      for (const version of ['1.1', '1.2'] as const)
        expect(parseAllDocuments(file.content, { version }).map(d => d.toJS()?.kind)).not.toContain(
          'ConfigMap'
        )
    }
  })

  it('writes text that YAML 1.1, as Kubernetes reads it, and YAML 1.2 read as the same documents', () => {
    const options = defaultOptions({
      rules: new Set(RULES.map(rule => rule.id)),
      allowedRegistries: ['r.io/']
    })
    for (const file of exportAdmission(options, ALL).files.filter(f => f.path.endsWith('.yaml'))) {
      const read = (version: '1.1' | '1.2') => parseAllDocuments(file.content, { version }).map(d => d.toJS())
      expect(read('1.1')).toEqual(read('1.2'))
      expect(read('1.2').length).toBeGreaterThan(RULES.length / 2)
    }
  })

  it('writes documents Kubernetes can read: one kind per document, names within the 63-character limit', () => {
    const { files } = exportAdmission(defaultOptions({ rules: new Set(strict().rules) }), ALL)
    const docs = files
      .filter(f => f.path.endsWith('.yaml'))
      .flatMap(f =>
        parseAllDocuments(f.content).map(d => d.toJS() as { kind: string; metadata: { name: string } })
      )
    const kinds = new Set(docs.map(d => d.kind))
    expect([...kinds].sort()).toEqual(
      [
        'ConstraintTemplate',
        'ExpansionTemplate',
        'SecurePipelineAllowedRegistries',
        'SecurePipelineImageDigest',
        'SecurePipelinePrivilegedContainer',
        'SecurePipelinePssPrivileged',
        'ValidatingAdmissionPolicy',
        'ValidatingAdmissionPolicyBinding',
        'ValidatingPolicy'
      ].sort()
    )
    for (const doc of docs) expect(doc.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)
  })

  it('parses image references instead of looking for a colon anywhere', () => {
    const { files } = exportAdmission(defaultOptions({ rules: new Set(['image-untagged']) }), ALL)
    for (const file of files) expect(file.content).not.toContain("contains(':')")
  })

  it('lists the rules it cannot express, in the README, never dropping them', () => {
    const result = exportAdmission(
      defaultOptions({
        rules: new Set(['pss-privileged', 'required-probes']),
        probes: { required: ['livenessProbe'], handlers: ['http-get'] }
      }),
      ALL
    )
    expect(result.exported).toEqual(['pss-privileged'])
    expect(result.notExportable.map(n => n.id)).toEqual(['required-probes'])
    const readme = result.files.find(f => f.path === 'README.md')!.content
    expect(readme).toContain("- `required-probes`: probe or handler name 'http-get'")
  })

  it('lists the k8s rule exceptions it cannot turn into exclusions, and no others', () => {
    const exception = { reason: 'r', owner: 'o', expires: '2030-01-01' }
    const result = exportAdmission(strict(), ['vap'], {
      entries: [
        { ...exception, id: 'privileged-container', path: 'deploy/**', namespace: 'shop' },
        { ...exception, rule: 'image-digest' },
        { ...exception, id: 'CVE-2024-0001' },
        { ...exception, id: 'image-digest', namespace: 'shop', expires: '2029-12-31' },
        { ...exception, id: 'pss-host-ports', namespace: 'shop' }
      ],
      today: '2030-01-01'
    })
    expect(result.exceptionsNotExported.map(e => [e.entry.id ?? e.entry.rule, e.reason])).toEqual([
      ['privileged-container', expect.stringContaining('also scoped by path')],
      ['image-digest', expect.stringContaining('names no namespace or workload')],
      ['image-digest', 'expired on 2029-12-31: it waives nothing in CI either'],
      ['pss-host-ports', 'names no rule of this export']
    ])
    expect(result.exceptionsExported).toEqual([])
    const readme = result.files.find(f => f.path === 'README.md')!.content
    expect(readme).toContain(
      '- `pss-host-ports, namespace shop` (owner o, expires 2030-01-01): names no rule of this export'
    )
  })

  it('lists an exception owner as text in the README: no image, link or mention', () => {
    const owner = '<img src=x> [Approve](https://evil.example) @octo-org/security'
    const result = exportAdmission(strict(), ['vap'], {
      entries: [{ reason: 'r', owner, expires: '2030-01-01', id: 'pss-host-ports', namespace: 'shop' }],
      today: '2030-01-01'
    })
    const html = renderGfm(result.files.find(f => f.path === 'README.md')!.content)
    expect(html).toContain('owner &lt;img src=x&gt; [Approve](https://evil.example) @')
    expect(html).not.toMatch(/<img|<a |@octo-org/)
  })

  it('turns an exception naming a namespace or workload into an exclusion of the rules it names, in every format', () => {
    const exception = { reason: 'r', owner: 'o', expires: '2030-01-01' }
    const result = exportAdmission(strict(), ALL, {
      entries: [
        { ...exception, id: 'image-*', namespace: 'legacy' },
        { ...exception, id: 'allowed-registries', workload: 'Deployment/web', namespace: 'shop' }
      ],
      today: '2029-06-01'
    })
    expect(result.exceptionsExported.map(e => [e.entry.id, e.rules])).toEqual([
      ['image-*', ['image-digest']],
      ['allowed-registries', ['allowed-registries']]
    ])
    for (const file of result.files.filter(f => f.path.endsWith('.yaml'))) {
      type Condition = { name: string; expression: string }
      type Doc = {
        metadata: { name: string }
        spec: {
          matchConditions?: Condition[]
          targets?: { code: { source: { matchCondition?: Condition[] } }[] }[]
        }
      }
      const docs = parseAllDocuments(file.content).map(d => d.toJS() as Doc)
      const conditions = (name: string) =>
        docs
          .filter(
            d =>
              d.metadata.name === `secure-pipeline-${name}` ||
              d.metadata.name === `securepipeline${name.replace(/-/g, '')}`
          )
          .flatMap(d => d.spec.matchConditions ?? d.spec.targets?.[0]?.code[0]?.source.matchCondition ?? [])
          .filter(c => c.name === 'not-excepted')
          .map(c => c.expression)
      expect(conditions('image-digest')).toEqual([
        "!((has(object.metadata.namespace) && object.metadata.namespace == 'legacy'))"
      ])
      const registries = conditions('allowed-registries')
      expect(registries).toHaveLength(1)
      expect(registries[0]).toContain("object.metadata.namespace == 'shop'")
      expect(registries[0]).toContain("r.kind == 'Deployment' && r.name == 'web'")
      expect(registries[0]).toContain(
        "r.kind == 'ReplicaSet' && r.name == 'web-' + object.metadata.labels['pod-template-hash']"
      )
      expect(conditions('privileged-container')).toEqual([])
    }
  })
})

describe('writeAdmissionExport', () => {
  let workspace: string
  beforeEach(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'admission-export-'))
  })
  afterEach(() => rmSync(workspace, { recursive: true, force: true }))

  it('writes the chosen formats and removes a stale file of a format no longer chosen', () => {
    const dir = path.join(workspace, 'out', 'admission')
    mkdirSync(path.join(dir, 'gatekeeper'), { recursive: true })
    writeFileSync(path.join(dir, FORMAT_FILES.gatekeeper), 'stale')
    const written = writeAdmissionExport(workspace, dir, ['vap'], exportAdmission(strict(), ['vap']))
    expect(written).toEqual([
      'out/admission/validating-admission-policy/policies.yaml',
      'out/admission/README.md'
    ])
    expect(existsSync(path.join(dir, FORMAT_FILES.gatekeeper))).toBe(false)
    expect(readFileSync(path.join(dir, FORMAT_FILES.vap), 'utf8')).toContain(
      'ValidatingAdmissionPolicyBinding'
    )
  })

  it('never writes through a directory link the pull request committed', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'admission-outside-'))
    try {
      symlinkSync(outside, path.join(workspace, 'policies'))
      expect(() =>
        writeAdmissionExport(
          workspace,
          path.join(workspace, 'policies'),
          ['vap'],
          exportAdmission(strict(), ['vap'])
        )
      ).toThrow(ConfigurationError)
      expect(existsSync(path.join(outside, FORMAT_FILES.vap))).toBe(false)
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })

  it('never deletes a stale format file through a link, not even in a format subdirectory', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'admission-outside-'))
    const victim = path.join(outside, 'policies.yaml')
    try {
      writeFileSync(victim, 'not the export')
      const dir = path.join(workspace, 'policies')
      mkdirSync(dir)
      symlinkSync(outside, path.join(dir, 'gatekeeper'))
      expect(() => writeAdmissionExport(workspace, dir, ['vap'], exportAdmission(strict(), ['vap']))).toThrow(
        ConfigurationError
      )
      expect(readFileSync(victim, 'utf8')).toBe('not the export')
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })
})

describe('parseExportFormats', () => {
  it('reads a list or all, and names the input when a format is unknown', () => {
    expect(parseExportFormats('export-format', undefined)).toEqual(ALL)
    expect(parseExportFormats('export-format', 'VAP, gatekeeper')).toEqual(['gatekeeper', 'vap'])
    expect(() => parseExportFormats('export-format', 'opa')).toThrow(
      "Input 'export-format' takes gatekeeper, kyverno, vap or all; got 'opa'."
    )
  })
})

describe('summarizeExport', () => {
  it('names the rules that are checked in CI only', () => {
    const summary = new JobSummary()
    const logger = memoryLogger()
    const options = defaultOptions({
      rules: new Set(['pss-privileged', 'required-probes']),
      probes: { required: ['livenessProbe'], handlers: ['http-get'] }
    })
    summarizeExport(summary, logger, 'out/admission', ALL, exportAdmission(options, ALL))
    expect(summary.render()).toContain("- `required-probes`: probe or handler name 'http-get'")
    expect(logger.lines.join('\n')).toContain(
      'not in the exported admission policies; see out/admission/README.md: required-probes'
    )
  })
})
