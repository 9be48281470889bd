import type { GitData } from '../github/git-data.js'
import { selectPaths } from '../runtime/glob.js'
import type { Logger } from '../runtime/logger.js'
import { mapPooled } from '../runtime/pool.js'
import { addEntry, archiveManifests, type ManifestSet } from './sources.js'

/** Files read one by one at most; past that, the rest are listed as not read (a `paths` to narrow). */
export const MAX_LEFT_OUT = 100
/** Blob reads in flight: GitHub's secondary rate limit punishes bursts of concurrent requests. */
const BLOB_READS_IN_FLIGHT = 8

/**
 * The manifests of a commit that `paths` selects, as a reader of fresh sets. GitHub's archive (one
 * request whatever the repository's size) is `git archive`, which leaves out what `.gitattributes` marks
 * `export-ignore`: a manifest there would keep its old version with no word said. The commit's tree (one
 * request) names every file, and those the archive lacks are read as blobs.
 */
export async function commitManifests(
  git: GitData,
  commit: { sha: string; tree: string },
  options: { paths: string[]; inputName: string; source: string },
  logger: Logger
): Promise<() => ManifestSet> {
  const [archive, tree] = await Promise.all([git.archive(commit.sha), git.treeFiles(commit.tree)])
  const fromArchive = archiveManifests(archive, options.paths, options.inputName, options.source)
  const seen = new Set([...fromArchive.files.map(f => f.path), ...fromArchive.skipped.map(s => s.file)])
  const byPath = new Map(tree.files.map(f => [f.path, f]))
  const leftOut = selectPaths(
    [...byPath.keys()].filter(path => !seen.has(path)),
    options.paths,
    options.inputName
  )
  if (tree.truncated)
    logger.warning(
      `GitHub cut the file list of ${options.source} at ${commit.sha.slice(0, 12)} (too many files): files its archive leaves out (.gitattributes export-ignore) could not be found, and are not edited.`
    )
  // A test-fixture folder marked export-ignore can hold hundreds of YAML files: the ones past the limit
  // are listed as not read (the pull request says so when one names the image), not a failed run.
  const notRead = leftOut.slice(MAX_LEFT_OUT).map(file => ({
    file,
    reason: `left out of GitHub's archive (.gitattributes export-ignore) past the ${MAX_LEFT_OUT} files read one by one; narrow '${options.inputName}' to read it`
  }))
  const read = await mapPooled(leftOut.slice(0, MAX_LEFT_OUT), BLOB_READS_IN_FLIGHT, async path => ({
    path,
    mode: byPath.get(path)!.mode,
    bytes: await git.blob(byPath.get(path)!.sha)
  }))
  if (read.length > 0)
    logger.info(
      `Read ${read.length} file(s) GitHub's archive leaves out (.gitattributes export-ignore) from the tree: ${leftOut.slice(0, 5).join(', ')}${leftOut.length > 5 ? ', …' : ''}.`
    )
  return () => {
    const set: ManifestSet = {
      files: [...fromArchive.files],
      modes: new Map(fromArchive.modes),
      skipped: [...fromArchive.skipped, ...notRead]
    }
    for (const entry of read) addEntry(set, entry)
    set.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    return set
  }
}
