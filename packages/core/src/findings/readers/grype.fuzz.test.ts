import { deepStrictEqual } from 'node:assert/strict'
import { describe, it } from '@jest/globals'
import {
  check,
  Choices,
  FUZZ_RUNS,
  fuzzReader,
  identifier,
  reportPath,
  score,
  WORKSPACE
} from '../../../../../test/support/report-fuzz.js'

const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'Negligible', 'Unknown']

function match(c: Choices) {
  const location = reportPath(c, { leadingSlashIsRoot: true })
  return {
    location,
    match: {
      vulnerability: {
        id: identifier(c),
        dataSource: 'https://example.test/advisory',
        severity: c.pick(SEVERITIES),
        cvss: c.list(3, () => ({ version: c.pick(['2.0', '3.0', '3.1']), metrics: { baseScore: score(c) } })),
        fix: { versions: c.list(2, () => c.pick(['1.0.1', '2.0.0'])), state: c.pick(['fixed', 'not-fixed']) }
      },
      relatedVulnerabilities: c.list(2, () => ({ id: identifier(c) })),
      matchDetails: [],
      artifact: {
        name: c.pick(['minimist', 'openssl', 'package-1']),
        version: c.pick(['2.0.0', '1.1.1k']),
        type: c.pick(['npm', 'apk', 'deb']),
        locations: [{ path: location.raw }]
      }
    }
  }
}

function generate(c: Choices) {
  const image = c.maybe(() => c.pick(['ghcr.io/acme/app:1.0', 'alpine:3.10']))
  const matches = c.list(6, () => match(c))
  const raw = {
    matches: matches.map(m => m.match),
    source: image
      ? { type: 'image', target: { userInput: image } }
      : { type: 'directory', target: WORKSPACE },
    distro: { name: 'alpine', version: '3.10' },
    descriptor: { name: 'grype', version: '0.90.0' }
  }
  return { image, matches, raw }
}

describe('Grype JSON reader, fuzzed', () => {
  it(`reads ${FUZZ_RUNS} generated reports as Grype documents them; any cut is a broken input`, () => {
    fuzzReader({
      format: 'grype-json',
      generate,
      expect: (parsed, { image, matches }) => {
        deepStrictEqual(
          parsed.findings.map(f => ({ id: f.ruleId, kind: f.kind, image: f.image, path: f.location?.path })),
          matches.map(m => ({
            id: m.match.vulnerability.id,
            kind: image ? 'image' : 'dependency',
            image,
            // An image's files are inside the image, not in the repository.
            path: image ? undefined : m.location.repo
          }))
        )
        parsed.findings.forEach((f, i) => {
          const { vulnerability, artifact } = matches[i]!.match
          check(f.package?.name === artifact.name, 'package', f.package)
          deepStrictEqual(f.package?.fixedVersions, vulnerability.fix.versions)
          const scores = vulnerability.cvss.map(s => s.metrics.baseScore)
          check(
            f.securitySeverity === (scores.length ? Math.max(...scores) : undefined),
            'score',
            f.securitySeverity
          )
        })
      }
    })
  })
})
