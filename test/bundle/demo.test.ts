import { beforeAll, expect, it } from '@jest/globals'
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import * as path from 'node:path'
import { git } from '../support/git-repo.js'
import { DEMO_IMAGE_EXPECTED } from '../support/image-scan.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { nodeRuntimes } from '../support/run-bundle.js'
import { describeWithSharedFixtures } from '../support/shared-fixtures.js'

/**
 * `npm run demo` end to end, as the README tells users to run it, and what it leaves behind checked
 * against what examples/ documents: the expected values below come from examples/app/EXPECTED.md,
 * examples/deps/README.md, examples/image (README and Dockerfile) and a reading of examples/k8s, never
 * from a run. The demo needs the shared advisories for its offline SCA database, hence the fixtures guard.
 */

const OUT_REL = 'out/demo-check'
const OUT = path.join(REPO_ROOT, OUT_REL)

let demo: SpawnSyncReturns<string>

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true })
  demo = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, SECURE_PIPELINE_DEMO_OUT: OUT_REL },
    timeout: 1_200_000
  })
}, 1_260_000)

interface Sarif {
  runs: {
    invocations?: { executionSuccessful: boolean }[]
    results: {
      ruleId: string
      locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[]
    }[]
  }[]
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(OUT, file), 'utf8')) as T

/** `rule file` → how many results, from one SARIF the demo wrote. */
function resultsOf(file: string): Record<string, number> {
  const sarif = readJson<Sarif>(`secure-pipeline/${file}`)
  expect(sarif.runs.every(run => run.invocations?.[0]?.executionSuccessful === true)).toBe(true)
  const counts: Record<string, number> = {}
  for (const result of sarif.runs.flatMap(run => run.results)) {
    const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ''
    const key = `${result.ruleId} ${uri}`
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

/** The rows of the first markdown table in a file, as arrays of trimmed cells (header and rule left out). */
function tableRows(file: string): string[][] {
  return readFileSync(path.join(REPO_ROOT, file), 'utf8')
    .split('\n')
    .filter(line => line.startsWith('|'))
    .slice(2)
    .map(line =>
      line
        .split('|')
        .slice(1, -1)
        .map(cell => cell.trim())
    )
}

/** The outputs the demo printed for the step whose heading starts with `heading` (`    name = value` lines). */
function printedOutputs(heading: string): Record<string, string> {
  const block = demo.stdout.split('\n== ').find(b => b.startsWith(heading))
  expect(block).toBeDefined()
  return Object.fromEntries(
    [...block!.matchAll(/^ {4}([\w-]+) = (.*)$/gm)].map(m => [m[1]!, m[2]!] as [string, string])
  )
}

const rulesOnly = (counts: Record<string, number>) =>
  Object.entries(counts).reduce<Record<string, number>>((byRule, [key, n]) => {
    const rule = key.split(' ')[0]!
    byRule[rule] = (byRule[rule] ?? 0) + n
    return byRule
  }, {})

describeWithSharedFixtures('npm run demo', () => {
  it('runs end to end and says the gate failed on findings, as examples/ is flawed on purpose', () => {
    expect(demo.error).toBeUndefined()
    expect({ status: demo.status, errors: demo.stderr.match(/^::error::.*$/gm) }).toEqual({
      status: 0,
      errors: null
    })
    expect(demo.stdout).toContain('Gate verdict: fail-findings')
  })

  it('runs the bundles on Node 24, as runners run `using: node24`, once it is provisioned', () => {
    const provisioned = nodeRuntimes().some(runtime => runtime.label === 'node 24')
    expect(demo.stdout.match(/^bundles run on node \S+/m)?.[0]).toBe(
      provisioned ? 'bundles run on node 24' : `bundles run on node ${process.versions.node}`
    )
  })

  it('reports exactly the SAST findings of examples/app/EXPECTED.md', () => {
    const expected = Object.fromEntries(
      tableRows('examples/app/EXPECTED.md').map(([rule, file]) => [`${rule} examples/app/${file}`, 1])
    )
    expect(Object.keys(expected)).toHaveLength(18)
    expect(resultsOf('sast.sarif')).toEqual(expected)
  })

  it('reports exactly the advisories examples/deps/README.md lists, withdrawn ones left out', () => {
    const expected: Record<string, number> = {}
    for (const [file, , advisories] of tableRows('examples/deps/README.md')) {
      const ids = [...advisories!.matchAll(/(GHSA(?:-[0-9a-z]{4}){3})(?! is withdrawn)/g)].map(m => m[1]!)
      for (const id of ids) expected[`${id} examples/deps/${file!.replace(/`/g, '')}`] = 1
    }
    expect(Object.keys(expected)).toHaveLength(11)
    expect(resultsOf('sca.sarif')).toEqual(expected)
    const sbom = readJson<{ bomFormat: string; components: { purl: string }[] }>(
      'secure-pipeline/sca.cdx.json'
    )
    expect(sbom.bomFormat).toBe('CycloneDX')
    expect(sbom.components.map(c => c.purl)).toEqual(
      expect.arrayContaining([
        'pkg:npm/lodash@4.17.11',
        'pkg:pypi/pyyaml@5.3.1',
        'pkg:golang/golang.org/x/net@0.5.0',
        'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'
      ])
    )
  })

  it('reports the Kubernetes violations examples/k8s holds, per rule and file', () => {
    const violations = 'examples/k8s/violations/deployment.yaml'
    const sidecar = 'examples/k8s/kustomize/overlays/prod/patch.yaml'
    // violations/: containers migrate (init, busybox untagged), app (nginx:latest, privileged, hostPort 80)
    // and report (CronJob on the host network, a CPU limit only); none sets a securityContext that the
    // restricted level asks for, none has requests, and only app is a long-running container needing probes.
    // The overlay adds one privileged busybox:latest sidecar without limits, requests or probes to a base
    // whose pod-level securityContext covers runAsNonRoot and seccomp.
    expect(resultsOf('k8s-policy.sarif')).toEqual({
      [`image-untagged ${violations}`]: 1,
      [`image-disallowed-tag ${violations}`]: 1,
      [`privileged-container ${violations}`]: 1,
      [`pss-privileged ${violations}`]: 1,
      [`pss-host-ports ${violations}`]: 1,
      [`pss-host-namespaces ${violations}`]: 1,
      [`pss-allow-privilege-escalation ${violations}`]: 3,
      [`pss-capabilities-restricted ${violations}`]: 3,
      [`pss-run-as-non-root ${violations}`]: 3,
      [`pss-seccomp-restricted ${violations}`]: 3,
      [`resource-limits ${violations}`]: 3,
      [`resource-requests ${violations}`]: 6,
      [`required-probes ${violations}`]: 2,
      [`image-disallowed-tag ${sidecar}`]: 1,
      [`privileged-container ${sidecar}`]: 1,
      [`pss-privileged ${sidecar}`]: 1,
      [`pss-allow-privilege-escalation ${sidecar}`]: 1,
      [`pss-capabilities-restricted ${sidecar}`]: 1,
      [`resource-limits ${sidecar}`]: 1,
      [`resource-requests ${sidecar}`]: 2,
      [`required-probes ${sidecar}`]: 2
    })
  })

  it('reports the image flaws examples/image documents, from the archive and from the registry', () => {
    // The Dockerfile copied into the image: floating base tag (DS-0001), no USER (DS-0002), no
    // HEALTHCHECK (DS-0026); the image config itself has no USER and no HEALTHCHECK either.
    const expected = {
      [DEMO_IMAGE_EXPECTED.vulnerability.id]: 1,
      [DEMO_IMAGE_EXPECTED.secretRule]: 1,
      'DS-0001': 1,
      'DS-0002': 2,
      'DS-0026': 2
    }
    expect(rulesOnly(resultsOf('image-app-archive.sarif'))).toEqual(expected)
    expect(rulesOnly(resultsOf('image-app.sarif'))).toEqual(expected)
    for (const sbom of ['image-app-archive.cdx.json', 'image-app.cdx.json'])
      expect(readJson<{ components: { purl?: string }[] }>(sbom).components.map(c => c.purl)).toContain(
        DEMO_IMAGE_EXPECTED.vulnerability.purl
      )
  })

  it('leaves gate evidence with the verdict, every report, and the two exceptions of examples/secure-pipeline.yml applied', () => {
    const evidence = readJson<{
      verdict: { outcome: string; passed: boolean }
      reports: { file: string; findings: number }[]
      brokenInputs: unknown[]
      suppressed: { byException: number }
      counts: { all: { total: number }; counted: { total: number } }
    }>('gate/evidence.json')
    expect(evidence.verdict).toMatchObject({ outcome: 'fail-findings', passed: false })
    expect(evidence.brokenInputs).toEqual([])
    // 18 SAST + 11 SCA + 39 Kubernetes (above) + 7 per image scan.
    expect(Object.fromEntries(evidence.reports.map(r => [path.basename(r.file), r.findings]))).toEqual({
      'sast.sarif': 18,
      'sca.sarif': 11,
      'k8s-policy.sarif': 39,
      'image-app-archive.sarif': 7,
      'image-app.sarif': 7
    })
    expect(evidence.counts.all.total).toBe(82)
    // py-flask-debug under examples/app/api, and CVE-2021-44228, an alias of log4j's GHSA-jfh8-c2jp-5v3q.
    expect(evidence.suppressed.byException).toBe(2)
    expect(evidence.counts.counted.total).toBe(80)
    expect(readFileSync(path.join(OUT, 'gate/report.html'), 'utf8')).toMatch(
      /^<!doctype html>\s*<html[^>]*data-outcome="fail-findings"/i
    )
  })

  it('leaves the summary, the metrics report and the bump branch pinning the scanned digest in the bare repository', () => {
    const summary = readFileSync(path.join(OUT, 'summary.md'), 'utf8')
    expect(summary).toContain('**Failed: findings exceed the policy**')
    expect(readFileSync(path.join(OUT, 'metrics/report.html'), 'utf8')).toMatch(/^<!doctype html>/i)
    const bare = path.join(OUT, 'gitops/manifests.git')
    const branches = git(bare, 'branch', '--format=%(refname:short)').split('\n')
    const bump = branches.filter(b => b.startsWith('secure-pipeline/bump/'))
    expect(bump).toHaveLength(1)
    const kustomization = git(bare, 'show', `${bump[0]}:apps/demo-app/production/kustomization.yaml`)
    // scripts/demo/bump.ts: version 1.3.0 of ghcr.io/octo-org/demo-app at the digest of the pushed image,
    // as the registry scan pinned it (not the archive's image ID, which names the config, not the manifest).
    const scanned = printedOutputs('Image scan from the registry').digest
    expect(scanned).toMatch(/^sha256:[a-f0-9]{64}$/)
    expect(scanned).not.toBe(printedOutputs('Image scan before push').digest)
    expect(kustomization).toContain('newTag: "1.3.0"')
    expect(kustomization).toContain(`digest: ${scanned}`)
    expect(printedOutputs('GitOps bump, git push').digest).toBe(scanned)
    expect(git(bare, 'show', 'main:apps/demo-app/production/kustomization.yaml')).toContain('newTag: "1.2.0"')
    expect(existsSync(path.join(OUT, 'admission/kyverno/policies.yaml'))).toBe(true)
  })
})
