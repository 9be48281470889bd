import { staticPrefix } from '../runtime/walk.js'
import { parsePatterns, type Discovery } from './discover.js'

/**
 * Compared without case: on macOS and Windows runners `Out/policies` and `out/policies` are one folder.
 * Upper then lower case folds more pairs than lower case alone (`ſ` and `s`, the Kelvin sign and `k`).
 */
const folded = (file: string) => file.toUpperCase().toLowerCase()
const isWithin = (file: string, dir: string) => dir === '' || file === dir || file.startsWith(`${dir}/`)
const overlap = (a: string, b: string) => isWithin(a, b) || isWithin(b, a)

/**
 * Whether writing the admission export into `exportDir` (repository-relative, '' for the root) could
 * change what the check reads: `paths` reach into it, or a kustomization to render names something in
 * it or above it, even a file not there yet that the export would write.
 */
export function exportReachesCheck(
  exportDir: string,
  paths: readonly string[],
  pathsInput: string,
  discovery: Pick<Discovery, 'renders'>
): boolean {
  const dir = folded(exportDir === '.' ? '' : exportDir)
  const { include } = parsePatterns(paths, pathsInput)
  if (include.some(pattern => overlap(dir, folded(staticPrefix(pattern))))) return true
  return discovery.renders.some(target => target.references.some(file => overlap(folded(file), dir)))
}
