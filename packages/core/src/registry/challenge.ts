/** One `WWW-Authenticate` challenge: its scheme (lower case) and parameters (names lower case). */
export interface Challenge {
  scheme: string
  params: Record<string, string>
}

/**
 * The first challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1), e.g.
 * `Bearer realm="https://auth.example/token",service="registry",scope="repository:o/app:pull"`.
 * Quoted values may hold commas and backslash escapes. Undefined when there is no scheme.
 */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined
  const scheme = /^\s*([A-Za-z][\w!#$%&'*+.^`|~-]*)/.exec(header)
  if (!scheme) return undefined
  const params: Record<string, string> = {}
  const rest = header.slice(scheme[0].length)
  const param = /\s*,?\s*([\w!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/gy
  let match: RegExpExecArray | null
  while ((match = param.exec(rest)) !== null) {
    const name = match[1]!.toLowerCase()
    // A second scheme (`, Basic realm=…`) ends the first challenge.
    if (match[2] === undefined && match[3] === undefined) break
    params[name] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!
  }
  return { scheme: scheme[1]!.toLowerCase(), params }
}
