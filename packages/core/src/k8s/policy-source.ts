import type { ActionsContext } from '../github/context.js'
import { resolvePullRequestBase, type PullRequestBase } from '../github/pull-request-base.js'
import type { TrustSource } from '../github/trusted-file.js'
import { policyPathInRepository, type CentralPolicy } from '../policy-source/location.js'
import { BUILT_IN_POLICY } from '../policy/policy.js'
import { checkExceptionHorizon } from '../policy/exceptions.js'
import type { ExceptionEntry } from '../policy/schema.js'
import { resolvePolicySources, type PolicyDecider, type ReadCentralFile } from '../policy-source/resolve.js'
import { getErrorMessage } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'

export interface PolicyFileRequest {
  workspace: string
  /** The policy path as the user gave it: relative to the workspace, or to the central repository. */
  file: string
  /** False for the default path, which may be absent (then the defaults apply). */
  explicit: boolean
  source: TrustSource
  /** A central policy repository (org-required workflows): when set it decides, whatever the workspace has. */
  central?: CentralPolicy
  /** Reads the central policy; absent when there is no token to read it with. */
  readCentralFile?: ReadCentralFile
  /** Named in errors about the path. */
  inputName: string
  /** The day exceptions are dated against (UTC, YYYY-MM-DD): the gate's horizon applies to them here too. */
  today: string
  context: ActionsContext
  logger?: Logger
  /** The change's base when the run already resolves it for something else (one git walk, not two). */
  changeBase?: () => Promise<PullRequestBase | undefined>
}

/** The `k8s-policy.rules` switches of one version of the policy file. */
export interface PolicyVersion {
  /** Where it was read, e.g. `.github/secure-pipeline.yml (merge-base 0123456789ab)`. */
  origin: string
  rules: Readonly<Record<string, boolean>>
  /** The policy file's exceptions (all scanners); the admission export lists those for k8s rules. */
  exceptions?: readonly ExceptionEntry[]
}

export interface K8sPolicySource {
  /** Which version decides: the merge-base's, the checkout's, or a central repository's. */
  decidedBy: PolicyDecider
  /** The version that decides this run. */
  deciding: PolicyVersion
  /** The pull request's own version when it differs: shown beside the result, never deciding it. */
  proposed?: PolicyVersion | { origin: string; error: string }
}

/**
 * The policy file's k8s-policy section as the gate reads the policy (the one resolver both use): a
 * central policy repository decides whatever the workspace has, and the workspace's file is not read.
 * Otherwise, on pull_request and merge_group with `source: base`, the merge-base version decides (a
 * policy change is reviewed and merged first, then it applies) and the pull request's version is only
 * proposed.
 */
export async function readK8sPolicySource(request: PolicyFileRequest): Promise<K8sPolicySource> {
  const { central } = request
  // A central path was checked as a path in that repository; a workspace one must stay inside it.
  const file = central
    ? request.file
    : policyPathInRepository(request.inputName, request.file, request.workspace)
  // The merge-base is only read for the workspace's policy: a central one needs no git history.
  const base =
    !central && request.source === 'base'
      ? await (request.changeBase?.() ??
          resolvePullRequestBase(request.context, request.workspace, request.logger))
      : undefined
  const sources = await resolvePolicySources(
    {
      path: file,
      explicit: request.explicit,
      source: request.source,
      inputName: request.inputName,
      ...(central ? { central } : {})
    },
    {
      workspace: request.workspace,
      base,
      ...(request.readCentralFile ? { readCentralFile: request.readCentralFile } : {}),
      // The gate refuses an exception dated past the horizon; honouring it here would waive, and export
      // to the cluster, what the gate calls an invalid policy.
      finish: policy => {
        checkExceptionHorizon(policy.exceptions, request.today, policy.maxExceptionDays)
        return policy
      }
    }
  )
  const where = (origin: string) =>
    sources.decidedBy === 'central'
      ? origin
      : origin === BUILT_IN_POLICY
        ? `${file}: absent, built-in defaults`
        : `${file} (${origin})`
  const result: K8sPolicySource = {
    decidedBy: sources.decidedBy,
    deciding: {
      origin: where(sources.deciding.origin),
      rules: sources.deciding.policy.k8sRules,
      exceptions: sources.deciding.policy.exceptions
    }
  }
  const other = sources.other
  if (other?.role === 'proposed') {
    const origin = `${file} (${other.origin})`
    result.proposed = other.policy
      ? { origin, rules: other.policy.k8sRules }
      : { origin, error: other.error ?? 'unreadable' }
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
