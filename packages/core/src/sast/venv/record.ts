/** One line of a wheel's `*.dist-info/RECORD`: a path and, for every file but RECORD itself, its digest. */
export interface RecordEntry {
  path: string
  /** urlsafe-base64 sha256 without padding, as in `sha256=...`; undefined when the line has none. */
  sha256?: string
  size?: number
}

/** Splits one CSV line (RECORD is written by Python's csv module: fields quoted only when needed). */
function csvFields(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      fields.push(field)
      field = ''
    } else field += c
  }
  fields.push(field)
  return fields
}

/** RECORD lines; a hash other than sha256 is refused, so nothing passes unchecked. */
export function parseRecord(text: string, source: string): RecordEntry[] {
  return text
    .split(/\r?\n/)
    .filter(line => line.trim() !== '')
    .map(line => {
      const [path = '', hash = '', size = ''] = csvFields(line)
      if (hash === '') return { path }
      const match = /^sha256=([A-Za-z0-9_-]{43})$/.exec(hash)
      if (!match) throw new Error(`${source}: ${path} has a hash that is not sha256 (${hash.slice(0, 20)})`)
      return { path, sha256: match[1], ...(size !== '' ? { size: Number(size) } : {}) }
    })
}
