import type { Logger } from '../runtime/logger.js'
import { RegistryError } from './errors.js'

export interface MirrorFailure {
  reference: string
  message: string
}

export interface FromMirror<T> {
  value: T
  /** The reference that answered. */
  reference: string
  /** Those tried before it, with why each failed. */
  failed: MirrorFailure[]
}

/**
 * Tries `references` in order (each already retried with backoff by the client) and returns the first
 * that gives an answer. A registry error of any kind moves on to the next mirror, integrity failures
 * included (another mirror may hold the true bytes); anything else (a full disk, a bug) stops at once.
 * When every mirror failed, one `unavailable` error lists each reason.
 */
export async function fromFirstAvailable<T>(
  references: readonly string[],
  attempt: (reference: string) => Promise<T>,
  logger?: Logger
): Promise<FromMirror<T>> {
  const failed: MirrorFailure[] = []
  for (const reference of references) {
    try {
      return { value: await attempt(reference), reference, failed }
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error
      failed.push({ reference, message: error.message })
      const next = references[failed.length]
      logger?.warning(`${error.message.replace(/\.$/, '')}${next ? `; trying the next mirror, ${next}` : ''}`)
    }
  }
  throw new RegistryError(
    references.join(', '),
    'unavailable',
    references.length === 0
      ? 'no repository to try'
      : `none of the ${references.length} repositories answered: ${failed.map(f => f.message.replace(/\.$/, '')).join('; ')}`
  )
}
