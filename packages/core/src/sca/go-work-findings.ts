import type { Finding } from '../findings/finding.js'
import { BrokenInputError } from '../runtime/errors.js'
import { goWorkReplaces, GoWorkSyntaxError, type GoWorkReplace } from './go-work.js'
import { packageFinding } from './package-finding.js'
import { VERSION_UNKNOWN } from './version-findings.js'

/** A replace by another module version, the one kind reported. */
type ModuleReplace = GoWorkReplace & { target: { kind: 'module' } }

function message(file: string, replace: ModuleReplace): string {
  const replaced = replace.version ? `${replace.module} ${replace.version}` : replace.module
  return (
    `${replaced} is replaced by ${replace.target.module} ${replace.target.version} in ${file}, so go build in this workspace uses that ` +
    `while the scan, which does not read go.work, checked the version go.mod names: no advisory was checked ` +
    `against what is built. Put the replace in the go.mod of each module that needs it, where the scan ` +
    `applies it, or remove it from ${file}.`
  )
}

/**
 * The go.work's replaces by another module version as dependencies whose version the scan does not know,
 * like a dependency the scan reads no version of (VERSION_UNKNOWN): the version built is not the one
 * checked, so what it carries is unknown, not absent. A replace by a local directory is the repository's
 * own code, as in a go.mod (ownCodeMatcher): no advisory database holds it, so it is not reported. A
 * go.work Go would refuse is refused naming the file and line: read as having no replace, it would pass
 * as clean.
 */
export function goWorkFindings(file: string, text: string): Finding[] {
  let replaces: GoWorkReplace[]
  try {
    replaces = goWorkReplaces(text)
  } catch (error) {
    if (!(error instanceof GoWorkSyntaxError)) throw error
    throw new BrokenInputError(
      file,
      `line ${error.line}: ${error.message}, so the scan cannot tell which module versions go build uses; fix it as go build would require`
    )
  }
  return replaces
    .filter((replace): replace is ModuleReplace => replace.target.kind === 'module')
    .map(replace =>
      packageFinding(
        { lockfile: file, ecosystem: 'Go', name: replace.module, licenses: [] },
        VERSION_UNKNOWN,
        message(file, replace),
        replace.line
      )
    )
}

/** A merge-base's go.work, only compared with: one Go refused there has nothing to carry over. */
export function baseGoWorkFindings(file: string, text: string | undefined): Finding[] {
  try {
    return text === undefined ? [] : goWorkFindings(file, text)
  } catch {
    return []
  }
}
