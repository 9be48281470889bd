/*
 * The one-line TOML values the osv-scanner.toml reader accepts. Anything else in a field that decides
 * an ignore is refused: BurntSushi/toml reads escapes, string dates and the like, this reader does not.
 */

const STRING_VALUE = /^(?:"([^"\\\n]*)"|'([^'\n]*)')\s*(?:#.*)?$/
const DATE_VALUE = /^(\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)\s*(?:#.*)?$/
const BOOLEAN_VALUE = /^(true|false)\s*(?:#.*)?$/

/** `an id`, `a name`. */
const article = (field: string) => `${/^[aeiou]/i.test(field) ? 'an' : 'a'} ${field}`

/** A plain one-line string, or an Error naming the line. */
export function plainString(value: string, field: string, line: number): string {
  const text = STRING_VALUE.exec(value)
  if (!text) throw new Error(`line ${line} holds ${article(field)} that is not a plain one-line string`)
  return text[1] ?? text[2] ?? ''
}

/** A bare TOML date or date-time (a quoted one osv-scanner also reads as a time), or an Error naming the line. */
export function tomlDate(value: string, field: string, line: number): string {
  const date = DATE_VALUE.exec(value)?.[1]
  if (!date || Number.isNaN(Date.parse(localTime(date))))
    throw new Error(
      `line ${line} holds ${article(field)} that is not a TOML date; write it bare, as ${field} = 2027-01-31`
    )
  return date
}

/** true or false, or an Error naming the line. */
export function tomlBoolean(value: string, field: string, line: number): boolean {
  const flag = BOOLEAN_VALUE.exec(value)?.[1]
  if (!flag) throw new Error(`line ${line} holds ${article(field)} that is not true or false`)
  return flag === 'true'
}

/**
 * Whether an ignoreUntil or effectiveUntil has passed on `now`, as osv-scanner decides: an entry
 * applies while its date is after the run. A date without an offset is the runner's local time in both.
 */
export const hasPassed = (date: string | undefined, now: Date): boolean =>
  date !== undefined && Date.parse(localTime(date)) <= now.getTime()

/** JavaScript reads a bare date as UTC midnight, Go's TOML as local midnight: make it a local time. */
const localTime = (date: string) => (date.length === 10 ? `${date}T00:00:00` : date.replace(' ', 'T'))
