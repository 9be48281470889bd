// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the bundler (ncc, ts-loader) compiles from the entry and sees no ambient declaration tsconfig includes
/// <reference path="./spdx-expression-parse.d.ts" />
import parse, { type SpdxNode } from 'spdx-expression-parse'
import { ConfigurationError } from '../runtime/errors.js'

/** The allow and deny lists, as SPDX license ids (`MIT`, `Apache-2.0`, `GPL-3.0-only`, `LicenseRef-…`). */
export interface LicensePolicy {
  allow: readonly string[]
  deny: readonly string[]
}

export type LicenseVerdict =
  | { kind: 'ok' }
  | { kind: 'unknown' }
  | { kind: 'denied'; ids: string[] }
  | { kind: 'not-allowed'; ids: string[] }

/** Parses a list input: every entry must be one SPDX license id (not an expression). */
export function parseLicenseList(inputName: string, values: readonly string[]): string[] {
  return values.map(value => {
    let node: SpdxNode
    try {
      node = parse(value)
    } catch {
      throw new ConfigurationError(
        `Input '${inputName}': '${value}' is not an SPDX license id (see spdx.org/licenses, e.g. MIT, Apache-2.0, GPL-3.0-only).`
      )
    }
    if (!('license' in node) || node.plus || node.exception)
      throw new ConfigurationError(
        `Input '${inputName}': '${value}' is an expression; list single SPDX license ids, one per line or comma.`
      )
    return node.license
  })
}

/** One way of complying with an expression: the set of licenses taken together (`A AND B`). */
type Choice = string[]

/**
 * Past this many ways to comply, an expression counts as unreadable: `(A OR B) AND (C OR D) AND …`
 * has 2^n of them, and a pull request writes the `license` a lockfile records.
 */
const MAX_CHOICES = 256

/**
 * Every way to comply: `(A OR B) AND C` → [[A, C], [B, C]], or undefined past MAX_CHOICES.
 * `GPL-2.0+` stays as written with a `+`.
 */
function choices(node: SpdxNode): Choice[] | undefined {
  if ('license' in node) return [[`${node.license}${node.plus ? '+' : ''}`]]
  const left = choices(node.left)
  const right = left && choices(node.right)
  if (!left || !right) return undefined
  const count = node.conjunction === 'or' ? left.length + right.length : left.length * right.length
  if (count > MAX_CHOICES) return undefined
  if (node.conjunction === 'or') return [...left, ...right]
  return left.flatMap(a => right.map(b => [...a, ...b]))
}

/**
 * Longer declared values are not parsed: the parser's time grows faster than the length (50 s for
 * 800 kB), and real expressions are a few hundred characters at most.
 */
const MAX_EXPRESSION_LENGTH = 1024

/** The parsed SPDX expression of one declared license value, or undefined (a name, `UNKNOWN`, a URL). */
function spdxNode(declared: string): SpdxNode | undefined {
  const text = declared.trim()
  if (!text || text.length > MAX_EXPRESSION_LENGTH || /^(?:unknown|none|noassertion)$/i.test(text))
    return undefined
  try {
    return parse(text)
  } catch {
    return undefined
  }
}

/**
 * The ways to comply with one declared license value, or undefined when it is no SPDX expression or
 * has more than MAX_CHOICES of them.
 */
export function licenseChoices(declared: string): Choice[] | undefined {
  const node = spdxNode(declared)
  return node && choices(node)
}

/**
 * What one declared license value is, without expanding it: one SPDX id (no `+`, no exception), an
 * SPDX expression, or neither (a name, `UNKNOWN`, a URL).
 */
export function licenseForm(
  declared: string
): { kind: 'id'; id: string } | { kind: 'expression' } | { kind: 'name' } {
  const node = spdxNode(declared)
  if (!node) return { kind: 'name' }
  return 'license' in node && !node.plus && !node.exception
    ? { kind: 'id', id: node.license }
    : { kind: 'expression' }
}

const bare = (id: string) => id.replace(/\+$/, '')

/**
 * Whether a package's declared licenses comply. Several declared values all apply together (a package
 * that says `MIT` and `ISC` is under both). It is denied when every way to comply needs a denied
 * license, and not allowed (with an allow list) when no way to comply uses allowed licenses only.
 */
export function judgeLicenses(declared: readonly string[], policy: LicensePolicy): LicenseVerdict {
  const parsed = declared.map(licenseChoices)
  if (parsed.length === 0 || parsed.some(p => p === undefined)) return { kind: 'unknown' }
  // The package's overall choices: one choice from every declared value, taken together.
  let overall: Choice[] = [[]]
  for (const options of parsed as Choice[][])
    overall = overall.flatMap(taken => options.map(option => [...taken, ...option])).slice(0, 256)
  const deny = new Set(policy.deny)
  const allow = new Set(policy.allow)
  const deniedIn = (choice: Choice) => choice.filter(id => deny.has(bare(id)))
  if (deny.size > 0 && overall.every(choice => deniedIn(choice).length > 0))
    return { kind: 'denied', ids: [...new Set(overall.flatMap(deniedIn))] }
  if (allow.size > 0 && !overall.some(choice => choice.every(id => allow.has(bare(id)))))
    return {
      kind: 'not-allowed',
      ids: [...new Set(overall.flatMap(choice => choice.filter(id => !allow.has(bare(id)))))]
    }
  return { kind: 'ok' }
}
