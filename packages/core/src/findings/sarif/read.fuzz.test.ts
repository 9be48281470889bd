import { deepStrictEqual } from 'node:assert/strict'
import { describe, it } from '@jest/globals'
import {
  check,
  Choices,
  FUZZ_RUNS,
  fuzzReader,
  message,
  reportPath,
  score,
  type ReportPath
} from '../../../../../test/support/report-fuzz.js'
import { parseSarif } from './read.js'

const LEVELS = ['error', 'warning', 'note', 'none']
// `fail` is the default; pass, informational and notApplicable are no problem found (level none).
const KINDS = ['fail', 'pass', 'review', 'open', 'informational', 'notApplicable']
// Tags GitHub and our reader both ignore for severity; severity words in tags are a reader extension.
const TAGS = ['security', 'external/cwe/cwe-79', 'maintainability', 'vulnerability']

/** A uri as SARIF writes it: percent-encoded segments, `file://` for absolute paths. */
function uriOf(c: Choices, path: ReportPath): ReportPath {
  if (path.repo === undefined) {
    return c.weighted([
      [4, () => path],
      [1, () => ({ raw: '%2e%2e/etc/passwd', repo: undefined })]
    ])
  }
  const encoded = path.raw.split('/').map(encodeURIComponent).join('/')
  return { raw: path.raw.startsWith('/') ? `file://${encoded}` : encoded, repo: path.repo }
}

function rule(c: Choices, id: string) {
  const properties: Record<string, unknown> = { tags: c.list(2, () => c.pick(TAGS)) }
  const level = c.weighted<unknown>([
    [3, () => undefined],
    [2, () => score(c)],
    [2, () => score(c).toFixed(1)],
    [1, () => c.pick([0, '0.0', 11, 'high', ''])]
  ])
  if (level !== undefined) properties['security-severity'] = level
  return {
    id,
    shortDescription: { text: `${id} title` },
    ...(c.bool() ? { defaultConfiguration: { level: c.pick(LEVELS) } } : {}),
    properties
  }
}

/** A result naming its rule in one of the ways SARIF allows (always consistently). */
function result(c: Choices, driverRules: { id: string }[], extensionRules: { id: string }[]) {
  const path = uriOf(c, reportPath(c))
  const inExtension = extensionRules.length > 0 && c.int(4) === 0
  const rules = inExtension ? extensionRules : driverRules
  const index = rules.length > 0 ? c.int(rules.length) : undefined
  const id = index === undefined ? `undescribed-${c.int(3)}` : rules[index]!.id
  const reference = inExtension
    ? { rule: { id, index, toolComponent: { index: 0 } } }
    : index === undefined
      ? { ruleId: id }
      : c.pick([{ ruleId: id }, { ruleIndex: index }, { ruleId: id, ruleIndex: index }])
  const line = 1 + c.int(300)
  return {
    id,
    path,
    suppressed: c.pick([[], [], ['inSource'], ['external']]),
    result: {
      ...reference,
      ...(c.bool() ? { level: c.pick(LEVELS) } : {}),
      ...(c.int(4) === 0 ? { kind: c.pick(KINDS) } : {}),
      message: { text: message(c) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: path.raw, ...(c.bool() ? { uriBaseId: 'SRCROOT' } : {}) },
            region: { startLine: line, startColumn: 1, endLine: line + c.int(3), endColumn: 9 }
          }
        }
      ]
    }
  }
}

function run(c: Choices, runIndex: number) {
  const driverRules = c.list(4, i => rule(c, `rule-${runIndex}-${i}`))
  const extensionRules = c.list(2, i => rule(c, `ext-${runIndex}-${i}`))
  // The first choice (0, also what an exhausted stream gives) is the ordinary case.
  const finished = c.int(6) !== 5
  const results = c.list(4, () => result(c, driverRules, extensionRules))
  const failed = c.int(6) === 5
  const category = c.maybe(() => c.pick(['sast/', 'containers/app/', 'deps']))
  return {
    finished,
    failed,
    category,
    results: finished ? results : [],
    run: {
      tool: {
        driver: { name: c.pick(['Trivy', 'Semgrep OSS', 'CodeQL', 'grype', 'x-tool']), rules: driverRules },
        ...(extensionRules.length > 0 ? { extensions: [{ name: 'pack', rules: extensionRules }] } : {})
      },
      ...(category ? { automationDetails: { id: category } } : {}),
      invocations: [{ executionSuccessful: !failed }],
      ...(finished
        ? {
            results: results.map(r => ({
              ...r.result,
              ...(r.suppressed.length > 0 ? { suppressions: r.suppressed.map(kind => ({ kind })) } : {})
            }))
          }
        : {})
    }
  }
}

function generate(c: Choices) {
  // At least one run: `runs: []` is the gate's to refuse (it means no tool ran at all).
  const runs = Array.from({ length: 1 + c.int(2) }, (_, i) => run(c, i))
  return { runs, raw: { version: '2.1.0', runs: runs.map(r => r.run) } }
}

describe('SARIF reader, fuzzed', () => {
  it(`reads ${FUZZ_RUNS} generated logs as GitHub code scanning reads them; any cut is a broken input`, () => {
    fuzzReader({
      format: 'sarif',
      generate,
      parse: (text, workspace) => parseSarif(text, 'log.sarif', { workspace }),
      expect: (parsed, { runs }) => {
        check(parsed.tools.length === runs.length, 'one tool per run', parsed.tools.length)
        deepStrictEqual(
          parsed.findings.map(f => ({
            id: f.ruleId,
            path: f.location?.path,
            suppressed: f.suppressions.map(s => s.kind),
            category: f.category
          })),
          runs.flatMap(r =>
            r.results.map(x => ({
              id: x.id,
              path: x.path.repo,
              suppressed: x.suppressed,
              category: r.category?.endsWith('/') ? r.category.slice(0, -1) : r.category
            }))
          )
        )
        // A run that did not finish or says it failed has an error problem each: never a clean run.
        const broken = runs.map(r => Number(!r.finished) + Number(r.failed)).reduce((a, b) => a + b, 0)
        check(
          parsed.problems.filter(p => p.level === 'error').length === broken,
          'error problems',
          parsed.problems
        )
      }
    })
  })
})
