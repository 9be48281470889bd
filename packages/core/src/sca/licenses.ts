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

/** Every way to comply: `(A OR B) AND C` → [[A, C], [B, C]]. `GPL-2.0+` stays as written with a `+`. */
function choices(node: SpdxNode): Choice[] {
  if ('license' in node) return [[`${node.license}${node.plus ? '+' : ''}`]]
  const left = choices(node.left)
  const right = choices(node.right)
  if (node.conjunction === 'or') return [...left, ...right]
  return left.flatMap(a => right.map(b => [...a, ...b]))
}

/** The ids of one declared license value: an SPDX expression, else undefined (a name, `UNKNOWN`, a URL). */
export function licenseChoices(declared: string): Choice[] | undefined {
  const text = declared.trim()
  if (!text || /^(?:unknown|none|noassertion)$/i.test(text)) return undefined
  try {
    return choices(parse(text))
  } catch {
    return undefined
  }
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
