import fc from 'fast-check'
import { deepStrictEqual } from 'node:assert/strict'
import { parseReport } from '../../packages/core/src/findings/detect.js'
import {
  isSeverity,
  type Finding,
  type ReportFormat,
  type ScanReport,
  type Severity
} from '../../packages/core/src/findings/finding.js'
import { BrokenInputError } from '../../packages/core/src/runtime/errors.js'
import { expected, type Json } from './expected-findings.js'

/*
 * Shared by the per-reader fuzz tests: generated reports whose content is known (the model), file paths
 * with a known repository reading, and the checks every reader must pass on what it parsed.
 */

/** Each reader is fuzzed with at least this many generated reports. */
export const FUZZ_RUNS = 10_000

/** The workspace every fuzzed report is read against. */
export const WORKSPACE = '/work/repo'

/**
 * A choice sequence: a generated report is built from a stream of numbers, each choice taking the next
 * one. Generating one Uint32Array is ~20 times cheaper than a tree of fast-check records, which is what
 * lets every reader get 10,000 runs in unit time; fast-check still shrinks the stream (shorter, smaller
 * numbers), and an exhausted stream always makes the first, simplest choice.
 */
export class Choices {
  private next = 0
  constructor(private readonly values: Uint32Array) {}

  int(bound: number): number {
    return this.next < this.values.length ? this.values[this.next++]! % bound : 0
  }
  pick<T>(options: readonly T[]): T {
    return options[this.int(options.length)]!
  }
  bool(): boolean {
    return this.int(2) === 1
  }
  maybe<T>(make: () => T): T | undefined {
    return this.bool() ? make() : undefined
  }
  list<T>(max: number, make: (index: number) => T): T[] {
    return Array.from({ length: this.int(max + 1) }, (_, index) => make(index))
  }
  /** One of the options, each as often as its weight. */
  weighted<T>(options: readonly (readonly [number, () => T])[]): T {
    let roll = this.int(options.reduce((sum, [weight]) => sum + weight, 0))
    for (const [weight, make] of options) {
      if (roll < weight) return make()
      roll -= weight
    }
    return options[0]![1]()
  }
}

/** The raw material of one generated report; build it with `new Choices(stream)` inside the property. */
export const choiceStream = fc.uint32Array({ maxLength: 160, size: 'max' })

/** A path as the scanner wrote it, and the repository path it must read as (undefined: no location). */
export interface ReportPath {
  raw: string
  repo: string | undefined
}

// Names that look like traversal or options but are plain files (`..x`, `-`), spaces, non-ASCII, `%`, `:`.
const SEGMENTS = [
  'src',
  'app',
  'web',
  'go.mod',
  'package-lock.json',
  'Dockerfile',
  '.github',
  '..x',
  'x..',
  '-',
  'a b',
  'ünï',
  '100%',
  'x:y'
]

export function repositoryPath(c: Choices): string {
  return Array.from({ length: 1 + c.int(4) }, () => c.pick(SEGMENTS)).join('/')
}

const OUTSIDE = [
  '',
  '.',
  './',
  '..',
  '../',
  '/',
  '/etc/passwd',
  'a/../../etc/passwd',
  'a\\..\\..\\b',
  'C:\\Windows\\x',
  'C:/x',
  'host://10.0.0.2',
  'https://example.test/x',
  'file:///elsewhere/go.mod'
]

/**
 * Paths as scanners write them: plain repository paths (most), the same with noise that folds away
 * (`./`, backslashes, `x/../`, the workspace prefix), and paths outside the repository.
 * `leadingSlashIsRoot`: the tool writes paths inside the scanned folder as `/…` (Grype).
 */
export function reportPath(c: Choices, { leadingSlashIsRoot = false } = {}): ReportPath {
  const p = repositoryPath(c)
  return c.weighted<ReportPath>([
    [6, () => ({ raw: p, repo: p })],
    [1, () => ({ raw: `./${p}`, repo: p })],
    [1, () => ({ raw: p.replace(/\//g, '\\'), repo: p })],
    [1, () => ({ raw: `x/./y/../../${p}`, repo: p })],
    [1, () => ({ raw: `${WORKSPACE}/${p}`, repo: p })],
    [1, () => ({ raw: `../${p}`, repo: undefined })],
    [1, () => ({ raw: `/elsewhere/${p}`, repo: leadingSlashIsRoot ? `elsewhere/${p}` : undefined })],
    [
      1,
      () => {
        const raw = c.pick(OUTSIDE)
        return { raw, repo: leadingSlashIsRoot && raw === '/etc/passwd' ? 'etc/passwd' : undefined }
      }
    ]
  ])
}

/** An advisory or rule id; a few look like JavaScript's own property names. */
export function identifier(c: Choices): string {
  return c.weighted([
    [4, () => `CVE-2024-${1 + c.int(99_999)}`],
    [1, () => c.pick(['constructor', '__proto__', 'toString', 'GHSA-aaaa-bbbb-cccc'])]
  ])
}

const MESSAGES = [
  'a message',
  'x',
  '  padded  ',
  'two\nlines',
  '::error::injected',
  'ünïcode 💥',
  '<b>&amp;</b>'
]
export const message = (c: Choices) => c.pick(MESSAGES)

/** A CVSS-like score with one decimal, 0.1 to 10.0. */
export const score = (c: Choices) => (1 + c.int(100)) / 10

const HOSTILE_LOCATION = /^\/|\\|^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^[A-Za-z]:\//

/*
 * Plain checks rather than expect(): they run for every finding of 10,000 reports per reader, and a thrown
 * Error fails the property with its shrunk counterexample all the same.
 */
export function check(condition: boolean, what: string, value?: unknown): asserts condition {
  if (!condition) throw new Error(`${what}${value === undefined ? '' : `: ${JSON.stringify(value)}`}`)
}

/** Every location a reader gives is a file of the repository: relative, no `.`/`..`/empty segment. */
function checkRepositoryLocation(finding: Finding): void {
  const path = finding.location?.path
  if (path === undefined) return
  check(path !== '' && !HOSTILE_LOCATION.test(path), 'location is not a repository path', path)
  for (const part of path.replace(/\/$/, '').split('/'))
    check(part !== '' && part !== '.' && part !== '..', 'location has an empty, . or .. segment', path)
}

/** The checks that hold for every finding of every reader. */
export function checkWellFormed(report: ScanReport): void {
  for (const finding of report.findings) {
    check(isSeverity(finding.severity), 'severity is not one of the five', finding.severity)
    check(/^[0-9a-f]{32}$/.test(finding.fingerprint), 'fingerprint', finding.fingerprint)
    check(typeof finding.ruleId === 'string' && finding.ruleId !== '', 'rule id', finding.ruleId)
    check(typeof finding.message === 'string' && finding.message !== '', 'message', finding.message)
    const score = finding.securitySeverity
    check(score === undefined || (score > 0 && score <= 10), 'securitySeverity outside (0, 10]', score)
    checkRepositoryLocation(finding)
  }
}

/** The oracle's severities for a generated report, in report order (see expected-findings.ts). */
function oracleSeverities(raw: Json): Severity[] {
  return expected(raw).severities
}

/**
 * A report cut anywhere before its end is a BrokenInputError, never a smaller report: the text is
 * compact JSON, so every strict prefix is malformed.
 */
function checkCutIsBroken(text: string, cut: number, parse: (text: string) => unknown): void {
  let outcome: unknown
  try {
    outcome = parse(text.slice(0, cut % text.length))
  } catch (error) {
    outcome = error
  }
  check(outcome instanceof BrokenInputError, 'a cut report did not fail as a broken input', cut % text.length)
}

export interface ReaderFuzz<G extends { raw: Json }> {
  format: ReportFormat
  /** A report and what it holds, from a choice stream. */
  generate: (c: Choices) => G
  /** The checks particular to the format, on top of the ones every reader passes. */
  expect: (parsed: ScanReport, generated: G) => void
  /** How the report is read: parseReport by default (SARIF has its own entry point too). */
  parse?: (text: string, workspace?: string) => ScanReport
}

/**
 * FUZZ_RUNS generated reports of one format, each read against WORKSPACE: the format is recognised, every
 * finding is well formed, the severities are the oracle's in report order, the format's own checks hold,
 * and the report cut anywhere before its end is a BrokenInputError.
 */
export function fuzzReader<G extends { raw: Json }>(fuzz: ReaderFuzz<G>): void {
  const parse = fuzz.parse ?? ((text, workspace) => parseReport(text, 'report', { workspace }))
  fc.assert(
    fc.property(choiceStream, fc.nat(), (stream, cut) => {
      const generated = fuzz.generate(new Choices(stream))
      const text = JSON.stringify(generated.raw)
      const parsed = parse(text, WORKSPACE)
      check(parsed.format === fuzz.format, 'format', parsed.format)
      checkWellFormed(parsed)
      deepStrictEqual(
        parsed.findings.map(f => f.severity),
        oracleSeverities(generated.raw)
      )
      fuzz.expect(parsed, generated)
      checkCutIsBroken(text, cut, t => parse(t))
    }),
    { numRuns: FUZZ_RUNS }
  )
}
