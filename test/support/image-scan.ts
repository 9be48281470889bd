// The image-scan scenario shared by tests, the bench and the demo: the demo image of examples/image built
// without Docker, a Trivy DB written by trivy-test-db, both pushed with crane to a loopback registry.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'
import {
  dockerConfigWith,
  startDockerRegistry,
  type DockerRegistry,
  type DockerRegistryOptions
} from './docker-registry.js'
import {
  blobsOf,
  buildArtifact,
  buildImage,
  dockerArchive,
  MEDIA,
  tar,
  writeOciLayout,
  type BuiltImage,
  type Platform
} from './oci-image.js'
import { REPO_ROOT } from './repo-root.js'
import { toolPath } from './tools-path.js'

export const DEMO_IMAGE_DIR = path.join(REPO_ROOT, 'examples', 'image')

/** What the demo image holds that a scan must report: the advisory trivy-test-db writes, and the checks. */
export const DEMO_IMAGE_EXPECTED = {
  vulnerability: {
    id: 'CVE-2021-23337',
    package: 'lodash',
    installed: '4.17.20',
    fixed: '4.17.21',
    purl: 'pkg:npm/lodash@4.17.20'
  },
  secretRule: 'github-pat',
  misconfigurations: ['DS-0001', 'DS-0002', 'DS-0026']
} as const

/** A token of the real shape (ghp_ and 36 characters), random each time, so none is ever committed. */
export function fakeGitHubToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  return `ghp_${Array.from(randomBytes(36), byte => alphabet[byte % alphabet.length]).join('')}`
}

function filesUnder(dir: string, prefix: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {}
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) Object.assign(out, filesUnder(full, `${prefix}${name}/`))
    else out[`${prefix}${name}`] = readFileSync(full)
  }
  return out
}

/**
 * The demo image: a layer with the installed dependencies' manifests (what `npm ci` leaves in
 * node_modules), a layer with the app and its Dockerfile, and a layer with a deploy file holding `token`.
 */
export function demoImage(
  options: { token?: string; platform?: Platform; extra?: Record<string, string | Buffer> } = {}
): BuiltImage & { token: string } {
  const token = options.token ?? fakeGitHubToken()
  const app = JSON.parse(readFileSync(path.join(DEMO_IMAGE_DIR, 'app', 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>
  }
  const installed = Object.fromEntries(
    Object.entries(app.dependencies).map(([name, version]) => [
      `app/node_modules/${name}/package.json`,
      JSON.stringify({ name, version, license: 'MIT' })
    ])
  )
  const image = buildImage({
    layers: [
      installed,
      {
        ...filesUnder(path.join(DEMO_IMAGE_DIR, 'app'), 'app/'),
        'app/Dockerfile': readFileSync(path.join(DEMO_IMAGE_DIR, 'Dockerfile'))
      },
      { 'app/config/deploy.env': `GITHUB_TOKEN=${token}\n`, ...options.extra }
    ],
    platform: options.platform,
    config: { Cmd: ['node', 'server.js'], WorkingDir: '/app' },
    history: [
      'COPY node_modules /app/node_modules # buildkit',
      'COPY . /app # buildkit',
      'COPY config /app/config # buildkit'
    ]
  })
  return { ...image, token }
}

/**
 * A Trivy DB (trivy.db and metadata.json) with the one advisory of DEMO_IMAGE_EXPECTED, built at
 * `updatedAt`; `advisory` flags of trivy-test-db change it (`-patched ''`: no fix known).
 */
export function writeTrivyTestDb(dir: string, updatedAt = new Date(), advisory: string[] = []): string {
  const result = spawnSync(
    toolPath('trivy-test-db'),
    ['-out', dir, '-updated-at', updatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'), ...advisory],
    { encoding: 'utf8' }
  )
  if (result.status !== 0)
    throw new Error(`trivy-test-db failed (run npm run tools): ${result.error?.message ?? result.stderr}`)
  return dir
}

/** The DB as Trivy publishes it: an OCI artifact whose one layer is a tar.gz of trivy.db and metadata.json. */
export function trivyDbArtifact(dbDir: string) {
  const archive = gzipSync(
    tar(['trivy.db', 'metadata.json'].map(name => ({ name, content: readFileSync(path.join(dbDir, name)) })))
  )
  return buildArtifact(archive, MEDIA.trivyDbLayer, MEDIA.trivyDbConfig)
}

/**
 * `crane push <layout> <ref>`; anonymous unless `dockerConfig` names a config directory with credentials.
 * Asynchronous: the token server of a registry with users answers from this process.
 */
export async function cranePush(layout: string, reference: string, dockerConfig?: string): Promise<string> {
  const child = spawn(toolPath('crane'), ['push', layout, reference], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(dockerConfig ? { DOCKER_CONFIG: dockerConfig } : {})
    }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  const status = await new Promise<number | null>(resolve => {
    child.on('error', error => {
      stderr += error.message
      resolve(null)
    })
    child.on('close', code => resolve(code))
  })
  clearTimeout(timer)
  if (status !== 0) throw new Error(`crane push ${reference} failed (${status}): ${stderr}`)
  return stdout.trim()
}

export interface ImageRegistry {
  registry: DockerRegistry
  image: BuiltImage & { token: string }
  /** `<host>/demo/app:1` */
  reference: string
  /** `<host>/aquasec/trivy-db:2` */
  dbRepository: string
  /** A directory for layouts and DBs, removed by stop(). */
  scratch: string
  /** With `users`: a docker config directory holding the first user's login, for DOCKER_CONFIG. */
  dockerConfig?: string
  stop(): Promise<void>
}

/**
 * A loopback docker-registry holding the demo image (demo/app:1) and a fresh Trivy DB artifact
 * (aquasec/trivy-db:2), both pushed with crane; with `users`, behind the bearer-token flow.
 */
export async function startImageRegistry(
  options: DockerRegistryOptions & { dbUpdatedAt?: Date } = {}
): Promise<ImageRegistry> {
  const registry = await startDockerRegistry(options)
  const scratch = mkdtempSync(path.join(tmpdir(), 'sp-image-registry-'))
  const [user, password] = Object.entries(options.users ?? {})[0] ?? []
  const dockerConfig =
    user !== undefined && password !== undefined
      ? dockerConfigWith(registry.host, user, password, scratch)
      : undefined
  try {
    const image = demoImage()
    writeOciLayout(path.join(scratch, 'image'), image.manifest, blobsOf(image))
    const reference = `${registry.host}/demo/app:1`
    await cranePush(path.join(scratch, 'image'), reference, dockerConfig)
    const db = writeTrivyTestDb(path.join(scratch, 'db-source'), options.dbUpdatedAt)
    const artifact = trivyDbArtifact(db)
    writeOciLayout(path.join(scratch, 'db-artifact'), artifact.manifest, artifact.blobs)
    const dbRepository = `${registry.host}/aquasec/trivy-db:2`
    await cranePush(path.join(scratch, 'db-artifact'), dbRepository, dockerConfig)
    return {
      registry,
      image,
      reference,
      dbRepository,
      scratch,
      ...(dockerConfig ? { dockerConfig } : {}),
      async stop() {
        await registry.stop()
        rmSync(scratch, { recursive: true, force: true })
      }
    }
  } catch (error) {
    await registry.stop()
    rmSync(scratch, { recursive: true, force: true })
    throw error
  }
}

/** A workspace with the demo image saved in it both ways: `image.tar` (docker save) and `layout/` (OCI). */
export function workspaceWithImage(image: BuiltImage, parent = tmpdir()): string {
  const ws = mkdtempSync(path.join(parent, 'sp-image-ws-'))
  writeOciLayout(path.join(ws, 'layout'), image.manifest, blobsOf(image), 'demo/app:1')
  writeFileSync(path.join(ws, 'image.tar'), dockerArchive(image, 'demo/app:1'))
  return ws
}

/** dpkg's record of one installed Debian package: what an image of a Debian base holds in /var/lib/dpkg/status. */
export const DPKG_STATUS_OPENSSL = [
  'Package: openssl',
  'Status: install ok installed',
  'Priority: optional',
  'Section: utils',
  'Installed-Size: 1',
  'Maintainer: Debian OpenSSL Team',
  'Architecture: amd64',
  'Version: 1.1.1n-0+deb11u1',
  'Description: Secure Sockets Layer toolkit',
  '',
  ''
].join('\n')
