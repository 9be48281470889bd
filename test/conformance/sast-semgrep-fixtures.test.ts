import { expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import type { Finding } from '../../packages/core/src/findings/finding.js'
import { memoryLogger } from '../../packages/core/src/runtime/logger.js'
import { SemgrepEngine } from '../../packages/core/src/sast/engine.js'
import { normalizeEngineReport } from '../../packages/core/src/sast/normalize.js'
import { runSastScan } from '../../packages/core/src/sast/scan.js'
import { workspaceSource } from '../../packages/core/src/sast/sources.js'
import { loadRulePack } from '../../packages/core/src/sast/rule-pack.js'
import { parseSarif } from '../../packages/core/src/findings/sarif/read.js'
import { buildSarifLog, serializeSarif } from '../../packages/core/src/findings/sarif/write.js'
import { expected, type Json } from '../support/expected-findings.js'
import { describeWithSharedFixtures, REPO_ROOT, sharedFixture } from '../support/shared-fixtures.js'

const pack = loadRulePack(path.join(REPO_ROOT, 'rules'))
const key = (f: Finding) =>
  `${f.ruleId}|${f.location?.path}|${f.location?.startLine}|${f.severity}|${f.suppressions.length}`

/** Write our SARIF from findings and read it back: nothing may be lost or re-graded on the way. */
function roundTrip(findings: Finding[], tool: string): Finding[] {
  const text = serializeSarif(buildSarifLog([{ tool: { name: tool }, category: 'sast', findings }]))
  return parseSarif(text, 'round-trip.sarif').findings
}

describeWithSharedFixtures('sast normalization over Semgrep/Opengrep outputs (shared fixtures)', () => {
  const dir = sharedFixture('scanners', 'semgrep')
  const workspace = mkdtempSync(path.join(tmpdir(), 'sast-conf-'))

  it.each(['django-password-cwe.json', 'taint-dataflow-traces.json'])(
    '%s: every result kept with its severity, unique fingerprints',
    file => {
      const text = readFileSync(path.join(dir, file), 'utf8')
      const raw = JSON.parse(text) as Json
      const ours = normalizeEngineReport(text, file, {
        engine: 'semgrep',
        pack,
        readSource: workspaceSource(workspace)
      })
      expect(ours.findings.length).toBeGreaterThan(0)
      expect(ours.findings.map(f => f.ruleId).sort()).toEqual(raw.results.map((r: Json) => r.check_id).sort())
      // Not our rules: the engine's own grading stands, as the oracle reads Semgrep's documented field.
      expect(ours.findings.map(f => f.severity).sort()).toEqual(expected(raw).severities.sort())
      expect(new Set(ours.findings.map(f => f.fingerprint)).size).toBe(ours.findings.length)
      expect(ours.problems).toEqual([])
      const back = roundTrip(ours.findings, 'semgrep')
      expect(back.map(key).sort()).toEqual(ours.findings.map(key).sort())
      expect(back.map(f => f.fingerprint).sort()).toEqual(ours.findings.map(f => f.fingerprint).sort())
    }
  )

  it('django fixture keeps the CWE from rule metadata', () => {
    const text = readFileSync(path.join(dir, 'django-password-cwe.json'), 'utf8')
    const ours = normalizeEngineReport(text, 'django', {
      engine: 'semgrep',
      pack,
      readSource: workspaceSource(workspace)
    })
    const cwes = (JSON.parse(text) as Json).results.map((r: Json) => [
      /^CWE-\d+/.exec(r.extra.metadata.cwe)![0]
    ])
    expect(cwes.length).toBeGreaterThan(0)
    expect(ours.findings.map(f => f.cwe)).toEqual(cwes)
  })

  it.each(['opengrep-nosemgrep-suppressions-and-error.sarif', 'rules-with-metadata-tags.sarif'])(
    '%s: findings, levels and nosemgrep suppressions survive our SARIF writer',
    file => {
      const text = readFileSync(path.join(dir, file), 'utf8')
      const raw = JSON.parse(text) as Json
      const read = parseSarif(text, file)
      // Semgrep SARIF puts severity only in rules[].defaultConfiguration.level, as the oracle reads it.
      expect(read.findings.map(f => f.severity)).toEqual(expected(raw).severities)
      expect(read.findings.length).toBeGreaterThan(0)
      const back = roundTrip(read.findings, read.tools[0]?.name ?? 'semgrep')
      expect(back.map(key).sort()).toEqual(read.findings.map(key).sort())
    }
  )

  it('the opengrep nosemgrep result stays suppressed in source', () => {
    const text = readFileSync(path.join(dir, 'opengrep-nosemgrep-suppressions-and-error.sarif'), 'utf8')
    const back = roundTrip(parseSarif(text, 'og').findings, 'opengrep')
    expect(back[0]?.suppressions).toEqual([expect.objectContaining({ kind: 'inSource' })])
  })

  it('the SARIF of a real scan of examples/app is valid SARIF 2.1.0 (OASIS schema, formats checked)', async () => {
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
      addFormatsModule) as unknown as (ajv: Ajv) => Ajv
    // Draft-04 spellings adapted for Ajv's default draft, as in sarif-schema.test.ts.
    const {
      $schema: _draft,
      id,
      ...schema
    } = JSON.parse(
      readFileSync(sharedFixture('scanners', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')
    ) as Record<string, unknown>
    const validate = addFormats(new Ajv({ strict: false, allErrors: true })).compile({
      ...schema,
      $id: id as string
    })
    const tools =
      process.env.SECURE_PIPELINE_TOOLS_DIR ??
      path.join(process.env.HOME ?? '', '.cache', 'secure-pipeline', 'tools')
    const engine = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: path.join(tools, 'bin', 'semgrep'),
      logger: memoryLogger()
    })
    const result = await runSastScan(engine, {
      workspace: REPO_ROOT,
      scanPath: 'examples/app',
      pack,
      userConfigs: [],
      languages: undefined,
      exclude: [],
      mode: { kind: 'full', reason: 'conformance' },
      ruleTimeoutSeconds: 30,
      deadlineMs: 110_000,
      logger: memoryLogger()
    })
    const log = JSON.parse(serializeSarif(result.sarif)) as unknown
    const valid = validate(log)
    expect(validate.errors ?? []).toEqual([])
    expect(valid).toBe(true)
    expect(parseSarif(log, 'sast.sarif').findings.map(key).sort()).toEqual(result.findings.map(key).sort())
  }, 120_000)
})
