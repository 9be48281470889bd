import { existsSync, statSync } from 'node:fs'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import { resolveInWorkspace } from '../runtime/paths.js'

export interface UserConfigs {
  /** What to pass as `--config`: absolute workspace paths, or registry names the user wrote. */
  configs: string[]
  /** Registry configs among them: fetched from the network at run time, so the summary names them. */
  registry: string[]
  /** Languages of the local user rules (undefined when a registry config makes them unknown). */
  languages: string[] | undefined
}

/** Registry and URL configs: only ever used because the user named them in `config`. */
const REMOTE = /^(?:[prs]\/[\w.-]+(?:\/[\w.-]+)*|auto|https:\/\/\S+)$/

/**
 * Validates the caller's config entries (its input is named `inputName` in errors): local rule
 * files/directories must exist inside the workspace (no `..`, no symlink escape); registry names
 * (`p/...`, `r/...`, `auto`) and https URLs pass through as named. Local rules are always read with the
 * YAML reader (loaded only here), which refuses links and oversized files, and give their languages.
 */
export async function resolveUserConfigs(
  entries: readonly string[],
  workspace: string,
  inputName: string
): Promise<UserConfigs> {
  const out: UserConfigs = { configs: [], registry: [], languages: [] }
  for (const entry of entries) {
    if (REMOTE.test(entry)) {
      out.configs.push(entry)
      out.registry.push(entry)
      out.languages = undefined
      continue
    }
    if (/^http:\/\//i.test(entry))
      throw new ConfigurationError(
        `Input '${inputName}' entry '${entry}' uses plain http; use https or a file in the repository.`
      )
    const resolved = resolveInWorkspace(inputName, entry, workspace)
    if (!existsSync(resolved)) {
      throw new ConfigurationError(
        `Input '${inputName}' entry '${entry}' does not exist in the workspace; give a rule file or directory, or a registry name such as p/default.`
      )
    }
    out.configs.push(resolved)
    // Read whether or not the languages are still wanted (a registry config makes them unknown): the
    // reader is what refuses a link among the rule files, which the engine would follow anywhere on the
    // runner and quote in its parse error.
    const { loadRulePack } = await import('./rule-pack.js')
    const pack = statSync(resolved).isDirectory()
      ? loadRulePack(resolved)
      : loadRulePack(path.dirname(resolved), path.basename(resolved))
    out.languages?.push(...pack.rules.flatMap(rule => rule.languages))
  }
  return out
}
