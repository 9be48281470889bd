import { deepStrictEqual } from 'node:assert/strict'
import { describe, it } from '@jest/globals'
import {
  check,
  Choices,
  FUZZ_RUNS,
  fuzzReader,
  identifier,
  score
} from '../../../../../test/support/report-fuzz.js'

const SOURCES = ['ghsa', 'nvd', 'redhat', 'ubuntu']
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info', 'none', 'unknown']
const COMPONENTS = [
  { 'bom-ref': 'pkg:npm/jquery@3.3.9', name: 'jquery', version: '3.3.9', purl: 'pkg:npm/jquery@3.3.9' },
  { 'bom-ref': 'ref-lodash', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
  { 'bom-ref': 'ref-musl', name: 'musl', version: '1.1.22-r3', purl: 'pkg:apk/alpine/musl@1.1.22-r3' }
]
/** An affected ref and the package name it must read as: a component, else the purl, else the ref itself. */
const REFS = [
  ...COMPONENTS.map(c => ({ ref: c['bom-ref'], name: c.name })),
  { ref: 'pkg:npm/%40scope/left-pad@1.0.0', name: '@scope/left-pad' },
  { ref: 'an-unknown-ref', name: 'an-unknown-ref' }
]

function rating(c: Choices, source: string) {
  return {
    source: { name: source },
    ...(c.int(4) !== 0 ? { severity: c.pick(SEVERITIES) } : {}),
    ...(c.bool() ? { score: score(c), method: c.pick(['CVSSv31', 'CVSSv3', 'CVSSv2']) } : {})
  }
}

function vulnerability(c: Choices) {
  const own = c.maybe(() => c.pick(SOURCES))
  const ratings = c.list(3, () => rating(c, c.pick(SOURCES)))
  // Most real BOMs carry a rating from the vulnerability's own source; some do not.
  if (own && c.int(4) !== 0) ratings.splice(c.int(ratings.length + 1), 0, rating(c, own))
  const affects = c.list(3, () => c.pick(REFS))
  return {
    affects,
    vulnerability: {
      id: identifier(c),
      ...(own ? { source: { name: own } } : {}),
      ratings,
      cwes: c.list(2, () => c.pick([79, 400])),
      affects: affects.map(a => ({ ref: a.ref }))
    }
  }
}

function generate(c: Choices) {
  const vulnerabilities = c.list(5, () => vulnerability(c))
  const raw = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    metadata: { tools: { components: [{ type: 'application', name: 'trivy', version: '0.66.0' }] } },
    components: COMPONENTS,
    vulnerabilities: vulnerabilities.map(v => v.vulnerability)
  }
  return { vulnerabilities, raw }
}

describe('CycloneDX reader, fuzzed', () => {
  it(`reads ${FUZZ_RUNS} generated BOMs by each vulnerability's own rating; any cut is a broken input`, () => {
    fuzzReader({
      format: 'cyclonedx-json',
      generate,
      expect: (parsed, { vulnerabilities }) => {
        check(parsed.tools[0]?.name === 'trivy', 'tool', parsed.tools)
        deepStrictEqual(
          parsed.findings.map(f => ({ id: f.ruleId, kind: f.kind, name: f.package?.name, at: f.location })),
          vulnerabilities.flatMap(v =>
            // A vulnerability that names no affected component is one finding of no package.
            (v.affects.length > 0 ? v.affects : [{ name: undefined }]).map(a => ({
              id: v.vulnerability.id,
              kind: 'dependency',
              name: a.name,
              at: undefined
            }))
          )
        )
      }
    })
  })
})
