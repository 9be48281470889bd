/**
 * A requirement a pip requirements file installs from a URL or a version control system rather than
 * from the package index at a version: `name @ https://…`, `-e git+https://…#egg=name`, a bare
 * archive URL. osv-scanner 2.6.0 lists none of them, so without this they would not even be missing
 * from its report. Local paths (`.`, `./libs/x`, `file:…`) are the project's own or vendored code, and
 * are left out, as osv-scanner leaves them out.
 */
export interface DirectReference {
  /** The distribution's name when the line gives one (`name @`, `#egg=`, an archive's file name). */
  name: string | undefined
  /** The URL without credentials, query or fragment: safe to show. */
  source: string
  kind: 'vcs' | 'url'
  /** 1-based line where the requirement starts. */
  line: number
}

const VCS = /^(?:git|hg|svn|bzr)\+/i
const REMOTE = /^(?:https?|ftp):\/\//i
/** Options whose value is a requirement, as against -r, -c, --index-url and the rest. */
const EDITABLE = /^(?:-e|--editable)(?:\s+|=)(\S+)/

/** Each requirement of `text` that installs from a URL or a VCS, with the line it starts on. */
export function directReferences(text: string): DirectReference[] {
  const out: DirectReference[] = []
  for (const { line, content } of logicalLines(text)) {
    const target = requirementTarget(content)
    if (!target) continue
    const kind = VCS.test(target.url) ? 'vcs' : REMOTE.test(target.url) ? 'url' : undefined
    if (kind)
      out.push({ name: target.name ?? nameFromUrl(target.url), source: shown(target.url), kind, line })
  }
  return out
}

/** pip's logical lines: `\` at the end joins the next line; a comment starts at `#` after a blank. */
function logicalLines(text: string): { line: number; content: string }[] {
  const lines = text.split(/\r?\n/)
  const out: { line: number; content: string }[] = []
  for (let i = 0; i < lines.length; i++) {
    const start = i
    let content = lines[i]!
    while (content.endsWith('\\') && i + 1 < lines.length) content = content.slice(0, -1) + lines[++i]!
    content = content.replace(/(?:^|\s)#.*$/, '').trim()
    if (content) out.push({ line: start + 1, content })
  }
  return out
}

/** The URL a line installs from, and the name it gives, or undefined for an index requirement or an option. */
function requirementTarget(content: string): { url: string; name?: string } | undefined {
  const editable = EDITABLE.exec(content)
  if (editable) return { url: editable[1]! }
  if (content.startsWith('-')) return undefined
  // PEP 508: `name [extras] @ url [; marker]`; the URL ends at the first blank.
  const named = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*@\s*(\S+)/.exec(content)
  if (named) return { name: named[1]!, url: named[2]! }
  const url = content.split(/\s|;/)[0]!
  return VCS.test(url) || REMOTE.test(url) ? { url } : undefined
}

/** `#egg=name`, else an archive's `name-1.2.3.tar.gz` / wheel's `name-1.2.3-py3-none-any.whl`. */
function nameFromUrl(url: string): string | undefined {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(url)?.[1]
  if (egg) return egg
  const file = url.split(/[?#]/)[0]!.split('/').pop() ?? ''
  return /^([A-Za-z0-9][A-Za-z0-9._]*?)-\d[^/]*\.(?:whl|tar\.gz|tgz|tar\.bz2|zip)$/i.exec(file)?.[1]
}

/** A URL as it may be shown: a token in `https://user:token@host` or `?token=` stays out of reports. */
function shown(url: string): string {
  return url.split(/[?#]/)[0]!.replace(/^([a-z+]+:\/\/)[^/@]*@/i, '$1')
}
