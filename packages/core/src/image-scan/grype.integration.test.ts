// The real Grype (the pinned release, built from the Go module proxy) on the demo image from disk, with a
// v6 DB written by Grype's own writer (tools/grype-test-db) and fetched by `grype db update` from a
// loopback listing: the vulnerability path of engine grype, end to end, without Anchore's CDN.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import {
  GRYPE_TEST_ADVISORY,
  writeGrypeTestDb,
  type GrypeTestDb
} from '../../../../test/support/grype-test-db.js'
import { goBuildInfo } from '../../../../test/support/go-binary.js'
import { startHttpFileServer, type HttpFileServer } from '../../../../test/support/http-file-server.js'
import { demoImage, DPKG_STATUS_OPENSSL, workspaceWithImage } from '../../../../test/support/image-scan.js'
import { blobsOf, writeOciLayout } from '../../../../test/support/oci-image.js'
import { imageScanOptions, PUSH_CONTEXT } from '../../../../test/support/image-scan-options.js'
import { toolPath } from '../../../../test/support/tools-path.js'
import { BrokenInputError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { runImageScan, type ImageScanOptions } from './run.js'

const DAY_MS = 24 * 3_600_000

let workspace: string
let server: HttpFileServer
let fresh: GrypeTestDb
let old: GrypeTestDb
const scratch: string[] = []

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  scratch.push(dir)
  return dir
}

/** Serves a DB's listing under `/<name>`, as grype.anchore.io/databases serves the real one. */
function serve(name: string, db: GrypeTestDb): string {
  for (const [file, body] of Object.entries(db.listing)) server.setFile(`/${name}/${file}`, body)
  return server.url(`/${name}`)
}

beforeAll(async () => {
  workspace = workspaceWithImage(demoImage())
  server = await startHttpFileServer()
  fresh = writeGrypeTestDb(tempDir('sp-grype-db-'))
  old = writeGrypeTestDb(tempDir('sp-grype-db-'), new Date(Date.now() - 10 * DAY_MS))
}, 120_000)
afterAll(async () => {
  await server?.close()
  for (const dir of [workspace, ...scratch]) if (dir) rmSync(dir, { recursive: true, force: true })
})

function options(db: Partial<ImageScanOptions['db']>): ImageScanOptions {
  return imageScanOptions({
    workspace,
    source: { kind: 'input', path: path.join(workspace, 'image.tar') },
    name: 'demo/app',
    engine: 'grype',
    scanners: ['vuln'],
    db: { root: tempDir('sp-grype-cache-'), repositories: [], ...db }
  })
}

function scan(opts: ImageScanOptions, grype = toolPath('grype')) {
  const logger = memoryLogger()
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SECURE_PIPELINE_GRYPE_PATH: grype
  }
  return { logger, result: runImageScan(opts, { logger, context: PUSH_CONTEXT, env }) }
}

describe('runImageScan with the real Grype', () => {
  it('updates the DB from the listing URL with grype db update and finds the advisory in the docker save archive', async () => {
    const url = serve('databases', fresh)
    const opts = options({ repositories: [url] })
    const out = await scan(opts).result
    expect(out.engine).toMatchObject({ engine: 'grype', version: '0.118.0', source: 'pre-provisioned' })
    expect(out.db).toMatchObject({ source: 'downloaded', repository: url, stale: false })
    expect(out.db?.builtAt.toISOString()).toBe(fresh.builtAt.toISOString())
    expect(server.requests.map(r => r.path)).toContain('/databases/v6/latest.json')
    const finding = out.findings.find(f => f.ruleId === GRYPE_TEST_ADVISORY.id)
    expect(finding?.package).toMatchObject({
      name: GRYPE_TEST_ADVISORY.package,
      purl: GRYPE_TEST_ADVISORY.purl,
      installedVersion: GRYPE_TEST_ADVISORY.installed,
      fixedVersions: [GRYPE_TEST_ADVISORY.fixed]
    })
    expect(finding?.severity).toBe('high')
    expect(out.findings).toHaveLength(1)
    expect(out.sarif.runs[0]?.tool.driver.name).toBe('grype')
    const sbom = JSON.parse(out.sbom) as { bomFormat: string; components: { purl?: string }[] }
    expect(sbom.bomFormat).toBe('CycloneDX')
    expect(sbom.components.map(c => c.purl)).toContain(GRYPE_TEST_ADVISORY.purl)

    // The same DB directory, offline and with the listing gone: the DB downloaded before is used.
    const requests = server.requests.length
    const offline = await scan({ ...opts, db: { ...opts.db, repositories: [], offline: true } }).result
    expect(offline.db).toMatchObject({ source: 'local', stale: false })
    expect(offline.findings.map(f => f.ruleId)).toEqual([GRYPE_TEST_ADVISORY.id])
    expect(server.requests.length).toBe(requests)
  }, 300_000)

  it('fails on a DB built over the maximum age, and scans with a warning when a stale DB is allowed', async () => {
    const url = serve('old', old)
    const refused = await scan(options({ repositories: [url] })).result.catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(BrokenInputError)
    expect((refused as Error).message).toContain("over the 120 h maximum (input 'db-max-age')")

    const { result, logger } = scan(options({ repositories: [url], allowStale: true }))
    const allowed = await result
    expect(allowed.db).toMatchObject({ source: 'downloaded', stale: true })
    expect(Math.round(allowed.db!.ageHours / 24)).toBe(10)
    expect(allowed.findings.map(f => f.ruleId)).toEqual([GRYPE_TEST_ADVISORY.id])
    expect(allowed.problems.map(p => p.message).join('\n')).toContain('over the maximum age')
    expect(logger.lines.join('\n')).toContain("scanning anyway because input 'allow-stale-db' is set")
  }, 300_000)

  it("reads no Grype configuration of the runner's home: an ignore rule left there hides nothing", async () => {
    // ~/.grype.yaml and ~/.config/grype/config.yaml outlive a job on a self-hosted runner.
    const home = tempDir('sp-grype-home-')
    const rule = `ignore:\n  - vulnerability: ${GRYPE_TEST_ADVISORY.id}\n`
    writeFileSync(path.join(home, '.grype.yaml'), rule)
    mkdirSync(path.join(home, '.config', 'grype'), { recursive: true })
    writeFileSync(path.join(home, '.config', 'grype', 'config.yaml'), rule)
    const saved = process.env.HOME
    process.env.HOME = home
    try {
      const out = await scan(options({ repositories: [serve('home', fresh)] })).result
      expect(out.findings.map(f => f.ruleId)).toEqual([GRYPE_TEST_ADVISORY.id])
    } finally {
      process.env.HOME = saved
    }
  }, 300_000)

  it('fails the result, not reads clean, when no distribution is detected over installed OS packages', async () => {
    // Without /etc/os-release Grype matches none of dpkg's packages and only warns on its log.
    const image = demoImage({ extra: { 'var/lib/dpkg/status': DPKG_STATUS_OPENSSL } })
    const layout = writeOciLayout(path.join(workspace, 'no-os-release'), image.manifest, blobsOf(image))
    const opts = {
      ...options({ repositories: [serve('no-os', fresh)] }),
      source: { kind: 'input' as const, path: layout }
    }
    const { result, logger } = scan(opts)
    const out = await result
    expect(out.findings.map(f => f.ruleId)).toEqual([GRYPE_TEST_ADVISORY.id])
    expect(out.problems).toContainEqual({
      level: 'error',
      message: expect.stringContaining('no operating system was detected')
    })
    expect(logger.lines.join('\n')).toContain('installed packages were not checked')
    // The demo image alone has no OS package: nothing to warn about.
    const plain = await scan(options({ repositories: [serve('no-os-plain', fresh)] })).result
    expect(plain.problems).toEqual([])
  }, 300_000)

  it('fails when the SBOM Grype wrote beside its report is missing, empty or cut short, never ships it', async () => {
    // The real Grype, then `damage` on the SBOM it wrote; the build information of grype 0.118.0 after it.
    const grypeThat = (name: string, damage: string) => {
      const file = path.join(tempDir('sp-grype-sbom-'), 'grype')
      const head = Buffer.from(
        `#!/bin/sh\n"${toolPath('grype')}" "$@" || exit $?\n` +
          `for a in "$@"; do case "$a" in cyclonedx-json=*) sbom="\${a#cyclonedx-json=}";; esac; done\n` +
          `[ -n "$sbom" ] && ${damage}\nexit 0\n`
      )
      const pad = Buffer.alloc((16 - (head.length % 16)) % 16, 0x0a)
      writeFileSync(
        file,
        Buffer.concat([
          head,
          pad,
          goBuildInfo('github.com/anchore/grype', 'v0.118.0', '-X main.version=0.118.0')
        ])
      )
      chmodSync(file, 0o755)
      return { name, file }
    }
    const url = serve('sbom', fresh)
    for (const { name, file } of [
      grypeThat('missing', 'rm -f "$sbom"'),
      grypeThat('empty', ': > "$sbom"'),
      grypeThat('cut short', 'truncate -s 300 "$sbom"')
    ]) {
      const error = await scan(options({ repositories: [url] }), file).result.catch((e: unknown) => e)
      expect({ name, error }).toEqual({ name, error: expect.any(BrokenInputError) })
      expect((error as Error).message).toMatch(
        /^grype: (exited 0 but wrote no SBOM|wrote an SBOM that is not JSON)/
      )
    }
  }, 300_000)

  it('offline without a DB fails and says how to pre-seed one', async () => {
    const error = await scan(options({ offline: true })).result.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BrokenInputError)
    expect((error as Error).message).toContain("input 'offline' is true so nothing is downloaded")
  }, 300_000)
})
