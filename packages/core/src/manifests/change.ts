import { ConfigurationError } from '../runtime/errors.js'
import { unifiedDiff } from './diff.js'
import { mentionsTarget, planBump, type BumpPlan, type BumpRequest } from './plan.js'
import type { BumpRunOptions } from './options.js'
import { readCommitMessage, type BumpMetadata } from './pull-request-text.js'
import type { ManifestSet } from './sources.js'
import type { BumpTarget } from './target.js'
import { compareTags } from './versions.js'
import { splitReference } from '../images/reference.js'

/** One rebuild of the change: what was found and edited, how long that took, and the diff. */
export interface Change {
  set: ManifestSet
  plan: BumpPlan
  findEditMs: number
  diff: string
}

/** Reads the files (an archive, a tree, a checkout) and plans the edits, timed without the network. */
export function buildChange(read: () => ManifestSet, request: BumpRequest): Change {
  const started = performance.now()
  const set = read()
  const plan = planBump(set.files, request)
  const findEditMs = performance.now() - started
  const decoder = new TextDecoder()
  const diff = plan.edits
    .map(e => unifiedDiff(e.file, decoder.decode(e.before), decoder.decode(e.after)))
    .join('')
  // A file not read that names the image keeps its old version: the pull request must say so.
  for (const { bytes, ...skipped } of set.skipped)
    plan.unreadable.push(
      bytes && mentionsTarget(bytes, request) ? { ...skipped, mentionsImage: true } : skipped
    )
  return { set, plan, findEditMs, diff }
}

/**
 * The tag a value held before: a tag field may be written `tag@digest` (kustomize `newTag`, Helm
 * `tag`), a whole reference `name:tag@digest`.
 */
function previousTag(from: string, to: string, tag: string): string | undefined {
  if (to === tag || to.startsWith(`${tag}@`)) return from.split('@')[0]
  return to.includes(':') ? splitReference(from).tag : undefined
}

/** The tags the plan would replace with an older one, e.g. `1.4.0 → 1.3.0`. */
function downgrades(plan: BumpPlan, target: BumpTarget): string[] {
  if (target.tag === undefined) return []
  const found = new Set<string>()
  for (const change of plan.edits.flatMap(e => e.changes)) {
    if (change.from === undefined) continue
    const old = previousTag(change.from, change.to, target.tag)
    if (old !== undefined && (compareTags(old, target.tag) ?? 0) > 0)
      found.add(`${change.file}: ${old} → ${target.tag}`)
  }
  return [...found]
}

/**
 * What must hold before anything is written: the image was found somewhere (a bump that finds nothing
 * is a wrong `image` or `paths`, not a success), something could be set or already holds the version,
 * and no manifest goes back to an older version unless asked to.
 */
export function checkPlan(
  plan: BumpPlan,
  target: BumpTarget,
  options: Pick<BumpRunOptions, 'allowDowngrade' | 'inputNames' | 'paths'>
): void {
  const names = options.inputNames
  if (plan.edits.length === 0 && plan.current.length === 0) {
    const first = plan.leftAlone[0]
    throw new ConfigurationError(
      first
        ? `Every value naming ${target.image} was left alone (${plan.leftAlone.length}); first: ${first.file}:${first.line} ${first.field} ${first.reason}.`
        : `No value naming ${target.image} was found in the ${plan.filesSeen} file(s) under '${names.paths}' (${options.paths.join(', ')})${plan.unreadable.length > 0 ? `; ${plan.unreadable.length} could not be read, first ${plan.unreadable[0]!.file}: ${plan.unreadable[0]!.reason}` : ''}. Check the image name and '${names.paths}'.`
    )
  }
  const found = downgrades(plan, target)
  if (found.length === 0 || options.allowDowngrade) return
  throw new ConfigurationError(
    `The manifests already hold a newer version than ${target.tag}: ${found.slice(0, 3).join('; ')}${found.length > 3 ? ` and ${found.length - 3} more` : ''}. Set '${names.allowDowngrade}' to true to roll back on purpose.`
  )
}

/**
 * Whether the bump a branch head claims is newer than this run's, so this run must leave it (once the
 * head's tree shows the claim is true, see bump-head.ts): two
 * runs for versions that order (1.2.0, 1.3.0) end with the newer one whatever order they write in.
 * Versions that do not order (`sha-1a2b`) are not compared: the later run wins.
 */
export function branchIsNewer(theirs: BumpMetadata | undefined, ours: BumpTarget): boolean {
  if (!theirs?.tag || ours.tag === undefined || theirs.image !== ours.image) return false
  return (compareTags(theirs.tag, ours.tag) ?? 0) > 0
}

export { readCommitMessage }
