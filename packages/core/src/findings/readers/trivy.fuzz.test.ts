import { deepStrictEqual } from 'node:assert/strict'
import { describe, it } from '@jest/globals'
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

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']
const SOURCES = ['nvd', 'ghsa', 'redhat', 'debian']
const SECRET = 'AKIA-SENTINEL-SECRET'

function vulnerability(c: Choices) {
  const Severity = c.pick(SEVERITIES)
  const SeveritySource = c.maybe(() => c.pick(SOURCES))
  const CVSS: Record<string, { V3Score: number }> = {}
  // Trivy takes NVD's severity when NVD scored a CVE, so an UNKNOWN only comes with a score from the
  // source it names; any other word may come with scores from any source.
  if (Severity === 'UNKNOWN') {
    if (SeveritySource && c.bool()) CVSS[SeveritySource] = { V3Score: score(c) }
  } else {
    for (const name of c.list(3, () => c.pick(SOURCES))) CVSS[name] = { V3Score: score(c) }
  }
  return {
    VulnerabilityID: identifier(c),
    PkgName: c.pick(['lodash', 'musl', 'golang.org/x/net']),
    InstalledVersion: c.pick(['1.0.0', '0.1.0-r2']),
    FixedVersion: c.maybe(() => c.pick(['1.0.1', '1.0.1, 2.0.0'])),
    Severity,
    SeveritySource,
    ...(Object.keys(CVSS).length > 0 ? { CVSS } : {}),
    Title: c.maybe(() => message(c))
  }
}

const misconfiguration = (c: Choices) => ({
  ID: c.pick(['DS002', 'KSV001']),
  AVDID: c.maybe(() => c.pick(['AVD-DS-0002', 'AVD-KSV-0001'])),
  Severity: c.pick(SEVERITIES),
  Status: c.pick(['FAIL', 'FAIL', 'PASS', 'EXCEPTION']),
  Message: message(c),
  CauseMetadata: { StartLine: c.int(50), EndLine: c.int(50) }
})

const secret = (c: Choices) => ({
  RuleID: c.pick(['aws-access-key-id', 'github-pat']),
  Category: c.pick(['AWS', 'GitHub']),
  Severity: c.pick(SEVERITIES),
  Title: message(c),
  StartLine: 1 + c.int(50),
  EndLine: 1 + c.int(50),
  Match: SECRET,
  Code: { Lines: [{ Content: `key = ${SECRET}` }] }
})

function generate(c: Choices) {
  const image = c.maybe(() => c.pick(['ghcr.io/acme/app:1.0', 'alpine:3.10']))
  const results = c.list(3, () => ({
    Target: reportPath(c),
    Class: c.pick(['lang-pkgs', 'os-pkgs', 'config', 'secret']),
    Vulnerabilities: c.list(3, () => vulnerability(c)),
    Misconfigurations: c.list(2, () => misconfiguration(c)),
    Secrets: c.list(2, () => secret(c))
  }))
  const raw = {
    SchemaVersion: 2,
    ArtifactName: image ?? '.',
    ArtifactType: image ? 'container_image' : 'repository',
    Results: results.map(r => ({ ...r, Target: r.Target.raw }))
  }
  return { image, results, raw }
}

/** What each finding must read as, in report order: id, kind, where. */
function model({ image, results }: ReturnType<typeof generate>) {
  const out: { id: string; kind: string; path?: string; lines?: number[] }[] = []
  for (const r of results) {
    const path = r.Target.repo
    for (const v of r.Vulnerabilities)
      out.push({
        id: v.VulnerabilityID,
        kind: image ? 'image' : 'dependency',
        path: image ? undefined : path
      })
    for (const m of r.Misconfigurations.filter(m => m.Status === 'FAIL')) {
      const lines = path ? [m.CauseMetadata.StartLine, m.CauseMetadata.EndLine].filter(n => n >= 1) : []
      out.push({ id: m.AVDID ?? m.ID, kind: 'config', path, lines })
    }
    for (const s of r.Secrets)
      out.push({ id: s.RuleID, kind: 'secret', path, lines: path ? [s.StartLine, s.EndLine] : [] })
  }
  return out
}

describe('Trivy JSON reader, fuzzed', () => {
  it(`reads ${FUZZ_RUNS} generated reports as Trivy documents them; any cut is a broken input`, () => {
    fuzzReader({
      format: 'trivy-json',
      generate,
      expect: (parsed, generated) => {
        deepStrictEqual(
          parsed.findings.map(f => {
            const where = { id: f.ruleId, kind: f.kind, path: f.location?.path }
            if (f.kind !== 'config' && f.kind !== 'secret') return where
            const lines = [f.location?.startLine, f.location?.endLine].filter(n => n !== undefined)
            return { ...where, lines }
          }),
          model(generated)
        )
        for (const f of parsed.findings) check(f.image === generated.image, 'image', f.image)
        check(!JSON.stringify(parsed).includes(SECRET), 'a secret match was copied into the report')
      }
    })
  })
})
