import { createHash } from 'node:crypto'

/** The digest algorithms the OCI image spec registers; anything else is refused. One rule with references. */
export { isDigest } from '../images/reference.js'

export function algorithmOf(digest: string): 'sha256' | 'sha512' {
  return digest.startsWith('sha512:') ? 'sha512' : 'sha256'
}

/** The digest of `bytes` with the algorithm `like` uses (sha256 by default). */
export function digestOf(bytes: Uint8Array, like = 'sha256:'): string {
  const algorithm = algorithmOf(like)
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`
}
