import * as path from 'node:path'
import type { ActionsContext } from '../github/context.js'
import { resolvePullRequestBase } from '../github/pull-request-base.js'
import { readTrustedFile, type TrustSource } from '../github/trusted-file.js'
import { parsePolicy } from '../policy/load.js'
import { ConfigurationError, getErrorMessage } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { resolveInWorkspace } from '../runtime/paths.js'

export interface PolicyFileRequest {
  workspace: string
  /** The policy path as the user gave it (relative to the workspace). */
  file: string
  /** False for the default path, which may be absent (then the defaults apply). */
  explicit: boolean
  source: TrustSource
  /** Named in errors about the path. */
  inputName: string
  context: ActionsContext
  logger?: Logger
}

/** The `k8s-policy.rules` switches of one version of the policy file. */
export interface PolicyVersion {
  /** Where it was read, e.g. `.github/secure-pipeline.yml (merge-base 0123456789ab)`. */
  origin: string
  rules: Readonly<Record<string, boolean>>
}

export interface K8sPolicySource {
  /** The version that decides this run. */
  deciding: PolicyVersion
  /** The pull request's own version when it differs: shown beside the result, never deciding it. */
  proposed?: PolicyVersion | { origin: string; error: string }
}

/**
 * The repository-relative path git knows the file by. Taken from the words the user wrote, not from
 * the checkout's links: a pull request that turns `.github` into a link must not move the lookup to a
 * path the base never had (and so to the defaults).
 */
export function policyPathInRepository(inputName: string, userPath: string, workspace: string): string {
  resolveInWorkspace(inputName, userPath, workspace)
  const relative = path.relative(path.resolve(workspace), path.resolve(workspace, userPath))
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative))
    throw new ConfigurationError(
      `Input '${inputName}' (${userPath}) must name a file inside the repository, relative to its root.`
    )
  return relative.split(path.sep).join('/')
}

/**
 * Reads the policy file's k8s-policy section the way the gate reads the policy: on pull_request and
 * merge_group with `source: base`, the merge-base version decides (a policy change is reviewed and
 * merged first, then it applies) and the pull request's version is only proposed. Every section is
 * validated by the one policy parser.
 */
export async function readK8sPolicySource(request: PolicyFileRequest): Promise<K8sPolicySource> {
  const file = policyPathInRepository(request.inputName, request.file, request.workspace)
  const base =
    request.source === 'base'
      ? await resolvePullRequestBase(request.context, request.workspace, request.logger)
      : undefined
  const trusted = await readTrustedFile(file, {
    workspace: request.workspace,
    source: request.source,
    base,
    what: 'Policy file'
  })
  const { deciding, proposed } = trusted
  if (deciding.text === undefined && request.explicit && proposed?.text === undefined) {
    throw new ConfigurationError(
      `Input '${request.inputName}': file ${file} does not exist (${deciding.origin}); create it or leave the input empty.`
    )
  }
  const versionOf = (text: string | undefined, origin: string): PolicyVersion => {
    const where = `${file} (${origin})`
    if (text === undefined) return { origin: `${where}: absent, built-in defaults`, rules: {} }
    return { origin: where, rules: parsePolicy(text, where).k8sRules }
  }
  const result: K8sPolicySource = { deciding: versionOf(deciding.text, deciding.origin) }
  if (proposed) {
    try {
      result.proposed = versionOf(proposed.text, proposed.origin)
    } catch (error) {
      result.proposed = { origin: `${file} (${proposed.origin})`, error: getErrorMessage(error) }
    }
  }
  return result
}

/** What the pull request's version of the policy would change for this run, had it decided. */
export interface PolicyProposal {
  origin: string
  /** The proposed file is invalid: it could not decide anything. */
  error?: string
  turnsOff: string[]
  turnsOn: string[]
}

/**
 * Compares the rules that run with the rules the proposed version would run (`select` applies a
 * version's switches over the inputs). Undefined when the pull request proposes nothing.
 */
export function proposalOf(
  source: K8sPolicySource,
  running: ReadonlySet<string>,
  select: (rules: Readonly<Record<string, boolean>>) => ReadonlySet<string>
): PolicyProposal | undefined {
  const proposed = source.proposed
  if (!proposed) return undefined
  if ('error' in proposed)
    return { origin: proposed.origin, error: proposed.error, turnsOff: [], turnsOn: [] }
  let would: ReadonlySet<string>
  try {
    would = select(proposed.rules)
  } catch (error) {
    return { origin: proposed.origin, error: getErrorMessage(error), turnsOff: [], turnsOn: [] }
  }
  return {
    origin: proposed.origin,
    turnsOff: [...running].filter(id => !would.has(id)).sort(),
    turnsOn: [...would].filter(id => !running.has(id)).sort()
  }
}
