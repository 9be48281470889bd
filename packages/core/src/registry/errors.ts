import { BrokenInputError } from '../runtime/errors.js'

/**
 * Why a registry could not give what was asked. `not-found`, `unauthorized` and `platform` are usually
 * the caller's to fix (a typo, missing credentials, a platform the image does not have); `unavailable`
 * is the registry's (down, rate limited past every retry); `integrity` and `invalid` mean the answer
 * cannot be trusted (bytes that do not match their digest, a manifest we cannot read).
 */
export type RegistryFailure =
  'not-found' | 'unauthorized' | 'unavailable' | 'integrity' | 'invalid' | 'platform'

/** A registry answer that cannot be used; never to be read as "nothing there". */
export class RegistryError extends BrokenInputError {
  override name = 'RegistryError'
  constructor(
    /** The image or repository reference asked about. */
    readonly reference: string,
    readonly reason: RegistryFailure,
    message: string,
    /** The HTTP status of the last answer, when there was one. */
    readonly status?: number
  ) {
    super(reference, message)
  }
}
