import { beforeAll, expect, it } from '@jest/globals'
import type { Ajv, ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import type { Finding, ScanReport } from '../../packages/core/src/findings/finding.js'
import { readReportFile } from '../../packages/core/src/findings/read-report.js'
import type { RunInput } from '../../packages/core/src/findings/sarif/model.js'
import { parseSarif } from '../../packages/core/src/findings/sarif/read.js'
import { buildSarifLog, serializeSarif } from '../../packages/core/src/findings/sarif/write.js'
import {
  compileSarifSchema,
  SARIF_SCHEMA_FILE,
  SARIF_SCHEMA_SHA256
} from '../../packages/core/src/gate/sarif-schema.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { describeWithSharedFixtures, sharedFixture } from '../support/shared-fixtures.js'

// ajv-formats is CommonJS: under NodeNext its types describe the module object, at runtime it is the plugin.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv

const SCANNERS = sharedFixture('scanners')
const files = (ext: RegExp) =>
  (readdirSync(SCANNERS, { recursive: true }) as string[])
    .filter(file => ext.test(file) && path.basename(file) !== 'sarif-schema-2.1.0.json')
    .sort()

/**
 * The validator the gate uses, over the OASIS schema it keeps in the repository (draft-04, read by
 * ajv-draft-04). Upstream samples are checked the way they were vetted (python-jsonschema Draft4Validator,
 * which does not assert `format`): osv-scanner's snapshot has a `file://<rootdir>/…` placeholder that is
 * no valid URI. Our own output is held to the stricter bar, formats included (uri, uri-reference, date-time).
 */
function compileSarifValidator(checkFormats: boolean): ValidateFunction {
  return compileSarifSchema({ allErrors: true, addFormats: checkFormats ? addFormats : undefined })
}

function errorsOf(validate: ValidateFunction, log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`)
}

/** One run per (tool, category) in first-seen order, the way the gate writes them. */
function toRuns(report: ScanReport): RunInput[] {
  const runs = new Map<string, RunInput>()
  for (const finding of report.findings) {
    const key = `${finding.scanner}\u0000${finding.category ?? ''}`
    let run = runs.get(key)
    if (!run) {
      run = { tool: { name: finding.scanner }, category: finding.category, findings: [] }
      runs.set(key, run)
    }
    run.findings.push(finding)
  }
  if (runs.size === 0)
    return [{ tool: report.tools[0] ?? { name: 'none' }, findings: [], problems: report.problems }]
  const [first] = runs.values()
  first!.problems = report.problems
  return [...runs.values()]
}

const byIdentity = (a: Finding, b: Finding) =>
  (a.fingerprint + a.ruleId + a.message).localeCompare(b.fingerprint + b.ruleId + b.message)
const sorted = (findings: Finding[]) => [...findings].sort(byIdentity)

describeWithSharedFixtures('SARIF 2.1.0 schema and round trip', () => {
  let validate: ValidateFunction
  let validateSample: ValidateFunction
  beforeAll(() => {
    validate = compileSarifValidator(true)
    validateSample = compileSarifValidator(false)
  })

  it('keeps the OASIS schema in the repository, byte for byte the published one', () => {
    const kept = readFileSync(path.join(REPO_ROOT, 'packages/core/src/gate', SARIF_SCHEMA_FILE))
    expect(createHash('sha256').update(kept).digest('hex')).toBe(SARIF_SCHEMA_SHA256)
    expect(kept.equals(readFileSync(sharedFixture('scanners', 'sarif', 'sarif-schema-2.1.0.json')))).toBe(
      true
    )
  })

  it('the schema check can fail', () => {
    expect(errorsOf(validate, { version: '2.1.0', runs: [{ tool: {} }] })).not.toEqual([])
    expect(errorsOf(validate, { version: '2.0.0', runs: [] })).not.toEqual([])
    const badResult = {
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'a' }] }]
    }
    expect(errorsOf(validate, badResult).join()).toMatch(/message/)
    const badUri = {
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'x', informationUri: 'not a uri' } } }]
    }
    expect(errorsOf(validate, badUri).join()).toMatch(/format/)
    expect(errorsOf(validateSample, badUri)).toEqual([])
  })

  it.each(files(/\.sarif$/))('%s validates, and parse → write → parse keeps every finding', file => {
    const text = readFileSync(path.join(SCANNERS, file), 'utf8')
    expect(errorsOf(validateSample, JSON.parse(text))).toEqual([])
    const first = parseSarif(text, file)
    const written = buildSarifLog(toRuns(first))
    expect(errorsOf(validate, written)).toEqual([])
    const second = parseSarif(serializeSarif(written), file)
    expect(sorted(second.findings)).toEqual(sorted(first.findings))
    expect(second.problems).toEqual(first.problems)
  })

  it.each(files(/\.json$/))('our SARIF for %s validates and reads back the same findings', file => {
    const report = readReportFile(path.join(SCANNERS, file), { source: file })
    const written = buildSarifLog(toRuns(report))
    expect(errorsOf(validate, written)).toEqual([])
    expect(written.runs.flatMap(run => run.results ?? [])).toHaveLength(report.findings.length)
    const reread = parseSarif(serializeSarif(written), file)
    expect(sorted(reread.findings)).toEqual(sorted(report.findings))
  })
})
