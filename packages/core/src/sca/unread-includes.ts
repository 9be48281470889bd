import type { UnreadInclude } from './lockfile-reader.js'
import { isRequirementsFile } from './lockfiles.js'
import { engineIncludes } from './requirements-includes.js'
import { pipIncludes, shownUrl } from './requirements-references.js'

/** The inputs that decide which files the scan reads, by the names the caller's users set. */
export interface ScopeInputNames {
  path: string
  include: string
  exclude: string
}

/**
 * The not-scanned entries (`{file, reason}`, error-level problems in the SARIF) for what pip installs
 * from by includes the scan does not read (checkLineBased), each saying what to change. A workspace file
 * is named itself; a path the scan cannot resolve to one is named by the requirements file and line.
 */
export function unreadIncludeEntries(
  unread: readonly UnreadInclude[],
  engine: 'osv-scanner' | 'trivy',
  inputs: ScopeInputNames
): { file: string; reason: string }[] {
  return unread.map(u => {
    const { line, option, target } = u.include
    if (u.kind === 'file')
      return {
        file: u.file,
        reason: `pip installs from it (${u.from} line ${line} includes it with ${option}), but the scan does not read it: ${fileFix(u.file, target, engine, inputs)}`
      }
    const shown = JSON.stringify((u.kind === 'url' ? shownUrl(target) : target).slice(0, 200))
    const includes = `line ${line} includes ${shown} with ${option}`
    const relative = 'include only files of the repository, by a path relative to this file'
    const reason = {
      variable: `${includes}, a path naming an environment variable, and the scan cannot resolve environment variables: pip installs from a file the scan does not read; write the path out, relative to this file`,
      url: `${includes}, a URL: pip downloads that file and installs from it, and the scan does not read it; commit the file and include it by a path relative to this file`,
      absolute: `${includes}, an absolute path: pip installs from that file, and the scan does not read it; ${relative}`,
      outside: `${includes}, a path that leaves the workspace: pip installs from that file, and the scan does not read it; ${relative}`,
      undecodable: `${includes}, a name that is not UTF-8, so the scan cannot check what pip installs from; rename the file`,
      link: `${includes}, through the symbolic link ${u.kind === 'link' ? u.link : ''}: pip installs from wherever it points, and the scan does not read it; include the file itself, not a link`
    }[u.kind]
    return { file: u.from, reason }
  })
}

/** What makes the scan read `file`: an include osv-scanner follows, or a name the scan looks for. */
function fileFix(
  file: string,
  target: string,
  engine: 'osv-scanner' | 'trivy',
  inputs: ScopeInputNames
): string {
  const found = isRequirementsFile(file)
    ? `bring it into the scan with '${inputs.path}', '${inputs.include}' and '${inputs.exclude}' so that it is scanned`
    : 'name the file *requirements*.txt so that it is scanned'
  if (engine === 'trivy') return `Trivy reads only the files it is given, none they include; ${found}`
  // Only an include that both read as this path: `-r a b.txt` is `a b.txt` to the engine, `a` to pip.
  const include = `-r ${target}`
  const plain =
    !target.includes('`') &&
    engineIncludes(include)[0]?.target === target &&
    pipIncludes(include)[0]?.target === target
  return plain ? `write the include as \`${include}\` on a line of its own, or ${found}` : found
}
