import { writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import type { PullRequestBase } from '../github/pull-request-base.js'
import { readTrustedFile, type TrustSource } from '../github/trusted-file.js'
import { ConfigurationError } from '../runtime/errors.js'

const MAX_VEX_BYTES = 10 * 1024 * 1024

export interface VexOutcome {
  /** Private copies of the deciding versions, handed to the engine. */
  files: string[]
  applied: { path: string; origin: string }[]
  /** Files named but not applied, and why (a VEX file a pull request adds applies once merged). */
  notApplied: { path: string; reason: string }[]
  /** Files the change edits: its version is shown, the base version decides. */
  proposed: string[]
}

/**
 * VEX statements mark vulnerabilities as not affecting the image, so a VEX file is a file a pull request
 * could use to hide its own findings. Like the policy, on pull requests and merge queues the merge-base
 * version decides by default (`source: base`); the checkout's otherwise. The deciding text is copied to a
 * private directory: the engine never reads the workspace's file.
 */
export async function trustedVexFiles(
  files: readonly string[],
  options: {
    workspace: string
    source: TrustSource
    base: PullRequestBase | undefined
    dir: string
    inputName: string
  }
): Promise<VexOutcome> {
  const outcome: VexOutcome = { files: [], applied: [], notApplied: [], proposed: [] }
  for (const [index, file] of files.entries()) {
    const trusted = await readTrustedFile(file, {
      workspace: options.workspace,
      source: options.source,
      base: options.base,
      what: `VEX file (input '${options.inputName}')`,
      maxBytes: MAX_VEX_BYTES
    })
    if (trusted.proposed) outcome.proposed.push(file)
    if (trusted.deciding.text === undefined) {
      if (!options.base || options.source === 'head')
        throw new ConfigurationError(
          `Input '${options.inputName}' names ${file}, which does not exist in the workspace.`
        )
      outcome.notApplied.push({
        path: file,
        reason: `not in the ${trusted.deciding.origin} version; it applies once the change is merged`
      })
      continue
    }
    const copy = path.join(options.dir, `vex-${index}${path.extname(file) || '.json'}`)
    await writeFile(copy, trusted.deciding.text, { mode: 0o600 })
    outcome.files.push(copy)
    outcome.applied.push({ path: file, origin: trusted.deciding.origin })
  }
  return outcome
}
