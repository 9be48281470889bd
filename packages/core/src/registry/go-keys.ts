/*
 * Image documents are read by Go programs (the engine, crane, skopeo, container runtimes), and Go's
 * encoding/json matches an object key to a struct field case-insensitively, the last matching key
 * winning: `{"rootfs": A, "RootFS": B}` is B to them and A to JSON.parse. A document that names a field
 * we check under a second spelling is refused, so that what we check is what they read.
 */

/**
 * A key folded so that every two keys Go's encoding/json takes for one field fold alike (`ſ` is `s`,
 * the Kelvin sign `k`); it folds a few more alike (`ﬀ` and `ff`), which only refuses a stranger key.
 */
const fold = (key: string) => [...key].map(char => char.toLowerCase().toUpperCase()).join('')

/** The first key of `object` that Go would read as one of `fields` but is not spelt as it, as `'field' and 'key'`. */
export function goKeyTwin(object: object, fields: readonly string[]): string | undefined {
  const folded = new Map(fields.map(field => [fold(field), field]))
  for (const key of Object.keys(object)) {
    const field = folded.get(fold(key))
    if (field !== undefined && field !== key) return `'${field}' and '${key}'`
  }
  return undefined
}
