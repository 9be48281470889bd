// The real Trivy on a real image: built without Docker, pushed with crane to Debian's docker-registry on
// the loopback interface, scanned by reference and from disk, with a Trivy DB written by trivy-test-db and
// downloaded by our own DB client from that registry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import {
  blobOf,
  blobsOf,
  buildIndex,
  descriptor,
  MEDIA,
  tar,
  withDiffIds,
  writeOciLayout
} from '../../../../test/support/oci-image.js'
import {
  cranePush,
  demoImage,
  DEMO_IMAGE_EXPECTED,
  DPKG_STATUS_OPENSSL,
  startImageRegistry,
  workspaceWithImage,
  writeTrivyTestDb,
  type ImageRegistry
} from '../../../../test/support/image-scan.js'
import { startFaultProxy } from '../../../../test/support/docker-registry.js'
import { fakeTrivy } from '../../../../test/support/go-binary.js'
import { imageScanOptions, PUSH_CONTEXT } from '../../../../test/support/image-scan-options.js'
import { toolPath } from '../../../../test/support/tools-path.js'
import type { Finding } from '../findings/finding.js'
import { BrokenInputError, ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { RegistryError } from '../registry/errors.js'
import type { DbCache } from './db-cache.js'
import { runImageScan, type ImageScanOptions } from './run.js'

let setup: ImageRegistry
let workspace: string
const scratch: string[] = []

beforeAll(async () => {
  setup = await startImageRegistry()
  workspace = workspaceWithImage(setup.image)
}, 120_000)
afterAll(async () => {
  await setup?.stop()
  for (const dir of [workspace, ...scratch]) if (dir) rmSync(dir, { recursive: true, force: true })
})

function dbRoot(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sp-image-db-'))
  scratch.push(dir)
  return dir
}

function options(extra: Partial<ImageScanOptions> = {}): ImageScanOptions {
  return imageScanOptions({
    workspace,
    source: { kind: 'image', reference: setup.reference },
    engine: 'trivy',
    scanners: ['vuln', 'secret', 'misconfig'],
    db: { root: dbRoot(), repositories: [setup.dbRepository] },
    ...extra
  })
}

const env = () => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  SECURE_PIPELINE_TRIVY_PATH: toolPath('trivy')
})

function scan(extra: Partial<ImageScanOptions> = {}, moreEnv: NodeJS.ProcessEnv = {}, cache?: DbCache) {
  const logger = memoryLogger()
  const result = runImageScan(options(extra), {
    logger,
    context: PUSH_CONTEXT,
    env: { ...env(), ...moreEnv },
    ...(cache ? { cache } : {})
  })
  return { logger, result }
}

const ruleIds = (findings: Finding[]) => [...new Set(findings.map(f => f.ruleId))].sort()

describe('runImageScan with the real Trivy', () => {
  it('scans the pushed image by reference: the advisory of the test DB, the token and the Dockerfile checks', async () => {
    const { result, logger } = scan()
    const out = await result
    const expected = DEMO_IMAGE_EXPECTED
    expect(out.image).toMatchObject({ kind: 'registry', digest: setup.image.manifest.digest })
    expect(out.db).toMatchObject({ source: 'downloaded', repository: setup.dbRepository, stale: false })
    const vuln = out.findings.find(f => f.ruleId === expected.vulnerability.id)
    expect(vuln?.package).toMatchObject({
      name: expected.vulnerability.package,
      purl: expected.vulnerability.purl,
      installedVersion: expected.vulnerability.installed,
      fixedVersions: [expected.vulnerability.fixed]
    })
    expect(vuln?.image).toBe(`${setup.reference.replace(/:1$/, '')}@${setup.image.manifest.digest}`)
    expect(out.findings.find(f => f.ruleId === expected.secretRule)).toBeDefined()
    expect(ruleIds(out.findings)).toEqual(expect.arrayContaining([...expected.misconfigurations]))
    // The token's value never reaches a finding, the SARIF or the log.
    const sarif = JSON.stringify(out.sarif)
    expect(sarif).not.toContain(setup.image.token)
    expect(logger.lines.join('\n')).not.toContain(setup.image.token)
    // One category per image. No repository file or line: GitHub needs a location, so each result points
    // at the image's repository, line 1, marked synthetic (readers drop it again); the digest on each.
    const run = out.sarif.runs[0]!
    const repository = setup.reference.replace(/:1$/, '')
    expect(run.automationDetails?.id).toBe(`image-scan/${repository}/`)
    expect(out.findings.every(f => f.location === undefined)).toBe(true)
    for (const r of run.results ?? []) {
      const location = r.locations?.[0]?.physicalLocation
      expect(decodeURIComponent(location?.artifactLocation?.uri ?? '')).toBe(repository)
      expect(r.properties?.['secure-pipeline']).toMatchObject({ syntheticLocation: true })
      expect(JSON.stringify(r)).toContain(setup.image.manifest.digest)
    }
    // The SBOM lists the installed package with its purl, and names the image by digest.
    const sbom = JSON.parse(out.sbom) as {
      bomFormat: string
      components: { purl?: string }[]
      metadata: unknown
    }
    expect(sbom.bomFormat).toBe('CycloneDX')
    expect(sbom.components.map(c => c.purl)).toContain(expected.vulnerability.purl)
    expect(JSON.stringify(sbom.metadata)).toContain(setup.image.manifest.digest)
  }, 300_000)

  it('gets the DB through a mirror that answers 429, then 500, then the artifact, and Trivy uses it', async () => {
    const proxy = await startFaultProxy(setup.registry.host)
    try {
      const repository = setup.dbRepository.replace(setup.registry.host, proxy.host)
      proxy.failNext(
        '/v2/aquasec/trivy-db/manifests/',
        { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
        { kind: 'status', status: 500 }
      )
      const out = await scan({ scanners: ['vuln'], db: { ...options().db, repositories: [repository] } })
        .result
      expect(out.db).toMatchObject({ source: 'downloaded', repository })
      const manifestAnswers = proxy.requests
        .filter(r => r.path.startsWith('/v2/aquasec/trivy-db/manifests/'))
        .map(r => r.answered)
      expect(manifestAnswers.slice(0, 3)).toEqual([429, 500, 'proxied'])
      expect(out.findings.map(f => f.ruleId)).toContain(DEMO_IMAGE_EXPECTED.vulnerability.id)
    } finally {
      await proxy.close()
    }
  }, 300_000)

  it('scans the same image from a docker save archive and from an OCI layout: the same findings, the same fingerprints', async () => {
    const byRef = await scan().result
    // Named as the registry names it, as a workflow would name the image it is about to push.
    const name = setup.reference.replace(/:1$/, '')
    const fromDisk = (file: string) =>
      scan({ name, source: { kind: 'input', path: path.join(workspace, file) } }).result
    const archive = await fromDisk('image.tar')
    const layout = await fromDisk('layout')
    expect(archive.image).toMatchObject({
      kind: 'docker-archive',
      digestKind: 'image-id',
      digest: setup.image.config.digest
    })
    expect(layout.image).toMatchObject({ kind: 'oci-layout', digest: setup.image.manifest.digest })
    const fingerprints = (fs: Finding[]) => fs.map(f => `${f.ruleId} ${f.fingerprint}`).sort()
    expect(byRef.findings.length).toBeGreaterThanOrEqual(5)
    expect(fingerprints(archive.findings)).toEqual(fingerprints(byRef.findings))
    expect(fingerprints(layout.findings)).toEqual(fingerprints(byRef.findings))
    // The image config's results name no digest or runner path.
    for (const f of [...byRef.findings, ...archive.findings])
      expect(f.message).not.toMatch(/sha256:|\/tmp\/|image\.tar/)
    expect(archive.findings.map(f => f.ruleId)).toContain(DEMO_IMAGE_EXPECTED.vulnerability.id)
  }, 600_000)

  it("loads no Trivy module from the runner's home: one left there could remove any finding", async () => {
    // ~/.trivy/modules outlives a job on a self-hosted runner; Trivy loads every .wasm in it, and a
    // module's PostScan hook may drop results. A broken one shows whether it was loaded at all.
    const home = mkdtempSync(path.join(tmpdir(), 'sp-trivy-home-'))
    scratch.push(home)
    mkdirSync(path.join(home, '.trivy', 'modules'), { recursive: true })
    writeFileSync(path.join(home, '.trivy', 'modules', 'drop-all.wasm'), 'not a module')
    const saved = process.env.HOME
    process.env.HOME = home
    try {
      const out = await scan({ scanners: ['secret'] }).result
      expect(ruleIds(out.findings)).toEqual([DEMO_IMAGE_EXPECTED.secretRule])
    } finally {
      process.env.HOME = saved
    }
  }, 300_000)

  it('loads no check bundle an earlier job left in the DB directory: it would replace the Dockerfile checks', async () => {
    // The DB directory (RUNNER_TOOL_CACHE by default) outlives a job on a self-hosted runner. With
    // --skip-check-update Trivy still loads <cache-dir>/policy/content when present, instead of the checks
    // compiled into the binary: a bundle whose only root is an empty directory runs no check at all.
    const root = dbRoot()
    mkdirSync(path.join(root, 'policy', 'content', 'none'), { recursive: true })
    writeFileSync(path.join(root, 'policy', 'content', '.manifest'), JSON.stringify({ roots: ['none'] }))
    const out = await scan({
      scanners: ['misconfig'],
      db: { root, repositories: [setup.dbRepository], maxAgeHours: 120, allowStale: false, offline: false }
    }).result
    expect(ruleIds(out.findings)).toEqual([...DEMO_IMAGE_EXPECTED.misconfigurations])
  }, 300_000)

  it('fails the result, not reads clean, when installed OS packages go unscanned for want of an OS release file', async () => {
    // A build that deletes /etc/os-release: Trivy finds dpkg's packages, names the OS "none", checks none
    // of them and says so only on its log. An end-of-life release is scanned, with a warning.
    const scanLayout = async (dir: string, files: Record<string, string>) => {
      const image = demoImage({ extra: { 'var/lib/dpkg/status': DPKG_STATUS_OPENSSL, ...files } })
      const layout = writeOciLayout(path.join(workspace, dir), image.manifest, blobsOf(image))
      return scan({ source: { kind: 'input', path: layout }, scanners: ['vuln'] })
    }
    const noOs = await scanLayout('no-os-release', {})
    const out = await noOs.result
    expect(out.findings.map(f => f.ruleId)).toEqual([DEMO_IMAGE_EXPECTED.vulnerability.id])
    expect(out.problems).toContainEqual({
      level: 'error',
      message: expect.stringContaining('no operating system was detected')
    })
    expect(noOs.logger.lines.join('\n')).toContain('installed packages were not checked')
    const eol = await (
      await scanLayout('debian-11', {
        'etc/os-release': 'ID=debian\nVERSION_ID="11"\n',
        'etc/debian_version': '11.6\n'
      })
    ).result
    expect(eol.problems.filter(p => p.level === 'error')).toEqual([])
    expect(eol.problems).toContainEqual({
      level: 'warning',
      message: expect.stringContaining('debian 11.6 is no longer supported')
    })
  }, 300_000)

  it('with scanners secret only, finds the token and asks for no DB', async () => {
    const out = await scan({ scanners: ['secret'] }).result
    expect(out.db).toBeUndefined()
    expect(ruleIds(out.findings)).toEqual([DEMO_IMAGE_EXPECTED.secretRule])
  }, 300_000)
})

describe('runImageScan on a multi-platform image', () => {
  it('scans the asked platform of an index, pushed with crane or as an OCI layout, and names that digest', async () => {
    const amd64 = demoImage({ platform: { os: 'linux', architecture: 'amd64' } })
    const arm64 = demoImage({ platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } })
    const index = buildIndex([amd64, arm64])
    const blobs = [...blobsOf(amd64), amd64.manifest, ...blobsOf(arm64), arm64.manifest]
    const layout = writeOciLayout(path.join(workspace, 'multi'), index, blobs)
    const reference = `${setup.registry.host}/demo/multi:1`
    await cranePush(layout, reference)
    const platform = { os: 'linux', architecture: 'arm64' }
    const sources = [
      { kind: 'image' as const, reference },
      { kind: 'input' as const, path: layout }
    ]
    for (const source of sources) {
      const out = await scan({ source, platform, scanners: ['vuln', 'secret'] }).result
      expect(out.image).toMatchObject({
        digest: arm64.manifest.digest,
        configDigest: arm64.config.digest,
        indexDigest: index.digest,
        platform: { os: 'linux', architecture: 'arm64' }
      })
      // runImageScan fails unless the report's image ID is the pinned config: the engine read arm64.
      expect(out.findings.map(f => f.ruleId)).toEqual(
        expect.arrayContaining([DEMO_IMAGE_EXPECTED.vulnerability.id, DEMO_IMAGE_EXPECTED.secretRule])
      )
    }
  }, 300_000)
})

describe('runImageScan with VEX, ignore-unfixed and a private registry', () => {
  it('drops a vulnerability a trusted OpenVEX statement marks not affected, and says the file was applied', async () => {
    const vex = path.join(workspace, 'vex.openvex.json')
    const { id, purl } = DEMO_IMAGE_EXPECTED.vulnerability
    writeFileSync(
      vex,
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://example.com/vex/demo-1',
        author: 'Security team',
        timestamp: '2026-11-01T00:00:00Z',
        version: 1,
        statements: [
          {
            vulnerability: { name: id },
            products: [{ '@id': purl }],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path'
          }
        ]
      })
    )
    const out = await scan({ scanners: ['vuln'], vex: ['vex.openvex.json'] }).result
    expect(out.vex.applied).toEqual([{ path: 'vex.openvex.json', origin: expect.any(String) }])
    expect(out.findings.map(f => f.ruleId)).not.toContain(id)
    // Without it, the same scan reports the advisory: the statement is what removed it.
    const without = await scan({ scanners: ['vuln'] }).result
    expect(without.findings.map(f => f.ruleId)).toContain(id)
  }, 300_000)

  it('with ignore-unfixed, drops a vulnerability that has no fix and keeps it otherwise', async () => {
    const root = dbRoot()
    mkdirSync(path.join(root, 'db'))
    writeTrivyTestDb(path.join(root, 'db'), new Date(), ['-patched', ''])
    const db = { root, repositories: [], maxAgeHours: 120, allowStale: false, offline: true }
    const { id } = DEMO_IMAGE_EXPECTED.vulnerability
    const kept = await scan({ db, scanners: ['vuln'] }).result
    expect(kept.findings.find(f => f.ruleId === id)?.package?.fixedVersions).toEqual([])
    const dropped = await scan({ db, scanners: ['vuln'], ignoreUnfixed: true }).result
    expect(dropped.findings.map(f => f.ruleId)).not.toContain(id)
  }, 300_000)

  it('pulls a private image and the DB with the docker config; the password reaches no argv and no engine environment', async () => {
    const password = `pw-${Date.now()}-secret`
    const privateSetup = await startImageRegistry({ users: { ci: password } })
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'sp-private-'))
      scratch.push(dir)
      // The real Trivy, behind a wrapper that records what it was started with.
      const seen = path.join(dir, 'seen')
      const wrapper = fakeTrivy(
        dir,
        `printf '%s\\n' "$@" > ${seen}.argv; env > ${seen}.env; "${toolPath('trivy')}" "$@"`
      )
      const privateOptions = {
        source: { kind: 'image' as const, reference: privateSetup.reference },
        db: { ...options().db, repositories: [privateSetup.dbRepository] }
      }
      const env = { SECURE_PIPELINE_TRIVY_PATH: wrapper, DOCKER_CONFIG: privateSetup.dockerConfig! }
      const out = await scan(privateOptions, env).result
      expect(out.image.digest).toBe(privateSetup.image.manifest.digest)
      expect(out.findings.map(f => f.ruleId)).toContain(DEMO_IMAGE_EXPECTED.vulnerability.id)
      expect(privateSetup.registry.tokenRequests.some(r => r.authorization?.startsWith('Basic '))).toBe(true)
      const argv = readFileSync(`${seen}.argv`, 'utf8')
      const childEnv = readFileSync(`${seen}.env`, 'utf8')
      expect(argv).toContain(
        `${privateSetup.reference.replace(/:1$/, '')}@${privateSetup.image.manifest.digest}`
      )
      expect(childEnv).toContain(`DOCKER_CONFIG=${privateSetup.dockerConfig}`)
      for (const text of [argv, childEnv, JSON.stringify(out.sarif)]) {
        expect(text).not.toContain(password)
        expect(text).not.toContain(Buffer.from(`ci:${password}`).toString('base64'))
      }
      // Without the docker config the registry refuses, and the scan fails.
      await expect(scan(privateOptions).result).rejects.toThrow(/unauthori[sz]ed|docker login/i)
    } finally {
      await privateSetup.stop()
    }
  }, 300_000)
})

describe('runImageScan error paths (each fails; the action turns it into a failed SARIF)', () => {
  it('fails when the engine crashes, with its last words; the DB it downloaded is still saved under the daily key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-crash-'))
    scratch.push(dir)
    const crashing = fakeTrivy(dir, 'echo "panic: runtime error: index out of range" >&2; exit 2')
    const saved: string[] = []
    const cache: DbCache = {
      restore: async () => undefined,
      save: async (paths, key) => {
        // Saved while the DB is still there: the run's files are removed only after.
        expect(existsSync(path.join(paths[0]!, 'trivy.db'))).toBe(true)
        saved.push(key)
        return true
      }
    }
    const { result } = scan({}, { SECURE_PIPELINE_TRIVY_PATH: crashing }, cache)
    await expect(result).rejects.toThrow(BrokenInputError)
    await expect(result).rejects.toThrow(/exited 2: .*panic: runtime error/)
    expect(saved).toEqual([`secure-pipeline-trivy-db-v2-${new Date().toISOString().slice(0, 10)}`])
  }, 120_000)

  it("refuses a docker save archive whose layers were swapped under the image's own config, rather than report that image ID clean", async () => {
    // Trivy reports the config's digest as the image ID and reads whatever the archive holds under each
    // layer's name: with harmless layers it found nothing in an image ID that holds the CVE and the token.
    const image = setup.image
    const configName = `${image.config.digest.slice(7)}.json`
    const layerNames = image.layers.map(layer => `${layer.diffId.slice(7)}/layer.tar`)
    const harmless = tar([{ name: 'hello.txt', content: 'hi' }])
    writeFileSync(
      path.join(workspace, 'swapped.tar'),
      tar([
        { name: configName, content: image.config.bytes },
        ...layerNames.map(name => ({ name, content: harmless })),
        { name: 'manifest.json', content: JSON.stringify([{ Config: configName, Layers: layerNames }]) }
      ])
    )
    const { result } = scan({ source: { kind: 'input', path: path.join(workspace, 'swapped.tar') } })
    await expect(result).rejects.toThrow(ConfigurationError)
    await expect(result).rejects.toThrow(/is not the diff ID sha256:[a-f0-9]{64} its config names/)
  }, 120_000)

  it('refuses a docker save archive whose manifest.json names its layers twice in keys Go reads as one, rather than scan the other list', async () => {
    // Go's encoding/json matches keys case-insensitively and keeps the last: the engine read the harmless
    // files of "layers" while the layers of "Layers", which the image ID names, were the ones checked.
    const image = setup.image
    const configName = `${image.config.digest.slice(7)}.json`
    const layerNames = image.layers.map(layer => `${layer.diffId.slice(7)}/layer.tar`)
    const harmlessNames = image.layers.map((_, i) => `harmless-${i}.tar`)
    const harmless = tar([{ name: 'hello.txt', content: 'hi' }])
    writeFileSync(
      path.join(workspace, 'two-lists.tar'),
      tar([
        { name: configName, content: image.config.bytes },
        ...image.layers.map((layer, i) => ({ name: layerNames[i]!, content: layer.tar })),
        ...harmlessNames.map(name => ({ name, content: harmless })),
        {
          name: 'manifest.json',
          content: JSON.stringify([{ Config: configName, Layers: layerNames, layers: harmlessNames }])
        }
      ])
    )
    const { result } = scan({ source: { kind: 'input', path: path.join(workspace, 'two-lists.tar') } })
    await expect(result).rejects.toThrow(ConfigurationError)
    await expect(result).rejects.toThrow(/manifest\.json that gives 'Layers' and 'layers'/)
  }, 120_000)

  it('refuses an image config whose rootfs is given twice in keys Go reads as one, from a layout or a registry', async () => {
    // The engine's reader takes the last of "rootfs" and "RootFS": there the token layer's diff ID was the
    // app layer's again, so the engine read the app layer twice and never the token's (0 findings).
    const [base, app, token] = setup.image.layers.map(layer => layer.diffId)
    const json = JSON.parse(setup.image.config.bytes.toString('utf8')) as Record<string, unknown>
    const config = blobOf(
      JSON.stringify({ ...json, RootFS: { type: 'layers', diff_ids: [base, app, app] } }),
      MEDIA.ociConfig
    )
    expect(token).not.toBe(app)
    const manifest = blobOf(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: descriptor(config),
        layers: setup.image.layers.map(descriptor)
      }),
      MEDIA.ociManifest
    )
    const layout = writeOciLayout(path.join(workspace, 'two-rootfs'), manifest, [
      config,
      ...setup.image.layers
    ])
    const reference = `${setup.registry.host}/demo/two-rootfs:1`
    await cranePush(layout, reference)
    for (const source of [
      { kind: 'input' as const, path: layout },
      { kind: 'image' as const, reference }
    ]) {
      const { result } = scan({ source, scanners: ['secret'] })
      await expect(result).rejects.toThrow(/'rootfs' and 'RootFS'/)
    }
  }, 120_000)

  it('refuses an image whose config repeats a diff ID over the token layer, from a layout or a registry, rather than report it clean', async () => {
    // Trivy finds each layer by its config's diff ID, the first with it: it read the app layer twice and
    // never the token's, and reported 0 findings for a manifest digest that holds the token.
    const [, app] = setup.image.layers.map(layer => layer.diffId)
    const hiding = withDiffIds(setup.image, [setup.image.layers[0]!.diffId, app!, app!])
    const layout = writeOciLayout(path.join(workspace, 'hiding'), hiding.manifest, blobsOf(hiding))
    const reference = `${setup.registry.host}/demo/hiding:1`
    await cranePush(layout, reference)
    for (const source of [
      { kind: 'input' as const, path: layout },
      { kind: 'image' as const, reference }
    ]) {
      const { result } = scan({ source, scanners: ['secret'] })
      await expect(result).rejects.toThrow(
        `its config gives layers 2 and 3, two different blobs, the same diff ID ${app}: the engine would read layer 2 twice and never layer 3`
      )
    }
  }, 120_000)

  it('refuses a pre-provisioned trivy of a compromised release without running it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-bad-trivy-'))
    scratch.push(dir)
    const marker = path.join(dir, 'ran')
    const bad = fakeTrivy(dir, `touch ${marker}`, 'v0.69.5')
    const { result } = scan({}, { SECURE_PIPELINE_TRIVY_PATH: bad })
    await expect(result).rejects.toThrow(ConfigurationError)
    await expect(result).rejects.toThrow(/0\.69\.5, a known-compromised release/)
    expect(existsSync(marker)).toBe(false)
  }, 120_000)

  it('fails when the registry is down, and when the image is not in it', async () => {
    const down = scan({ source: { kind: 'image', reference: '127.0.0.1:9/demo/app:1' } }).result
    await expect(down).rejects.toThrow(RegistryError)
    const missing = scan({
      source: { kind: 'image', reference: `${setup.registry.host}/demo/app:missing` }
    }).result
    await expect(missing).rejects.toThrow(/not.found|does not exist|unknown/i)
  }, 180_000)

  it('fails on a missing image without waiting for the DB download it no longer needs', async () => {
    const proxy = await startFaultProxy(setup.registry.host)
    try {
      // Two retried 503s hold the pin back a second or more, so the DB download is under way when it fails.
      const busy = { kind: 'status', status: 503 } as const
      proxy.failNext('/v2/demo/app/manifests/missing', busy, busy)
      proxy.failNext('/v2/aquasec/trivy-db/blobs/', { kind: 'stall' })
      const repository = setup.dbRepository.replace(setup.registry.host, proxy.host)
      const otherMirror = `${proxy.host}/aquasec/other-trivy-db:2`
      const { result } = scan({
        source: { kind: 'image', reference: `${proxy.host}/demo/app:missing` },
        scanners: ['vuln'],
        db: { ...options().db, repositories: [repository, otherMirror] }
      })
      await expect(result).rejects.toThrow(RegistryError)
      await expect(result).rejects.toThrow(/demo\/app:missing.*404/)
      // The stalled DB blob was given up (its attempt's own deadline is minutes away), and no other
      // mirror was asked. The proxy hears of the closed connection a moment after the scan fails.
      const blobs = () => proxy.requests.filter(r => r.path.includes('/blobs/'))
      for (let i = 0; i < 200 && !blobs()[0]?.abandoned; i++) await new Promise(r => setTimeout(r, 10))
      expect(blobs()).toEqual([expect.objectContaining({ answered: 'stalled', abandoned: true })])
      expect(proxy.requests.filter(r => r.path.includes('other-trivy-db'))).toEqual([])
    } finally {
      await proxy.close()
    }
  }, 120_000)

  it('reports the DB failure, not the pin it called off, when the DB fails first', async () => {
    const proxy = await startFaultProxy(setup.registry.host)
    try {
      // The pin waits out a retried 503; the DB's only repository does not exist and fails at once.
      proxy.failNext('/v2/demo/app/manifests/', { kind: 'status', status: 503 })
      const { result } = scan({
        source: { kind: 'image', reference: `${proxy.host}/demo/app:1` },
        scanners: ['vuln'],
        db: { ...options().db, repositories: [`${setup.registry.host}/aquasec/no-such-db:2`] }
      })
      const error = await result.then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(RegistryError)
      expect((error as Error).message).toMatch(/no-such-db/)
      // The pin gave up during its retry wait instead of asking again (it may not have asked at all).
      expect(
        proxy.requests.filter(r => r.path.startsWith('/v2/demo/app/manifests/')).length
      ).toBeLessThanOrEqual(1)
    } finally {
      await proxy.close()
    }
  }, 120_000)

  it('fails on a stale DB, and scans with a warning when stale DBs are allowed', async () => {
    const root = dbRoot()
    mkdirSync(path.join(root, 'db'))
    const old = new Date(Date.now() - 10 * 24 * 3_600_000)
    writeTrivyTestDb(path.join(root, 'db'), old)
    const db = {
      root,
      repositories: [setup.dbRepository],
      maxAgeHours: 120,
      allowStale: false,
      offline: true
    }
    await expect(scan({ db }).result).rejects.toThrow(/over the 120 h maximum \(input 'db-max-age'\)/)
    const allowed = await scan({ db: { ...db, allowStale: true } }).result
    expect(allowed.db).toMatchObject({ stale: true, source: 'local' })
    expect(allowed.problems.map(p => p.message).join('\n')).toMatch(/over the maximum age/)
    expect(allowed.findings.map(f => f.ruleId)).toContain(DEMO_IMAGE_EXPECTED.vulnerability.id)
  }, 300_000)
})
