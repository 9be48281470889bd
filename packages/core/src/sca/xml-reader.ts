/** An element as it closes: its path of local names from the root, its attributes and its own text. */
export interface XmlElement {
  path: readonly string[]
  attributes: Readonly<Record<string, string>>
  text: string
}

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (!name.startsWith('#')) return ENTITY[name] ?? whole
    const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : Number(name.slice(1))
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })

/** The `>` that ends the start or end tag opened at `lt`, outside quoted attribute values; -1 when none. */
function tagEnd(text: string, lt: number): number {
  for (let at = lt + 1; at < text.length; at++) {
    const c = text[at]
    if (c === '>') return at
    if (c === '"' || c === "'") {
      at = text.indexOf(c, at + 1)
      if (at === -1) return -1
    }
  }
  return -1
}

/** The `>` that ends a `<!DOCTYPE …>` or other declaration at `lt`, past any `[…]` internal subset. */
function declarationEnd(text: string, lt: number): number {
  let depth = 0
  for (let at = lt + 2; at < text.length; at++) {
    const c = text[at]
    if (c === '[') depth++
    else if (c === ']') depth = Math.max(0, depth - 1)
    else if (c === '>' && depth === 0) return at
  }
  return -1
}

/** Markup closed by a delimiter of its own, in which a quote quotes nothing. */
const DELIMITED = [
  ['<!--', '-->', 'other'],
  ['<![CDATA[', ']]>', 'cdata'],
  ['<?', '?>', 'other']
] as const

/** Where the markup opened at `lt` ends (-1: it never does), and the length of what closes it. */
function markupEnd(
  text: string,
  lt: number
): { end: number; close: number; kind: 'tag' | 'cdata' | 'other' } {
  for (const [open, close, kind] of DELIMITED)
    if (text.startsWith(open, lt))
      return { end: text.indexOf(close, lt + open.length), close: close.length, kind }
  if (text.startsWith('<!', lt)) return { end: declarationEnd(text, lt), close: 1, kind: 'other' }
  return { end: tagEnd(text, lt), close: 1, kind: 'tag' }
}

const localName = (name: string) => name.replace(/^[^:]*:/, '')

/**
 * A start tag's attributes, by local name (the first of a name wins). A loop from one `=` to the next,
 * not a pattern: a tag is the pull request's, and a long name with no `=` must not make a pattern
 * backtrack from every position.
 */
function attributesOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {}
  let at = tag.search(/[\s/]/)
  while (at !== -1 && at < tag.length) {
    const equals = tag.indexOf('=', at)
    if (equals === -1) break
    let start = equals + 1
    while (start < tag.length && ' \t\r\n'.includes(tag[start]!)) start++
    const quote = tag[start]
    const end = quote === '"' || quote === "'" ? tag.indexOf(quote, start + 1) : -1
    if (end === -1) break
    const name = tag.slice(at, equals).trim()
    if (name && !/[\s=]/.test(name)) out[localName(name)] ??= decode(tag.slice(start + 1, end))
    at = end + 1
  }
  return out
}

/**
 * Calls `onClose` for each element of a dependency file (a POM, an MSBuild project) down to `maxDepth`,
 * as it closes. Not a validating parser: a file its build tool cannot read gives whatever it gives, and
 * the engine's own report decides what was scanned. One pass, every search forward from the last: the
 * file is the pull request's, so an unclosed comment, tag or quote ends the reading rather than being
 * searched for again from every `<`, and no path deeper than `maxDepth` is ever built.
 */
export function readXml(text: string, onClose: (element: XmlElement) => void, maxDepth: number): void {
  const open: { name: string; attributes: Record<string, string> }[] = []
  let content = ''
  const close = () => {
    if (open.length <= maxDepth)
      onClose({ path: open.map(e => e.name), attributes: open.at(-1)!.attributes, text: content.trim() })
    open.pop()
    content = ''
  }
  let at = 0
  while (at < text.length) {
    const lt = text.indexOf('<', at)
    if (lt === -1) break
    content += decode(text.slice(at, lt))
    const { end, close: closing, kind } = markupEnd(text, lt)
    if (end === -1) break
    at = end + closing
    if (kind === 'cdata') content += text.slice(lt + '<![CDATA['.length, end)
    if (kind !== 'tag') continue
    const tag = text.slice(lt + 1, end)
    if (tag.startsWith('/')) {
      if (open.length > 0) close()
      continue
    }
    const deep = open.length >= maxDepth
    open.push({
      name: deep ? '' : localName(/^[^\s/]+/.exec(tag)?.[0] ?? ''),
      attributes: deep ? {} : attributesOf(tag)
    })
    content = ''
    if (tag.endsWith('/')) close()
  }
}
