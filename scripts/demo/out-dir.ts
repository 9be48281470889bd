// Where `npm run demo` writes: out/ in the repository, which is the workspace every step runs in, so
// the folder must stay inside it. SECURE_PIPELINE_DEMO_OUT names another folder under the repository,
// so the test that runs the demo does not delete what other tests leave in out/.
import * as path from 'node:path'
import { REPO_ROOT } from '../action-metadata.js'

export interface DemoOut {
  /** Absolute path. */
  dir: string
  /** The same folder relative to the repository, with `/`: what the steps' inputs name. */
  rel: string
}

export function demoOut(env: NodeJS.ProcessEnv = process.env): DemoOut {
  const rel = path.posix.normalize(env.SECURE_PIPELINE_DEMO_OUT || 'out').replace(/\/+$/, '')
  if (path.posix.isAbsolute(rel) || rel === '.' || rel === '..' || rel.startsWith('../'))
    throw new Error(`SECURE_PIPELINE_DEMO_OUT (${rel}) must be a folder inside the repository`)
  return { dir: path.join(REPO_ROOT, rel), rel }
}
