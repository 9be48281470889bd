// The sca step of `npm run demo`: examples/deps scanned by the real osv-scanner. With the shared
// fixtures beside the repository it runs offline, on a database built from the real GitHub advisories
// in ../shared/fixtures/advisories/osv (the ones examples/deps/README.md names); without them it asks
// the OSV API, as the action does when offline-db is empty.
import { existsSync } from 'node:fs'
import * as path from 'node:path'
import { buildOsvDb, readRecordFiles } from '../../packages/core/src/sca/osv-db.js'
import { sharedFixture } from '../../test/support/shared-path.js'
import { toolPath } from '../../test/support/tools-path.js'
import type { DemoStep } from './image-scan.js'

export function scaDemoStep(out: string, workspace: string): DemoStep {
  const rel = (file: string) => path.relative(workspace, path.join(out, file))
  const advisories = sharedFixture('advisories', 'osv')
  const env = { SECURE_PIPELINE_OSV_SCANNER_PATH: toolPath('osv-scanner') }
  const inputs: Record<string, string> = {
    path: 'examples/deps',
    'sarif-file': rel('secure-pipeline/sca.sarif'),
    'sbom-file': rel('secure-pipeline/sca.cdx.json'),
    diff: 'false'
  }
  if (!existsSync(advisories)) {
    console.log(`sca: ${advisories} is absent; the step asks the OSV API (network) instead.`)
    return { name: 'SCA (osv-scanner, OSV API)', action: 'sca', inputs, env }
  }
  const db = path.join(out, 'osv-db')
  const manifest = buildOsvDb(readRecordFiles(advisories), db, { ecosystems: [] })
  console.log(
    `sca: offline database of ${Object.values(manifest.ecosystems).reduce((n, e) => n + e.advisories, 0)} advisory record(s) in ${path.relative(process.cwd(), db)}`
  )
  return {
    name: 'SCA (osv-scanner, offline database of real advisories)',
    action: 'sca',
    inputs: { ...inputs, 'offline-db': rel('osv-db') },
    env
  }
}
