import * as core from './workflow-commands.js'
import { ConfigurationError } from './errors.js'

/** The runner passes an unset input as ''; treat that as absent. */
export function getOptionalInput(name: string): string | undefined {
  const value = core.getInput(name).trim()
  return value === '' ? undefined : value
}

export function getRequiredInput(name: string, fix: string): string {
  const value = getOptionalInput(name)
  if (value === undefined) throw new ConfigurationError(`Input '${name}' is required: ${fix}`)
  return value
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1'])
const FALSE_WORDS = new Set(['false', 'no', 'off', '0'])

export function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback
  const word = raw.trim().toLowerCase()
  if (TRUE_WORDS.has(word)) return true
  if (FALSE_WORDS.has(word)) return false
  throw new ConfigurationError(`Input '${name}' must be true or false, got '${raw}'.`)
}

export function getBooleanInput(name: string, fallback: boolean): boolean {
  return parseBoolean(name, getOptionalInput(name), fallback)
}

export type TriState = 'true' | 'false' | 'auto'

export function parseTriState(name: string, raw: string | undefined, fallback: TriState): TriState {
  if (raw === undefined) return fallback
  const word = raw.trim().toLowerCase()
  if (word === 'auto') return 'auto'
  return parseBoolean(name, word, false) ? 'true' : 'false'
}

export function getTriStateInput(name: string, fallback: TriState): TriState {
  return parseTriState(name, getOptionalInput(name), fallback)
}

/** Newline- or comma-separated list; blank entries and `#` comments are dropped. */
export function parseList(raw: string | undefined): string[] {
  if (raw === undefined) return []
  return raw
    .split(/[\n,]/)
    .map(item => item.trim())
    .filter(item => item !== '' && !item.startsWith('#'))
}

export function getListInput(name: string): string[] {
  return parseList(getOptionalInput(name))
}

export function parseEnum<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
  fallback: T
): T {
  if (raw === undefined) return fallback
  const value = raw.trim().toLowerCase() as T
  if (!allowed.includes(value)) {
    throw new ConfigurationError(`Input '${name}' must be one of ${allowed.join(', ')}; got '${raw}'.`)
  }
  return value
}

export function parsePositiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw.trim()))
    throw new ConfigurationError(`Input '${name}' must be a whole number, got '${raw}'.`)
  return Number(raw.trim())
}
