import { SEVERITIES, type Severity } from '../findings/finding.js'
import { escapeLineBreaks, getErrorMessage } from '../runtime/errors.js'
import { Glob } from '../runtime/glob-match.js'

/*
 * The policy file's format, checked by hand rather than with a schema library: the gate and k8s-policy
 * read this file on every run, and building and first running a zod schema for it cost 20 to 30 ms of
 * each. Every problem is collected with its path, as a schema library would report it.
 */

export interface Thresholds {
  'fail-on'?: Severity[]
  'fix-available-only'?: boolean
  max?: Partial<Record<Severity, number>>
}

export interface GateSection extends Thresholds {
  'warn-only'?: boolean
  'max-exception-days'?: number
  scanners?: Record<string, Thresholds>
  categories?: Record<string, Thresholds>
  upload?: boolean | 'auto'
  comment?: boolean | 'auto'
}

export interface ExceptionEntry {
  id?: string
  rule?: string
  package?: string
  path?: string
  image?: string
  scanner?: string
  /** Kubernetes findings only: the namespace of the object, exact. */
  namespace?: string
  /** Kubernetes findings only: the workload (`Deployment/web`) of the object, exact. */
  workload?: string
  reason: string
  owner: string
  /** YYYY-MM-DD. */
  expires: string
}

export interface PolicyFile {
  version?: 1
  gate?: GateSection
  exceptions?: ExceptionEntry[]
  'k8s-policy'?: { rules?: Record<string, boolean> }
}

export interface PolicyIssue {
  path: (string | number)[]
  message: string
}

export type PolicyCheck = { success: true; data: PolicyFile } | { success: false; issues: PolicyIssue[] }

type Path = (string | number)[]
type Json = Record<string, unknown>

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
const WORKLOAD = /^[A-Z][A-Za-z0-9]{0,62}\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/
const RULE_SWITCH: Record<string, boolean> = {
  on: true,
  true: true,
  enabled: true,
  off: false,
  false: false,
  disabled: false
}

/** One pass over a parsed policy file: its typed content, or every problem with its path. */
export function checkPolicyFile(value: unknown): PolicyCheck {
  const issues: PolicyIssue[] = []
  const data = new Reader(issues).policyFile(value)
  return issues.length === 0 ? { success: true, data } : { success: false, issues }
}

class Reader {
  constructor(private readonly issues: PolicyIssue[]) {}

  private fail(path: Path, message: string): undefined {
    // Values from the file are quoted in messages; a line break among them must not split the error.
    this.issues.push({ path, message: escapeLineBreaks(message) })
    return undefined
  }

  /** An object with only `known` keys; each unknown one is a problem. */
  private object(value: unknown, path: Path, known: readonly string[]): Json | undefined {
    if (!isPlainMapping(value)) return this.fail(path, `expected a mapping, got ${describe(value)}`)
    const unknown = Object.keys(value).filter(key => !known.includes(key))
    if (unknown.length > 0)
      this.fail(
        path,
        `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map(key => JSON.stringify(key)).join(', ')}`
      )
    return value as Json
  }

  private optional<T>(
    object: Json,
    key: string,
    path: Path,
    read: (value: unknown, path: Path) => T | undefined
  ) {
    return object[key] === undefined ? undefined : read(object[key], [...path, key])
  }

  private boolean(value: unknown, path: Path): boolean | undefined {
    return typeof value === 'boolean'
      ? value
      : this.fail(path, `expected true or false, got ${describe(value)}`)
  }

  private integer(
    value: unknown,
    path: Path,
    min: number,
    max = Number.MAX_SAFE_INTEGER
  ): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value))
      return this.fail(path, `expected a whole number, got ${describe(value)}`)
    if (value < min || value > max)
      return this.fail(
        path,
        `must be ${max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min} to ${max}`}, got ${value}`
      )
    return value
  }

  private text(value: unknown, path: Path): string | undefined {
    if (typeof value !== 'string') return this.fail(path, `expected text, got ${describe(value)}`)
    return value === '' ? this.fail(path, 'must not be empty') : value
  }

  /** A mapping of any keys; built with fromEntries, so a key `__proto__` stays a key. */
  private record<T>(value: unknown, path: Path, read: (value: unknown, path: Path) => T | undefined) {
    const object = this.object(value, path, Object.keys(value ?? {}))
    if (!object) return undefined
    const entries: [string, T][] = []
    for (const [key, item] of Object.entries(object)) {
      const checked = read(item, [...path, key])
      if (checked !== undefined) entries.push([key, checked])
    }
    return Object.fromEntries(entries) as Record<string, T>
  }

  /**
   * Scanner and category names match in any case, so `Trivy` and `trivy` are one name: the policy keeps
   * the last, and the other's settings would be dropped without a word.
   */
  private caseDuplicates(value: unknown, path: Path): void {
    if (!isPlainMapping(value)) return
    const byLower = new Map<string, string[]>()
    for (const key of Object.keys(value))
      byLower.set(key.toLowerCase(), [...(byLower.get(key.toLowerCase()) ?? []), key])
    for (const [name, keys] of byLower)
      if (keys.length > 1)
        this.fail(
          path,
          `names ${name} ${keys.length === 2 ? 'twice' : `${keys.length} times`} (${keys.map(key => JSON.stringify(key)).join(', ')}); names are compared without case, keep one`
        )
  }

  /** Severity words users write, in any case; `moderate` is GitHub's advisory word for medium. */
  private severity(value: unknown, path: Path): Severity | undefined {
    const word =
      typeof value === 'string'
        ? value
            .trim()
            .toLowerCase()
            .replace(/^moderate$/, 'medium')
        : value
    if ((SEVERITIES as readonly unknown[]).includes(word)) return word as Severity
    return this.fail(path, `must be one of ${SEVERITIES.join(', ')}, got ${describe(value)}`)
  }

  private list<T>(
    value: unknown,
    path: Path,
    read: (value: unknown, path: Path) => T | undefined
  ): T[] | undefined {
    if (!Array.isArray(value)) return this.fail(path, `expected a list, got ${describe(value)}`)
    return value.map((item, i) => read(item, [...path, i])).filter((item): item is T => item !== undefined)
  }

  private thresholds(value: unknown, path: Path, extra: readonly string[] = []): Thresholds | undefined {
    const object = this.object(value, path, ['fail-on', 'fix-available-only', 'max', ...extra])
    if (!object) return undefined
    const max = this.optional(object, 'max', path, (v, p) => {
      const limits = this.object(v, p, SEVERITIES)
      if (!limits) return undefined
      const out: Partial<Record<Severity, number>> = {}
      for (const severity of SEVERITIES) {
        const limit = this.optional(limits, severity, p, (n, q) => this.integer(n, q, 0))
        if (limit !== undefined) out[severity] = limit
      }
      return out
    })
    return compact({
      'fail-on': this.optional(object, 'fail-on', path, (v, p) =>
        this.list(v, p, (s, q) => this.severity(s, q))
      ),
      'fix-available-only': this.optional(object, 'fix-available-only', path, (v, p) => this.boolean(v, p)),
      max
    })
  }

  private gate(value: unknown, path: Path): GateSection | undefined {
    const own = ['warn-only', 'max-exception-days', 'scanners', 'categories', 'upload', 'comment']
    const thresholds = this.thresholds(value, path, own)
    if (!thresholds) return undefined
    const object = value as Json
    const auto = (v: unknown, p: Path) => (v === 'auto' ? ('auto' as const) : this.boolean(v, p))
    const byName = (v: unknown, p: Path) => {
      this.caseDuplicates(v, p)
      return this.record(v, p, (t, q) => this.thresholds(t, q))
    }
    return compact({
      ...thresholds,
      'warn-only': this.optional(object, 'warn-only', path, (v, p) => this.boolean(v, p)),
      'max-exception-days': this.optional(object, 'max-exception-days', path, (v, p) =>
        this.integer(v, p, 1, 3650)
      ),
      scanners: this.optional(object, 'scanners', path, byName),
      categories: this.optional(object, 'categories', path, byName),
      upload: this.optional(object, 'upload', path, auto),
      comment: this.optional(object, 'comment', path, auto)
    })
  }

  /** A glob the exception matcher can read, refused here rather than when the first finding is matched. */
  private glob(value: unknown, path: Path): string | undefined {
    const pattern = this.text(value, path)
    if (pattern === undefined) return undefined
    try {
      new Glob(pattern)
      return pattern
    } catch (error) {
      return this.fail(path, getErrorMessage(error).replace(/\.$/, ''))
    }
  }

  private matching(value: unknown, path: Path, pattern: RegExp, message: string): string | undefined {
    const text = this.text(value, path)
    return text === undefined || pattern.test(text) ? text : this.fail(path, message)
  }

  private required(value: unknown, path: Path, message: string): string | undefined {
    const text = typeof value === 'string' ? value.trim() : ''
    return text === '' ? this.fail(path, message) : text
  }

  private date(value: unknown, path: Path): string | undefined {
    // A `%YAML 1.1` timestamp arrives as written (parsePolicy keeps its text), so it is checked here too.
    const text = typeof value === 'string' ? value.trim() : undefined
    if (text === undefined)
      return this.fail(path, `must be a date written YYYY-MM-DD, got ${describe(value)}`)
    if (!isCalendarDate(text))
      return this.fail(path, `must be a date written YYYY-MM-DD, got ${describe(text)}`)
    return text
  }

  private exception(value: unknown, path: Path): ExceptionEntry | undefined {
    const keys = [
      'id',
      'rule',
      'package',
      'path',
      'image',
      'scanner',
      'namespace',
      'workload',
      'reason',
      'owner',
      'expires'
    ]
    const object = this.object(value, path, keys)
    if (!object) return undefined
    const at = (key: string): Path => [...path, key]
    const before = this.issues.length
    const entry = compact({
      id: this.optional(object, 'id', path, (v, p) => this.glob(v, p)),
      rule: this.optional(object, 'rule', path, (v, p) => this.glob(v, p)),
      package: this.optional(object, 'package', path, (v, p) => this.text(v, p)),
      path: this.optional(object, 'path', path, (v, p) => this.glob(v, p)),
      image: this.optional(object, 'image', path, (v, p) => this.glob(v, p)),
      scanner: this.optional(object, 'scanner', path, (v, p) => this.text(v, p)),
      namespace: this.optional(object, 'namespace', path, (v, p) =>
        this.matching(
          v,
          p,
          DNS_LABEL,
          'must be a Kubernetes namespace name (lower case letters, digits and -)'
        )
      ),
      workload: this.optional(object, 'workload', path, (v, p) =>
        this.matching(v, p, WORKLOAD, 'must be Kind/name, e.g. Deployment/web')
      ),
      reason: this.required(object.reason, at('reason'), 'is required: say why this finding is accepted'),
      owner: this.required(object.owner, at('owner'), 'is required: who answers for this exception'),
      expires: this.date(object.expires, at('expires'))
    })
    if (!entry.id && !entry.rule && object.id === undefined && object.rule === undefined)
      this.fail(path, 'needs `id` (vulnerability or rule id) or `rule`')
    if (entry.id && entry.rule && entry.id !== entry.rule)
      this.fail(path, '`id` and `rule` name the same thing; give one')
    return this.issues.length === before ? (entry as ExceptionEntry) : undefined
  }

  private k8sPolicy(value: unknown, path: Path): PolicyFile['k8s-policy'] {
    const object = this.object(value, path, ['rules'])
    if (!object) return undefined
    const rules = this.optional(object, 'rules', path, (v, p) =>
      this.record(v, p, (s, q) => {
        if (typeof s === 'boolean') return s
        if (typeof s === 'string' && Object.hasOwn(RULE_SWITCH, s)) return RULE_SWITCH[s]
        return this.fail(q, `must be on, off, true, false, enabled or disabled, got ${describe(s)}`)
      })
    )
    return compact({ rules })
  }

  policyFile(value: unknown): PolicyFile {
    const object = this.object(value, [], ['version', 'gate', 'exceptions', 'k8s-policy'])
    if (!object) return {}
    if (object.version !== undefined && object.version !== 1)
      this.fail(['version'], `must be 1, got ${describe(object.version)}`)
    return compact({
      version: object.version === 1 ? (1 as const) : undefined,
      gate: this.optional(object, 'gate', [], (v, p) => this.gate(v, p)),
      exceptions: this.optional(object, 'exceptions', [], (v, p) =>
        this.list(v, p, (e, q) => this.exception(e, q))
      ),
      'k8s-policy': this.optional(object, 'k8s-policy', [], (v, p) => this.k8sPolicy(v, p))
    })
  }
}

/** YYYY-MM-DD naming a day that exists: `2024-02-31` is refused, not rolled over to March 2. */
function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const time = Date.parse(`${text}T00:00:00Z`)
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text
}

/**
 * A YAML mapping as the reader builds it. `!!omap`, `!!set` and `!!pairs` come back as a Map, a Set or
 * a list of pairs: a Map or Set has no own keys to check, so taking it for a mapping would read every
 * setting in it as absent.
 */
function isPlainMapping(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (value instanceof Date) return 'a date'
  if (value instanceof Map) return 'an ordered map (!!omap)'
  if (value instanceof Set) return 'a set (!!set)'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`
  return String(value)
}

/** The object without its undefined fields, as a schema library returns optional fields that are absent. */
function compact<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as never
}
