/**
 * Sorts strings by UTF-16 code units: deterministic across machines and locales, and free, where
 * localeCompare loads ICU's collator (8 to 20 ms of an action's start) on first use.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
