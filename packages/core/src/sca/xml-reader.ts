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

/** The `>` that ends the tag opened at `lt`, outside quoted attribute values; -1 when there is none. */
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

const localName = (name: string) => name.replace(/^[^:]*:/, '')

function attributesOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [, name, double, single] of tag.matchAll(/([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    out[localName(name!)] ??= decode(double ?? single ?? '')
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
    const special = text.startsWith('<!--', lt) ? '-->' : text.startsWith('<![CDATA[', lt) ? ']]>' : undefined
    const end = special ? text.indexOf(special, lt) : tagEnd(text, lt)
    if (end === -1) break
    at = end + (special ? special.length : 1)
    if (special === ']]>') content += text.slice(lt + '<![CDATA['.length, end)
    const tag = text.slice(lt + 1, end)
    if (special || tag.startsWith('?') || tag.startsWith('!')) continue
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
