/*
 * Files a pull request controls are also read by Go programs (image documents by the engine, crane,
 * skopeo and container runtimes; osv-scanner.toml by osv-scanner through BurntSushi/toml), and Go's
 * encoding/json and BurntSushi/toml match a key to a struct field case-insensitively when no key is
 * spelt exactly, the last matching key winning: `{"rootfs": A, "RootFS": B}` is B to them and A to
 * JSON.parse. A document that names a field we read under a second spelling is refused, so that what we
 * read is what they read.
 */

/**
 * A key folded so that every two keys Go's encoding/json takes for one field fold alike (`ſ` is `s`,
 * the Kelvin sign `k`); it folds a few more alike (`ﬀ` and `ff`), which only refuses a stranger key.
 */
const fold = (key: string) =>
  // ASCII (nearly every key) folds as a whole; a lockfile holds millions of keys.
  !/[^\x20-\x7e]/.test(key)
    ? key.toUpperCase()
    : [...key].map(char => char.toLowerCase().toUpperCase()).join('')

/** The first key of `object` that Go would read as one of `fields` but is not spelt as it, as `'field' and 'key'`. */
export function goKeyTwin(object: object, fields: readonly string[]): string | undefined {
  const folded = new Map(fields.map(field => [fold(field), field]))
  for (const key of Object.keys(object)) {
    const field = folded.get(fold(key))
    if (field !== undefined && field !== key) return `'${field}' and '${key}'`
  }
  return undefined
}

/** The fields a Go reader decodes into structs, for goKeyClash: made once, used on every object. */
export type GoFields = ReadonlySet<string> & { readonly folded: true }

export function goFields(fields: readonly string[]): GoFields {
  return Object.assign(new Set(fields.map(fold)), { folded: true as const })
}

/**
 * The first two keys of `object` that Go's encoding/json may read as one struct field, as `'a' and 'A'`:
 * the last of them is what a Go reader keeps. Only keys that fold to one of `fields` count: Go reads the
 * keys of a map (package names, install paths) as spelt, so `JSONStream` beside `jsonstream` is two keys.
 */
export function goKeyClash(object: object, fields: GoFields): string | undefined {
  const seen = new Map<string, string>()
  for (const key of Object.keys(object)) {
    const folded = fold(key)
    if (!fields.has(folded)) continue
    const earlier = seen.get(folded)
    if (earlier !== undefined) return `'${earlier}' and '${key}'`
    seen.set(folded, key)
  }
  return undefined
}
