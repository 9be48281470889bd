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

/**
 * Newline- or comma-separated list; blank entries and `#` comments are dropped. A comma inside a glob's
 * `{a,b}` (the globs read them, `deploy/{base,overlays}/**`) separates alternatives, not items; a brace
 * left open ends with its line, and `\{` is no brace, as the globs read it.
 */
export function parseList(raw: string | undefined): string[] {
  if (raw === undefined) return []
  const items: string[] = []
  let item = ''
  let depth = 0
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!
    if (char === '\n' || (char === ',' && depth === 0)) {
      items.push(item)
      item = ''
      depth = 0
      continue
    }
    const next = raw[i + 1]
    if (char === '\\' && next !== undefined && next !== '\n') {
      item += char + next
      i++
      continue
    }
    if (char === '{') depth++
    else if (char === '}' && depth > 0) depth--
    item += char
  }
  items.push(item)
  return items.map(entry => entry.trim()).filter(entry => entry !== '' && !entry.startsWith('#'))
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
