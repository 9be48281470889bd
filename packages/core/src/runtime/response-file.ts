import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { HttpResponse } from './http.js'

/** How writing an HTTP body to a file ended. Callers decide what each means (retry, refuse, integrity). */
export type ResponseFileOutcome =
  | { kind: 'written'; bytes: number }
  /** The declared or the received length passed the limit; nothing is left at `dest`. */
  | { kind: 'too-large'; bytes: number }
  | { kind: 'no-body' }
  /** The stream broke after `bytes`; nothing is left at `dest`. */
  | { kind: 'cut'; bytes: number; error: unknown }

/**
 * Streams a response body into a new file (never over an existing one: `wx`, owner-only), counting bytes
 * as they arrive so that a server which lies about, or omits, Content-Length still cannot fill the disk.
 * `onChunk` sees every byte written (a running digest).
 */
export async function writeResponseFile(
  response: HttpResponse,
  dest: string,
  maxBytes: number,
  onChunk: (chunk: Buffer) => void = () => {}
): Promise<ResponseFileOutcome> {
  const declared = Number(response.headers.get('content-length') ?? NaN)
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    return { kind: 'too-large', bytes: declared }
  }
  if (!response.body) return { kind: 'no-body' }
  let bytes = 0
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      if (bytes > maxBytes) return done(new Error(`over ${maxBytes} bytes`))
      onChunk(chunk)
      done(null, chunk)
    }
  })
  await rm(dest, { force: true })
  try {
    await pipeline(Readable.from(response.body), meter, createWriteStream(dest, { flags: 'wx', mode: 0o600 }))
    return { kind: 'written', bytes }
  } catch (error) {
    await rm(dest, { force: true })
    return bytes > maxBytes ? { kind: 'too-large', bytes } : { kind: 'cut', bytes, error }
  }
}
