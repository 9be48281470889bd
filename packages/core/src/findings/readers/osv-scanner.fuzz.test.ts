import { deepStrictEqual } from 'node:assert/strict'
import { describe, it } from '@jest/globals'
import { CVSS_V3_BASE_SCORES } from '../../../../../test/support/expected-findings.js'
import {
  check,
  Choices,
  FUZZ_RUNS,
  fuzzReader,
  identifier,
  message,
  reportPath,
  score
} from '../../../../../test/support/report-fuzz.js'

const WORDS = ['LOW', 'MODERATE', 'HIGH', 'CRITICAL']
const V3_VECTORS = Object.keys(CVSS_V3_BASE_SCORES)
const OTHER_VECTORS = [
  { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
  { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }
]

function record(c: Choices, id: string, name: string) {
  return {
    id,
    aliases: c.list(2, () => identifier(c)),
    summary: c.maybe(() => message(c)),
    affected: [
      { package: { name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '9.9.9' }] }] }
    ],
    severity: c.list(2, () =>
      c.weighted([
        [3, () => ({ type: 'CVSS_V3', score: c.pick(V3_VECTORS) })],
        [1, () => c.pick(OTHER_VECTORS)]
      ])
    ),
    ...(c.bool() ? { database_specific: { severity: c.pick(WORDS), cwe_ids: ['CWE-400'] } } : {})
  }
}

/** One package: its records, split into osv-scanner's groups (or no groups at all, as older outputs). */
function pkg(c: Choices) {
  const name = c.pick(['golang.org/x/net', 'regex', 'lodash'])
  const ids = [...new Set(c.list(3, () => identifier(c)))]
  const vulnerabilities = ids.map(id => record(c, id, name))
  const groups: string[][] = []
  for (const id of ids) {
    if (groups.length > 0 && c.bool()) groups[c.int(groups.length)]!.push(id)
    else groups.push([id])
  }
  const grouped = c.int(4) !== 0
  return {
    package: { name, version: c.pick(['0.1.0', '1.5.1']), ecosystem: c.pick(['Go', 'crates.io', 'npm']) },
    vulnerabilities,
    ...(grouped
      ? {
          groups: groups.map(g => ({
            ids: g,
            aliases: g,
            ...c.weighted<object>([
              [2, () => ({})],
              [2, () => ({ max_severity: score(c).toFixed(1) })],
              [1, () => ({ max_severity: '' })]
            ])
          }))
        }
      : {})
  }
}

function generate(c: Choices) {
  const results = c.list(2, () => ({ path: reportPath(c), packages: c.list(3, () => pkg(c)) }))
  const raw = {
    results: results.map(r => ({ source: { path: r.path.raw, type: 'lockfile' }, packages: r.packages }))
  }
  return { results, raw }
}

describe('osv-scanner JSON reader, fuzzed', () => {
  it(`reads ${FUZZ_RUNS} generated reports as osv-scanner rates them; any cut is a broken input`, () => {
    fuzzReader({
      format: 'osv-scanner-json',
      generate,
      expect: (parsed, { results }) => {
        // One finding per group, its first id the rule; without groups, one per record.
        const want = results.flatMap(r =>
          r.packages.flatMap(p =>
            (p.groups?.map(g => g.ids) ?? p.vulnerabilities.map(v => [v.id])).map(ids => ({
              ids,
              name: p.package.name,
              path: r.path.repo
            }))
          )
        )
        deepStrictEqual(
          parsed.findings.map(f => ({ id: f.ruleId, name: f.package?.name, path: f.location?.path })),
          want.map(w => ({ id: w.ids[0], name: w.name, path: w.path }))
        )
        parsed.findings.forEach((f, i) => {
          for (const id of want[i]!.ids.slice(1))
            check(f.aliases.includes(id), 'group id missing from aliases', id)
          check(!f.aliases.includes(f.ruleId), 'the rule id is also an alias', f.ruleId)
          deepStrictEqual(f.package?.fixedVersions, ['9.9.9'])
        })
      }
    })
  })
})
