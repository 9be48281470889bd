/*
 * Checks parsed JSON against a declared shape and types it, without a schema library: building and
 * first running a zod schema cost metrics 15 to 30 ms of every start (bench p1), as it did the policy
 * file. A value that passes is returned as it was read (keys the shape does not name are kept, never
 * trusted: the types do not list them). Every problem is collected with its path.
 */

export type ShapePath = (string | number)[]

export interface ShapeIssue {
  path: ShapePath
  message: string
}

/**
 * Checks `value` at `path`, adding what is wrong to `issues`; true when nothing is. `exact` also
 * refuses object keys the shape does not name (a writer's test: nothing it writes goes unread).
 */
export interface Shape<T> {
  (value: unknown, path: ShapePath, issues: ShapeIssue[], exact?: boolean): boolean
  /** Only carries the type. */
  readonly _type?: T
  /** An object field that may be absent. */
  readonly optional?: true
}

export type Infer<S> = S extends Shape<infer T> ? T : never

type Fields = Record<string, Shape<unknown>>
type OptionalKeys<F extends Fields> = { [K in keyof F]: F[K] extends { optional: true } ? K : never }[keyof F]
type Flatten<T> = { [K in keyof T]: T[K] }
export type ObjectOf<F extends Fields> = Flatten<
  { [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Infer<F[K]> }
>

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`.slice(0, 60)
}

function refuse(value: unknown, path: ShapePath, issues: ShapeIssue[], expected: string): false {
  issues.push({ path, message: `expected ${expected}, got ${describe(value)}` })
  return false
}

function shape<T>(test: (value: unknown) => boolean, expected: string): Shape<T> {
  return (value, path, issues) => test(value) || refuse(value, path, issues, expected)
}

export const string = (): Shape<string> => shape(v => typeof v === 'string', 'a string')
export const nonEmptyString = (): Shape<string> =>
  shape(v => typeof v === 'string' && v.length > 0, 'a non-empty string')
export const boolean = (): Shape<boolean> => shape(v => typeof v === 'boolean', 'a boolean')
export const count = (): Shape<number> =>
  shape(v => Number.isSafeInteger(v) && (v as number) >= 0, 'a whole number, 0 or more')

export const literal = <const V extends string | number | boolean>(expected: V): Shape<V> =>
  shape(v => v === expected, JSON.stringify(expected))

/** A string `pattern` matches; `expected` says what it must be. */
export const matching = (pattern: RegExp, expected: string): Shape<string> =>
  shape(v => typeof v === 'string' && pattern.test(v), expected)

export const oneOf = <const V extends string>(values: readonly V[]): Shape<V> =>
  shape(v => (values as readonly unknown[]).includes(v), `one of ${values.join(', ')}`)

/** RFC 3339 date and time, with Z or an offset (what Date#toISOString and Go write). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/
export const dateTime = (): Shape<string> =>
  shape(v => typeof v === 'string' && DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)), 'a date and time')

export function optional<T>(inner: Shape<T>): Shape<T | undefined> & { optional: true } {
  const check = ((value, path, issues, exact) =>
    value === undefined || inner(value, path, issues, exact)) as Shape<T | undefined> & { optional: true }
  return Object.assign(check, { optional: true as const })
}

export const nullable =
  <T>(inner: Shape<T>): Shape<T | null> =>
  (value, path, issues, exact) =>
    value === null || inner(value, path, issues, exact)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export function object<F extends Fields>(fields: F): Shape<ObjectOf<F>> {
  return (value, path, issues, exact) => {
    if (!isRecord(value)) return refuse(value, path, issues, 'an object')
    let ok = true
    for (const [key, field] of Object.entries(fields)) {
      const present = Object.hasOwn(value, key)
      if (!present && !field.optional) {
        issues.push({ path: [...path, key], message: 'missing' })
        ok = false
      } else if (present && !field(value[key], [...path, key], issues, exact)) ok = false
    }
    if (exact)
      for (const key of Object.keys(value))
        if (!Object.hasOwn(fields, key)) {
          issues.push({ path: [...path, key], message: 'not in the shape' })
          ok = false
        }
    return ok
  }
}

export const array =
  <T>(item: Shape<T>): Shape<T[]> =>
  (value, path, issues, exact) => {
    if (!Array.isArray(value)) return refuse(value, path, issues, 'an array')
    let ok = true
    value.forEach((element, index) => {
      if (!item(element, [...path, index], issues, exact)) ok = false
    })
    return ok
  }

/** A mapping whose values are all of one shape, and whose keys, when `key` is given, are all of that one. */
export const recordOf =
  <T, K extends string = string>(
    item: Shape<T>,
    key?: Shape<K>
  ): Shape<string extends K ? Record<string, T> : Partial<Record<K, T>>> =>
  (value, path, issues, exact) => {
    if (!isRecord(value)) return refuse(value, path, issues, 'an object')
    let ok = true
    for (const [name, element] of Object.entries(value)) {
      const keyIssues: ShapeIssue[] = []
      if (key && !key(name, [...path, name], keyIssues)) {
        issues.push(...keyIssues.map(issue => ({ ...issue, message: `as a key, ${issue.message}` })))
        ok = false
      } else if (!item(element, [...path, name], issues, exact)) ok = false
    }
    return ok
  }

/** `inner`, then a rule of its own on the value: `problem` is what is said when `holds` is false. */
export const refined =
  <T>(inner: Shape<T>, holds: (value: T) => boolean, problem: string): Shape<T> =>
  (value, path, issues, exact) => {
    if (!inner(value, path, issues, exact)) return false
    if (holds(value as T)) return true
    issues.push({ path, message: problem })
    return false
  }

/** A mapping with exactly these keys, each value of one shape. */
export function exhaustiveRecord<K extends string, T>(
  keys: readonly K[],
  item: Shape<T>
): Shape<Record<K, T>> {
  return (value, path, issues, exact) => {
    if (!isRecord(value)) return refuse(value, path, issues, 'an object')
    let ok = true
    for (const key of keys) {
      if (!Object.hasOwn(value, key)) {
        issues.push({ path: [...path, key], message: 'missing' })
        ok = false
      } else if (!item(value[key], [...path, key], issues, exact)) ok = false
    }
    for (const key of Object.keys(value))
      if (!(keys as readonly string[]).includes(key)) {
        issues.push({ path: [...path, key], message: `unexpected key, expected one of ${keys.join(', ')}` })
        ok = false
      }
    return ok
  }
}

/** The first alternative that fits; when none does, the issues of the one that got furthest. */
export function union<S extends Shape<unknown>[]>(...alternatives: S): Shape<Infer<S[number]>> {
  return (value, path, issues, exact) => {
    let best: ShapeIssue[] | undefined
    for (const alternative of alternatives) {
      const own: ShapeIssue[] = []
      if (alternative(value, path, own, exact)) return true
      const depth = Math.max(0, ...own.map(i => i.path.length))
      if (!best || depth > Math.max(0, ...best.map(i => i.path.length))) best = own
    }
    issues.push(...(best ?? [{ path, message: 'no alternative fits' }]))
    return false
  }
}

export type ShapeResult<T> = { success: true; data: T } | { success: false; issues: ShapeIssue[] }

export function checkShape<T>(
  shapeOf: Shape<T>,
  value: unknown,
  options: { exact?: boolean } = {}
): ShapeResult<T> {
  const issues: ShapeIssue[] = []
  return shapeOf(value, [], issues, options.exact)
    ? { success: true, data: value as T }
    : { success: false, issues }
}
