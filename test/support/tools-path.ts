import * as path from 'node:path'

/** Where `npm run tools` (scripts/install-tools.sh) puts the pinned scanners. */
export const TOOLS_BIN = path.join(
  process.env.SECURE_PIPELINE_TOOLS_DIR ?? path.join(process.env.HOME ?? '', '.cache/secure-pipeline/tools'),
  'bin'
)

export function toolPath(name: string): string {
  return path.join(TOOLS_BIN, name)
}
