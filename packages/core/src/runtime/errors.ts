/**
 * A mistake the user can fix (bad input, bad policy file, missing permission).
 * Reported as a one-line `::error::` naming what to change; never a stack trace.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError'
}

/**
 * An input the action was given to read (a scanner report, a baseline) is missing,
 * truncated, malformed, or says its scanner failed. Never to be read as "0 findings".
 */
export class BrokenInputError extends Error {
  override name = 'BrokenInputError'
  constructor(
    readonly source: string,
    message: string
  ) {
    super(`${source}: ${message}`)
  }
}

/**
 * Work given up because another part of the same run already failed (a download that would only delay
 * the report of that failure). Never the failure a run reports: the one that caused it is.
 */
export class CancelledError extends Error {
  override name = 'CancelledError'
}

/** A pinned tool's bytes do not match the sha256 kept in this repo. Nothing was executed. */
export class IntegrityError extends Error {
  override name = 'IntegrityError'
}

export function getErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  // Errors from another realm (jest's vm contexts, undici's fetch) fail instanceof but still have a message.
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  ) {
    return (error as { message: string }).message
  }
  try {
    return JSON.stringify(error)
  } catch {
    return String(error)
  }
}

/** Keeps the class of a known error and adds context to its message. */
export function wrapError(error: unknown, context: string): Error {
  const message = `${context}: ${getErrorMessage(error)}`
  if (error instanceof ConfigurationError) return new ConfigurationError(message)
  if (error instanceof IntegrityError) return new IntegrityError(message)
  if (error instanceof BrokenInputError)
    return new BrokenInputError(error.source, `${context}: ${error.message}`)
  return new Error(message, { cause: error })
}

export function isUserError(error: unknown): boolean {
  return (
    error instanceof ConfigurationError ||
    error instanceof BrokenInputError ||
    error instanceof IntegrityError
  )
}

/**
 * Text from a file, quoted in a one-line error: control characters and the line breaks YAML and
 * JavaScript know besides `\n` (U+0085, U+2028, U+2029) become `\uXXXX`, so a key or value a pull
 * request wrote can never start a new line (or a new workflow command) in the log.
 */
export function escapeLineBreaks(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
    /[\x00-\x1f\x7f\u0085\u2028\u2029]/g,
    char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}
