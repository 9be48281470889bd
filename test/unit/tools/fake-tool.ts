import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parseCatalog } from '../../../packages/core/src/tools/catalog-schema.js'
import type { ToolCatalog } from '../../../packages/core/src/tools/catalog.js'

export const FAKE_VERSION = '1.2.3'
export const RELEASE_PATH = `/example/fake-scanner/releases/download/v${FAKE_VERSION}`

/** A real executable: when run it touches $FAKE_TOOL_MARKER and prints its version. */
const SCRIPT = `#!/bin/sh
: > "\${FAKE_TOOL_MARKER:?set FAKE_TOOL_MARKER}"
echo "fake-scanner ${FAKE_VERSION}"
`

export interface FakeRelease {
  tarGz: Buffer
  zip: Buffer
  bare: Buffer
  /** A tar.gz whose only file is not the one the catalog names. */
  wrongContents: Buffer
  catalog: ToolCatalog
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Builds real archives with the system tar and zip, and a catalog pinning their hashes. */
export function buildFakeRelease(): FakeRelease {
  const root = mkdtempSync(path.join(tmpdir(), 'sp-fake-release-'))
  const pkg = path.join(root, 'pkg')
  mkdirSync(path.join(pkg, 'bin'), { recursive: true })
  writeFileSync(path.join(pkg, 'bin', 'fake-scanner'), SCRIPT)
  chmodSync(path.join(pkg, 'bin', 'fake-scanner'), 0o755)
  writeFileSync(path.join(pkg, 'README'), 'not the binary\n')
  execFileSync('tar', ['-czf', path.join(root, 'fake.tar.gz'), '-C', pkg, 'bin', 'README'])
  execFileSync('zip', ['-q', '-r', path.join(root, 'fake.zip'), 'bin', 'README'], { cwd: pkg })
  execFileSync('tar', ['-czf', path.join(root, 'wrong.tar.gz'), '-C', pkg, 'README'])
  const tarGz = readFileSync(path.join(root, 'fake.tar.gz'))
  const zip = readFileSync(path.join(root, 'fake.zip'))
  const bare = Buffer.from(SCRIPT)
  const wrongContents = readFileSync(path.join(root, 'wrong.tar.gz'))
  const url = (file: string) => `https://github.com${RELEASE_PATH}/${file}`
  const asset = (file: string, bytes: Buffer, archive: 'tar.gz' | 'zip' | 'none', binary: string) => ({
    url: url(file),
    sha256: sha256(bytes),
    archive,
    binary,
    source: 'built by the test'
  })
  const catalog = parseCatalog({
    tools: {
      'fake-scanner': {
        default: FAKE_VERSION,
        versions: {
          [FAKE_VERSION]: {
            'linux-x64': asset('fake-scanner_linux_x64.tar.gz', tarGz, 'tar.gz', 'bin/fake-scanner'),
            'darwin-arm64': asset('fake-scanner_darwin_arm64.zip', zip, 'zip', 'bin/fake-scanner'),
            'linux-arm64': asset('fake-scanner_linux_arm64', bare, 'none', 'fake-scanner'),
            'darwin-x64': asset('fake-scanner_darwin_x64.tar.gz', wrongContents, 'tar.gz', 'bin/fake-scanner')
          }
        }
      },
      'no-default': {
        versions: { '2.0.0': { 'linux-x64': asset('nd.tar.gz', tarGz, 'tar.gz', 'bin/fake-scanner') } }
      }
    }
  })
  return { tarGz, zip, bare, wrongContents, catalog }
}

export function assetPath(
  catalog: ToolCatalog,
  platform: 'linux-x64' | 'darwin-arm64' | 'linux-arm64' | 'darwin-x64'
) {
  const asset = catalog.tools['fake-scanner']?.versions[FAKE_VERSION]?.[platform]
  if (!asset) throw new Error(`test catalog has no ${platform}`)
  return new URL(asset.url).pathname
}
