import { ConfigurationError } from '../runtime/errors.js'

export const DAY_MS = 86_400_000

/** The window every metric covers: [from, to], both instants, with a label for file names and reports. */
export interface Period {
  from: Date
  to: Date
  /** `2026-07-04..2026-10-01`: the days the window touches, in UTC. */
  label: string
}

/** A slice of the period for series (counts over time, success rate per week). */
export interface Bucket {
  start: number
  end: number
  label: string
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const UNIT_DAYS: Record<string, number> = { d: 1, w: 7, m: 30, y: 365 }

/** A day written YYYY-MM-DD that exists, at `time` UTC; NaN otherwise (Date.parse rolls 2026-02-30 into March). */
function utcDay(date: string, time: string): number {
  const ms = Date.parse(`${date}T${time}Z`)
  return !Number.isNaN(ms) && day(ms) === date ? ms : NaN
}

const END = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:\d{2})?)?$/

/**
 * The end of a relative period: a date, to the end of that UTC day, or an ISO time, UTC unless it names
 * an offset. Only these: `new Date` would also take "June 30" (in 2001) and the runner's time zone.
 */
export function parsePeriodEnd(text: string, inputName: string): Date {
  const [, date, time, zone] = END.exec(text.trim()) ?? []
  const valid = date !== undefined && !Number.isNaN(utcDay(date, '00:00:00'))
  const end = !valid
    ? NaN
    : time === undefined
      ? utcDay(date, '23:59:59.999')
      : Date.parse(`${date}T${time}${zone ?? 'Z'}`)
  if (Number.isNaN(end))
    throw new ConfigurationError(
      `Input '${inputName}' ('${text}') must be a date (2026-06-30) or an ISO time (2026-06-30T12:00:00Z).`
    )
  return new Date(end)
}

/**
 * `90d`, `12w`, `6m` (30-day months), `1y`, ending at `end`; or two dates `2026-01-01..2026-06-30`
 * (whole UTC days, the second included).
 */
export function parsePeriod(text: string, end: Date, inputName: string): Period {
  const relative = /^(\d{1,4})([dwmy])$/.exec(text.trim())
  if (relative) {
    const days = Number(relative[1]) * UNIT_DAYS[relative[2]!]!
    if (days < 1 || days > 3 * 366)
      throw new ConfigurationError(`Input '${inputName}' ('${text}') must cover 1 day to 3 years.`)
    const from = new Date(end.getTime() - days * DAY_MS)
    return { from, to: end, label: `${day(from.getTime())}..${day(end.getTime())}` }
  }
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text.trim())
  const from = range ? utcDay(range[1]!, '00:00:00') : NaN
  const to = range ? utcDay(range[2]!, '23:59:59.999') : NaN
  if (!range || Number.isNaN(from) || Number.isNaN(to) || from > to || to - from > 3 * 366 * DAY_MS)
    throw new ConfigurationError(
      `Input '${inputName}' ('${text}') must be a length like 90d, 12w, 6m or 1y, or dates written 2026-01-01..2026-06-30.`
    )
  return { from: new Date(from), to: new Date(to), label: `${range[1]}..${range[2]}` }
}

/**
 * The period as far as it has happened: one ending after `now` (the end of today, a range to the end of
 * the year) ends now, or the time still to come would count as open findings' age, time in drift and
 * empty slices. A period that has not begun is refused, naming the input that set its end.
 */
export function endedBy(period: Period, now: Date, inputName: string, text: string): Period {
  if (period.to.getTime() <= now.getTime()) return period
  if (period.from.getTime() >= now.getTime())
    throw new ConfigurationError(
      `Input '${inputName}' ('${text}') puts the whole period after now (${now.toISOString()}): give an end up to today.`
    )
  return { from: period.from, to: now, label: `${day(period.from.getTime())}..${day(now.getTime())}` }
}

/** Days for a period of up to nine weeks, weeks beyond: a chart keeps between 7 and about 160 points. */
export function buckets(period: Period): Bucket[] {
  const span = period.to.getTime() - period.from.getTime()
  const size = span <= 63 * DAY_MS ? DAY_MS : 7 * DAY_MS
  const result: Bucket[] = []
  // Aligned to the end, so the last bucket is the most recent whole day or week.
  for (let end = period.to.getTime(); end > period.from.getTime(); end -= size) {
    const start = Math.max(end - size, period.from.getTime())
    result.push({ start, end, label: size === DAY_MS ? day(end - 1) : `week to ${day(end - 1)}` })
  }
  return result.reverse()
}

export const inPeriod = (period: Period, ms: number) =>
  ms >= period.from.getTime() && ms <= period.to.getTime()

/** Days between two instants, to two decimals. */
export const daysBetween = (from: number, to: number) => Math.round(((to - from) / DAY_MS) * 100) / 100

/** The bucket an instant falls in (a bucket holds its end; the first one also its start), or -1. */
export function bucketIndex(slices: readonly Bucket[], ms: number): number {
  let low = 0
  let high = slices.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const b = slices[middle]!
    if (ms > b.end) low = middle + 1
    else if (ms < b.start || (ms === b.start && middle > 0)) high = middle - 1
    else return middle
  }
  return -1
}
