import type { RepoRef } from '../github/context.js'
import type { RepositoryFile } from '../github/contents.js'
import type { PullRequestBase } from '../github/pull-request-base.js'
import { readReviewed, readTrustedFile, type FileVersion } from '../github/trusted-file.js'
import { BUILT_IN_POLICY, type GatePolicy } from '../policy/policy.js'
import { policyFromText } from '../policy/read.js'
import { ConfigurationError, getErrorMessage, wrapError } from '../runtime/errors.js'
import { centralOrigin, type CentralPolicy, type PolicyLocation } from './location.js'

/** Which version of the policy decided the verdict. */
export type PolicyDecider = 'base' | 'head' | 'central'

export interface PolicyVersion {
  policy: GatePolicy
  /** Where it was read: `merge-base <sha>`, `workspace`, `owner/repo@ref`, or the built-in defaults. */
  origin: string
}

/**
 * On a change that edits the policy, the version that does not decide: the PR's own when the base
 * decides (`proposed`), the reviewed base version when the PR's decides (`reviewed`). Shown, never deciding.
 */
export interface OtherPolicy {
  role: 'proposed' | 'reviewed'
  origin: string
  /** Absent when that version cannot be read or is invalid; `error` says why. */
  policy?: GatePolicy
  error?: string
}

export interface PolicySources {
  decidedBy: PolicyDecider
  deciding: PolicyVersion
  other?: OtherPolicy
}

/** Reads one file of a central policy repository at a ref (the contents API, with a token). */
export type ReadCentralFile = (
  repository: RepoRef,
  path: string,
  ref: string | undefined
) => Promise<RepositoryFile>

export interface PolicyContext {
  workspace: string
  base: PullRequestBase | undefined
  /** Reads a central policy (the contents API); absent when there is no token to read it with. */
  readCentralFile?: ReadCentralFile
  /** What the caller checks or overrides in every version it reads (the gate: exception horizon, warn-only). */
  finish?: (policy: GatePolicy) => GatePolicy
}

const finish = (policy: GatePolicy, context: PolicyContext): GatePolicy =>
  context.finish ? context.finish(policy) : policy

/** How errors about a central policy begin, and what they ask the user to check. */
function centralWording(central: CentralPolicy, location: PolicyLocation) {
  const names = central.inputNames
  return names
    ? {
        at: `Input '${location.inputName}': the`,
        check: `check '${names.repository}', '${names.ref}' and '${location.inputName}'`
      }
    : { at: 'The', check: 'check its repository, path and ref' }
}

async function readCentral(
  read: ReadCentralFile,
  central: CentralPolicy,
  location: PolicyLocation
): Promise<{ text: string; origin: string }> {
  const { at, check } = centralWording(central, location)
  let file: RepositoryFile
  try {
    file = await read(central.repository, location.path, central.ref)
  } catch (error) {
    // Octokit's own message ("Server Error", a socket error) names neither the file nor the inputs.
    const origin = centralOrigin(central.repository, location.path, central.ref)
    throw wrapError(
      error,
      `${at} central policy ${origin} could not be read, and nothing is judged without it; ${check}, then re-run`
    )
  }
  if (file.text === undefined)
    throw new ConfigurationError(`${at} central policy ${file.origin} does not exist; ${check}.`)
  return { text: file.text, origin: file.origin }
}

async function centralPolicy(
  central: CentralPolicy,
  location: PolicyLocation,
  context: PolicyContext
): Promise<PolicySources> {
  const name = `${central.repository.owner}/${central.repository.repo}`
  if (!context.readCentralFile)
    throw new ConfigurationError(
      `The central policy ${name} is read with a token, and none was given; give one that can read that repository.`
    )
  const { text, origin } = await readCentral(context.readCentralFile, central, location)
  return {
    decidedBy: 'central',
    deciding: { policy: finish(await policyFromText(text, origin), context), origin }
  }
}

async function otherVersion(
  role: OtherPolicy['role'],
  text: string | undefined,
  origin: string,
  path: string,
  context: PolicyContext
): Promise<OtherPolicy> {
  try {
    const policy = await policyFromText(text, path)
    return { role, origin, policy: finish(policy, context) }
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error
    return { role, origin, error: getErrorMessage(error) }
  }
}

async function otherPolicy(
  file: { deciding: FileVersion; proposed?: FileVersion },
  location: PolicyLocation,
  context: PolicyContext
): Promise<OtherPolicy | undefined> {
  const { base } = context
  if (!base) return undefined
  if (location.source === 'base') {
    const proposed = file.proposed
    if (!proposed) return undefined
    // What the PR put in place of the file (a link, a directory) is shown, never read.
    if (proposed.origin !== 'workspace')
      return { role: 'proposed', origin: 'this pull request', error: proposed.origin }
    return otherVersion('proposed', proposed.text, 'this pull request', location.path, context)
  }
  const reviewed = await readReviewed(base, location.path)
  if (reviewed.text === file.deciding.text) return undefined
  return otherVersion('reviewed', reviewed.text, reviewed.origin, location.path, context)
}

/**
 * The policy that decides this run and, on a pull request that changes it, the PR's own version beside it.
 * A central policy decides whatever the PR has. Otherwise, on pull_request and merge_group with
 * `source: base`, the merge-base version decides (a policy change is reviewed and merged first); elsewhere,
 * or with `source: head`, the checkout decides. Paths stay repository-relative: they go into the evidence.
 */
export async function resolvePolicySources(
  location: PolicyLocation,
  context: PolicyContext
): Promise<PolicySources> {
  if (location.central) return centralPolicy(location.central, location, context)
  const file = await readTrustedFile(location.path, {
    workspace: context.workspace,
    source: location.source,
    base: context.base,
    what: 'Policy file'
  })
  const decidedBy: PolicyDecider = context.base && location.source === 'base' ? 'base' : 'head'
  const { text } = file.deciding
  const other = await otherPolicy(file, location, context)
  if (text === undefined && location.explicit && other?.role !== 'proposed')
    throw new ConfigurationError(
      `Input '${location.inputName}': file ${location.path} does not exist; create it or leave the input empty.`
    )
  const policy = await policyFromText(text, location.path)
  return {
    decidedBy,
    deciding: {
      policy: finish(policy, context),
      origin: text === undefined ? BUILT_IN_POLICY : file.deciding.origin
    },
    other
  }
}
