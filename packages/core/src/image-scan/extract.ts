import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import * as path from 'node:path'
import { createGunzip } from 'node:zlib'
import {
  applyPending,
  checkExtendedSize,
  cleanName,
  nothingPending,
  padded,
  readHeader,
  withExtended,
  type ExtendedFormat
} from './tar.js'

type State =
  | { kind: 'header' }
  | {
      kind: 'data'
      left: number
      pad: number
      sink?: WriteStream
      extended?: ExtendedFormat
      collected: Buffer[]
    }

const closed = (sink: WriteStream) =>
  new Promise<void>((resolve, reject) =>
    sink.end((error?: Error | null) => (error ? reject(error) : resolve()))
  )

/**
 * Streams a .tar.gz and writes only the regular files named in `wanted` (by their name in the archive)
 * into `dir`, under that same base name: links, directories and every other member are skipped, so
 * nothing in the archive can choose where a byte lands. Returns the names written. The archive may be
 * far larger than memory (a vulnerability DB is hundreds of MB unpacked).
 */
export async function extractFiles(
  archive: string,
  dir: string,
  wanted: readonly string[],
  maxBytes: number
): Promise<string[]> {
  const written: string[] = []
  let buffer: Buffer = Buffer.alloc(0)
  let state: State = { kind: 'header' }
  let pending = nothingPending()
  let total = 0
  try {
    for await (const chunk of createReadStream(archive).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      total += chunk.length
      if (total > maxBytes) throw new Error(`the archive unpacks to more than ${maxBytes} bytes`)
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk])
      for (;;) {
        if (state.kind === 'header') {
          if (buffer.length < 512) break
          const record = readHeader(buffer.subarray(0, 512))
          buffer = buffer.subarray(512)
          if (record.kind === 'end') return written
          const member = record.kind === 'member' ? applyPending(record, pending) : undefined
          const size = member?.size ?? record.size
          const data = { kind: 'data' as const, left: size, pad: padded(size) - size, collected: [] }
          if (record.kind === 'extended') {
            checkExtendedSize(record.size)
            state = { ...data, extended: record.format }
          } else if (record.kind === 'skip') {
            pending = nothingPending()
            state = data
          } else {
            const name = cleanName(member!.name)
            pending = nothingPending()
            const base = path.basename(name)
            const take = member!.type === 'file' && wanted.includes(name) && !written.includes(base)
            if (take) written.push(base)
            state = take
              ? { ...data, sink: createWriteStream(path.join(dir, base), { flags: 'wx', mode: 0o644 }) }
              : data
          }
          continue
        }
        const current: Extract<State, { kind: 'data' }> = state
        const n = Math.min(current.left, buffer.length)
        if (n > 0) {
          const piece = buffer.subarray(0, n)
          if (current.sink && !current.sink.write(piece))
            await new Promise<void>(resolve => current.sink!.once('drain', () => resolve()))
          if (current.extended) current.collected.push(Buffer.from(piece))
          current.left -= n
          buffer = buffer.subarray(n)
        }
        if (current.left > 0 || buffer.length < current.pad) break
        buffer = buffer.subarray(current.pad)
        if (current.extended)
          pending = withExtended(pending, Buffer.concat(current.collected), current.extended)
        if (current.sink) await closed(current.sink)
        state = { kind: 'header' }
      }
    }
  } finally {
    if (state.kind === 'data') state.sink?.destroy()
  }
  throw new Error('the archive ends before its end-of-archive blocks')
}
