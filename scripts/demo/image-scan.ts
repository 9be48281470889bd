// The image-scan part of `npm run demo`: build examples/image without Docker, push it with crane to a
// loopback docker-registry beside a Trivy DB written by trivy-test-db, and scan it twice as a workflow
// would: the archive before push, then the pushed image by tag (pinned to its digest).
import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { dockerArchive } from '../../test/support/oci-image.js'
import { startImageRegistry } from '../../test/support/image-scan.js'
import { toolPath } from '../../test/support/tools-path.js'

export interface DemoStep {
  name: string
  action: string
  /** The step's logs and summary are written as out/<id>.log and out/<id>-summary.md. */
  id?: string
  inputs: Record<string, string>
  env?: Record<string, string>
}

/**
 * Starts the registry and writes the image archive under `out` (inside the workspace, where the action
 * reads inputs); returns the two steps and a stop for the registry.
 */
export async function imageScanDemo(
  out: string,
  workspace: string
): Promise<{ steps: DemoStep[]; stop: () => Promise<void> }> {
  const setup = await startImageRegistry()
  const archive = path.join(out, 'image', 'app.tar')
  try {
    mkdirSync(path.dirname(archive), { recursive: true })
    writeFileSync(archive, dockerArchive(setup.image, 'demo/app:1'))
  } catch (error) {
    // The caller gets no stop to call: the registry process is stopped here.
    await setup.stop()
    throw error
  }
  const common = {
    scanners: 'vuln,secret,misconfig',
    'db-repositories': setup.dbRepository,
    'db-dir': path.join(out, 'trivy-db')
  }
  const env = { SECURE_PIPELINE_TRIVY_PATH: toolPath('trivy') }
  const sarif = (name: string) => path.relative(workspace, path.join(out, 'secure-pipeline', `${name}.sarif`))
  return {
    steps: [
      {
        name: 'Image scan before push (docker save archive)',
        action: 'image-scan',
        id: 'image-scan-archive',
        inputs: {
          ...common,
          input: path.relative(workspace, archive),
          name: 'demo/app',
          'sarif-file': sarif('image-app-archive'),
          'sbom-file': path.relative(workspace, path.join(out, 'image-app-archive.cdx.json'))
        },
        env
      },
      {
        name: `Image scan from the registry (${setup.reference})`,
        action: 'image-scan',
        id: 'image-scan-registry',
        inputs: {
          ...common,
          image: setup.reference,
          'sarif-file': sarif('image-app'),
          'sbom-file': path.relative(workspace, path.join(out, 'image-app.cdx.json'))
        },
        env
      }
    ],
    stop: () => setup.stop()
  }
}
