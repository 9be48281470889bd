import { hasPassed, plainString, tomlBoolean, tomlDate } from './toml-values.js'

/*
 * A [[PackageOverrides]] entry with `ignore = true` makes osv-scanner skip every package it matches,
 * one with `vulnerability.ignore = true` drop every advisory of them (internal/config/config.go of the
 * pinned v2): ignores as strong as [[IgnoredVulns]], so they are read, listed and refused alike.
 */

/** What a `[[PackageOverrides]]` entry hides, as osv-scanner applies it on the day of the run. */
export interface PackageIgnore {
  /** The line of its `[[PackageOverrides]]` header. */
  line: number
  /** `package`: not scanned at all (`ignore = true`); `advisories`: every advisory dropped (`vulnerability.ignore = true`). */
  hides: 'package' | 'advisories'
  name?: string
  ecosystem?: string
  version?: string
  group?: string
  until?: string
  /**
   * Earlier entries of the same kind whose date has passed and that match some of these packages:
   * osv-scanner takes the first entry that matches and checks only its date, so it hides nothing there.
   */
  except: number[]
}

/** One `[[PackageOverrides]]` entry, as far as it can hide advisories. */
export interface OverrideEntry {
  line: number
  name?: string
  ecosystem?: string
  version?: string
  group?: string
  /** The line of `nameIsRegex = true`. */
  regexLine?: number
  ignore?: boolean
  vulnerabilityIgnore?: boolean
  until?: string
}

const FILTERS = ['name', 'ecosystem', 'version', 'group'] as const

/** Reads one `key = value` line of the entry; throws on a value osv-scanner could read otherwise. */
export function readOverrideField(entry: OverrideEntry, field: string, value: string, line: number): void {
  if ((FILTERS as readonly string[]).includes(field))
    entry[field as (typeof FILTERS)[number]] = plainString(value, field, line)
  else if (field === 'ignore') entry.ignore = tomlBoolean(value, field, line)
  else if (field === 'vulnerability.ignore') entry.vulnerabilityIgnore = tomlBoolean(value, field, line)
  else if (field === 'effectiveUntil') entry.until = tomlDate(value, field, line)
  else if (field === 'nameIsRegex' && tomlBoolean(value, field, line)) entry.regexLine = line
  else if (field === 'vulnerability')
    throw new Error(
      `line ${line} holds an inline 'vulnerability' table, which sca does not read; write vulnerability.ignore = true in the [[PackageOverrides]] entry`
    )
}

const base = (ecosystem: string) => ecosystem.split(':')[0]

/** Whether `first` matches every package `later` matches (osv-scanner also matches an ecosystem by its base, `Debian` for `Debian:12`). */
function covers(first: OverrideEntry, later: OverrideEntry): boolean {
  return FILTERS.every(f => {
    const a = first[f]
    const b = later[f]
    return a === undefined || a === b || (f === 'ecosystem' && b !== undefined && base(b) === a)
  })
}

/** Whether some package could match both (a package can be in several groups, so groups never part them). */
function overlaps(first: OverrideEntry, later: OverrideEntry): boolean {
  return FILTERS.every(f => {
    const a = first[f]
    const b = later[f]
    if (a === undefined || b === undefined || a === b || f === 'group') return true
    return f === 'ecosystem' && (base(a) === b || base(b) === a)
  })
}

/** The rules of one kind, each with the expired entries osv-scanner applies first to part of it. */
function rulesOf(
  entries: readonly OverrideEntry[],
  hides: PackageIgnore['hides'],
  now: Date
): PackageIgnore[] {
  const ofKind = entries.filter(e => (hides === 'package' ? e.ignore : e.vulnerabilityIgnore))
  return ofKind.flatMap((entry, index) => {
    if (hasPassed(entry.until, now)) return []
    const expired = ofKind.slice(0, index).filter(e => hasPassed(e.until, now) && overlaps(e, entry))
    if (expired.some(e => covers(e, entry))) return []
    const rule: PackageIgnore = { line: entry.line, hides, except: expired.map(e => e.line) }
    for (const f of FILTERS) if (entry[f] !== undefined) rule[f] = entry[f]
    if (entry.until !== undefined) rule.until = entry.until
    return [rule]
  })
}

/**
 * What the entries hide on `now`, in file order. An entry that also skips the package fully is listed
 * once, as skipping it. Throws on a regular-expression name in an entry that hides anything: Go's
 * regexp and JavaScript's differ, and which packages it hides could not be listed.
 */
export function packageIgnores(entries: readonly OverrideEntry[], now: Date): PackageIgnore[] {
  for (const entry of entries)
    if (entry.regexLine !== undefined && (entry.ignore || entry.vulnerabilityIgnore))
      throw new Error(
        `line ${entry.regexLine} holds a regular-expression name (nameIsRegex) in a [[PackageOverrides]] entry that ignores, which sca does not read; name each package in an entry of its own`
      )
  const skipped = rulesOf(entries, 'package', now)
  const whole = new Set(skipped.filter(r => r.except.length === 0).map(r => r.line))
  const hidden = rulesOf(entries, 'advisories', now).filter(r => !whole.has(r.line))
  return [...skipped, ...hidden].sort((a, b) => a.line - b.line)
}

/** The same ignore in two versions of the file, wherever its line is. */
export const packageIgnoreKey = ({ line: _line, except, ...rule }: PackageIgnore): string =>
  JSON.stringify({ ...rule, partial: except.length > 0 })

/** `every advisory of lodash 4.17.11 in npm group dev until 2027-01-31 (line 4)`: no comma, they are listed with commas. */
export function describePackageIgnore(rule: PackageIgnore): string {
  const what = `${rule.name ?? 'every package'}${rule.version !== undefined ? ` ${rule.version}` : ''} in ${
    rule.ecosystem ?? 'any ecosystem'
  }${rule.group !== undefined ? ` group ${rule.group}` : ''}`
  const hides = rule.hides === 'package' ? `the whole of ${what} (not scanned)` : `every advisory of ${what}`
  const except =
    rule.except.length > 0
      ? ` except those the expired ${rule.except.length > 1 ? 'entries at lines' : 'entry at line'} ${rule.except.join(' and ')} ${rule.except.length > 1 ? 'match' : 'matches'} first`
      : ''
  return `${hides}${except}${rule.until !== undefined ? ` until ${rule.until}` : ''} (line ${rule.line})`
}
