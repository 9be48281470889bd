/**
 * Plain data (what JSON can hold) as block YAML that YAML 1.1 and 1.2 readers both read back as the
 * same data. Kubernetes reads manifests as YAML 1.1 (sigs.k8s.io/yaml), where `on`, `y` and `1_000`
 * are no strings, so a string is left unquoted only when it cannot be anything but a string in either
 * version; every other string is double-quoted with every character outside printable ASCII escaped,
 * or a literal block when it spans lines. Written for the admission export, which runs on every
 * k8s-policy run: the yaml library's general writer costs about 100 ms there, most of it compiling
 * itself.
 */
export type YamlData =
  string | number | boolean | null | readonly YamlData[] | { readonly [key: string]: YamlData }

const INDENT = '  '

export function yamlText(value: YamlData): string {
  const out: string[] = []
  if (isCollection(value) && !isEmpty(value)) writeBlock(value, '', out)
  // A block at the left margin could hold a line `---`: a lone scalar's block is indented.
  else out.push(inline(value, INDENT))
  return `${out.join('\n')}\n`
}

function isCollection(value: YamlData): value is readonly YamlData[] | { readonly [key: string]: YamlData } {
  return typeof value === 'object' && value !== null
}

function isEmpty(value: readonly YamlData[] | { readonly [key: string]: YamlData }): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0
}

/** Lines of a non-empty mapping or sequence, each starting at `indent`. */
function writeBlock(
  value: readonly YamlData[] | { readonly [key: string]: YamlData },
  indent: string,
  out: string[]
): void {
  if (Array.isArray(value)) {
    for (const item of value as readonly YamlData[]) writeEntry(`${indent}- `, `${indent}  `, item, out)
    return
  }
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue
    const written = scalarText(key)
    // Quotes do not lift YAML's 1,024-character limit on an implicit key.
    if (written.length > 1000)
      throw new TypeError(`yamlText: a key of ${written.length} characters as written`)
    // A sequence under a key is indented one level too, as kubectl and the yaml library write it.
    writeEntry(`${indent}${written}:`, `${indent}${INDENT}`, item, out, true)
  }
}

/**
 * One `- item` or `key: value`. A non-empty collection under a key starts on the next line; under a
 * dash, its first line shares the dash's line.
 */
function writeEntry(lead: string, indent: string, item: YamlData, out: string[], afterKey = false): void {
  if (isCollection(item) && !isEmpty(item)) {
    if (afterKey) {
      out.push(lead)
      writeBlock(item, indent, out)
      return
    }
    const start = out.length
    writeBlock(item, indent, out)
    out[start] = lead + out[start]!.slice(indent.length)
    return
  }
  out.push(`${lead}${afterKey ? ' ' : ''}${inline(item, indent)}`)
}

function inline(value: YamlData, indent: string): string {
  if (value === null) return 'null'
  if (typeof value === 'boolean') return String(value)
  if (typeof value === 'number') {
    // YAML 1.1 reads an exponent without a dot (1e+21) as a string, so such numbers are refused.
    const text = JSON.stringify(value)
    if (!/^-?\d+(?:\.\d+)?$/.test(text))
      throw new TypeError(`yamlText: ${value} has no form YAML 1.1 and 1.2 agree on`)
    return text
  }
  if (typeof value === 'string') return literalBlock(value, indent) ?? scalarText(value)
  return Array.isArray(value) ? '[]' : '{}'
}

/** Printable ASCII only: anything else is written escaped, where no reader or editor can change it. */
const PLAIN = /^[A-Za-z_/][\x20-\x7e]*$/
/** Words YAML 1.1 reads as booleans or null (1.2 reads a subset of them so). */
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null)$/i

function scalarText(text: string): string {
  const plain =
    PLAIN.test(text) &&
    !RESERVED.test(text) &&
    // ': ' and ' #' end a plain scalar, and so does a trailing ':' or space.
    !/: | #|:$|\s$/.test(text)
  return plain ? text : quoted(text)
}

/**
 * A double-quoted scalar of printable ASCII. JSON's escapes are YAML's, but JSON leaves U+0085, U+2028
 * and U+2029 raw, which YAML 1.1 readers (Kubernetes') take as line breaks, and other characters they
 * refuse; so everything else is escaped too, by code point (YAML has no surrogate pairs).
 */
function quoted(text: string): string {
  // Printable ASCII (nearly every string of an export) comes out of JSON.stringify as it must be.
  if (/^[\x20-\x7e]*$/.test(text)) return JSON.stringify(text)
  if (/\p{Surrogate}/u.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')))
    throw new TypeError('yamlText: a string with a lone surrogate has no YAML form')
  return JSON.stringify(text).replace(/[^\x20-\x7e]/gu, char => {
    const code = char.codePointAt(0)!
    return code > 0xffff
      ? `\\U${code.toString(16).padStart(8, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/**
 * A string that spans lines as a `|` or `|-` block whose lines start at `indent`, when the block reads
 * back exactly: printable text and tabs, no line of only blanks (a reader drops those), no leading
 * blank on the first line with text (that would need an indentation indicator) and at most one final
 * line break.
 */
function literalBlock(text: string, indent: string): string | undefined {
  if (!text.includes('\n') || !/^[\x20-\x7e\t\n]*$/.test(text) || text.endsWith('\n\n')) return undefined
  const body = text.endsWith('\n') ? text.slice(0, -1) : text
  const lines = body.split('\n')
  // The first line with text sets the block's indentation; a block of empty lines reads back as ''.
  const first = lines.find(line => line !== '')
  if (first === undefined || /^[ \t]/.test(first) || lines.some(line => /^[ \t]+$/.test(line)))
    return undefined
  return `|${text.endsWith('\n') ? '' : '-'}\n${lines.map(line => (line === '' ? '' : indent + line)).join('\n')}`
}
