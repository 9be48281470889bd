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
