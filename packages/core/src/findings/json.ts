import { BrokenInputError } from '../runtime/errors.js'

/** A JSON object as read from a report: every field must be checked before use. */
export type JsonObject = Record<string, unknown>

/** Parses a whole report; empty or cut-off text is a broken report, never an empty one. */
export function parseJsonText(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (body.trim() === '') throw new BrokenInputError(source, 'the report is empty')
  try {
    return JSON.parse(body)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new BrokenInputError(
      source,
      `truncated or malformed JSON (${detail}); the scanner probably did not finish`
    )
  }
}

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const asObject = (value: unknown): JsonObject | undefined => (isObject(value) ? value : undefined)

export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

export const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined

export const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

export const asPositiveInt = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined

/** Strings of an array, skipping everything else. */
export function asStrings(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  const out: string[] = []
  for (const item of value) if (typeof item === 'string' && item !== '') out.push(item)
  return out
}

/** A string-valued map (fingerprints); non-string values are dropped. */
export function asStringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!isObject(value)) return out
  for (const key of Object.keys(value)) {
    const item = value[key]
    if (typeof item === 'string' && item !== '') out[key] = item
  }
  return out
}
