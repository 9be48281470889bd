import type { BumpInputNames, BumpRunOptions } from '../../packages/core/src/manifests/options.js'
import { planBump, type BumpPlan, type BumpRequest } from '../../packages/core/src/manifests/plan.js'
import { parseBumpTarget, type BumpTargetInput } from '../../packages/core/src/manifests/target.js'

/** A digest written out in tests: 64 hex digits from one repeated character. */
export const digestOf = (ch: string) => `sha256:${ch.repeat(64)}`

export const TARGET_NAMES = { image: 'image', tag: 'tag', digest: 'digest' }

/** Plans a bump over in-memory files (path → text). */
export function bumpFiles(
  files: Record<string, string>,
  target: BumpTargetInput,
  request: Partial<Omit<BumpRequest, 'target'>> = {}
): BumpPlan {
  return planBump(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { strategy: 'auto', fluxPolicies: [], ...request, target: parseBumpTarget(target, TARGET_NAMES) }
  )
}

/** The edited text of one file, or undefined when the plan leaves it as it is. */
export function editedText(plan: BumpPlan, file: string): string | undefined {
  const edit = plan.edits.find(e => e.file === file)
  return edit ? Buffer.from(edit.after).toString('utf8') : undefined
}

/** The input names of action.yml, as the action passes them to core for its messages. */
export const BUMP_INPUT_NAMES: BumpInputNames = {
  token: 'token',
  paths: 'paths',
  workingDirectory: 'working-directory',
  digest: 'digest',
  resolveDigest: 'resolve-digest',
  requireVerified: 'require-signed',
  allowDowngrade: 'allow-downgrade',
  branch: 'branch',
  diffFile: 'diff-file',
  gate: 'gate-outcome',
  autoMerge: 'auto-merge'
}

/**
 * Options as the action parses them when a workflow sets only `image`, `tag` and `digest`: every other
 * input at its action.yml default (paths, strategy auto, API push, signed commits required).
 */
export function defaultBumpOptions(
  target: BumpTargetInput,
  workspace: string,
  over: Partial<BumpRunOptions> = {}
): BumpRunOptions {
  return {
    workspace,
    target: parseBumpTarget(target, TARGET_NAMES),
    strategy: 'auto',
    fluxPolicies: [],
    paths: ['**/*.yaml', '**/*.yml', '**/Kustomization'],
    labels: [],
    reviewers: [],
    dryRun: false,
    push: 'api',
    resolveDigest: true,
    requireVerified: true,
    allowDowngrade: false,
    diffFile: 'secure-pipeline/bump.diff',
    inputNames: BUMP_INPUT_NAMES,
    ...over
  }
}
