import { open, type FileHandle } from 'node:fs/promises'

/**
 * What a Go binary says about how it was built (what `go version -m` prints), read from its bytes
 * without running it: a tool we were handed might be the very release we must not run.
 */
export interface GoBuildInfo {
  goVersion: string
  /** The main module's path and version (`(devel)` for a build from a checkout without a tag). */
  mainModule?: { path: string; version: string }
  /** Build settings: `-ldflags`, `vcs.revision`, … */
  settings: Record<string, string>
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1')
const CHUNK = 4 * 1024 * 1024

/** Go ≥ 1.18 writes the version and module info inline after the 32-byte header (flag bit 2). */
function parseInline(block: Buffer): GoBuildInfo | undefined {
  const flags = block[15]!
  if ((flags & 2) === 0) return undefined
  let position = 32
  const readBytes = (): Buffer | undefined => {
    let length = 0
    let shift = 0
    for (;;) {
      if (position >= block.length) return undefined
      const byte = block[position++]!
      length += (byte & 0x7f) * 2 ** shift
      if ((byte & 0x80) === 0) break
      shift += 7
    }
    if (position + length > block.length) return undefined
    const bytes = block.subarray(position, position + length)
    position += length
    return bytes
  }
  const goVersion = readBytes()?.toString('utf8')
  const rawModInfo = readBytes()
  if (goVersion === undefined || rawModInfo === undefined) return undefined
  // The module info is framed by two 16-byte binary sentinels.
  const modInfo = rawModInfo.length >= 33 ? rawModInfo.subarray(16, -16).toString('utf8') : ''
  const info: GoBuildInfo = { goVersion, settings: {} }
  for (const line of modInfo.split('\n')) {
    const [kind, first, second] = line.split('\t')
    if (kind === 'mod' && first) info.mainModule = { path: first, version: second ?? '' }
    if (kind === 'build' && first) {
      const eq = first.indexOf('=')
      if (eq > 0) info.settings[first.slice(0, eq)] = first.slice(eq + 1).replace(/^"(.*)"$/, '$1')
    }
  }
  return info
}

/** The ELF section `.go.buildinfo`, where the header sits at its start. */
async function elfBuildInfoOffset(handle: FileHandle): Promise<number | undefined> {
  const ident = Buffer.alloc(64)
  await handle.read(ident, 0, 64, 0)
  if (ident.readUInt32BE(0) !== 0x7f454c46 || ident[4] !== 2 || ident[5] !== 1) return undefined // 64-bit little-endian only
  const shoff = Number(ident.readBigUInt64LE(0x28))
  const shentsize = ident.readUInt16LE(0x3a)
  const shnum = ident.readUInt16LE(0x3c)
  const shstrndx = ident.readUInt16LE(0x3e)
  if (shoff === 0 || shnum === 0 || shnum > 4096 || shentsize < 64) return undefined
  const table = Buffer.alloc(shnum * shentsize)
  await handle.read(table, 0, table.length, shoff)
  const section = (i: number) => ({
    name: table.readUInt32LE(i * shentsize),
    offset: Number(table.readBigUInt64LE(i * shentsize + 0x18)),
    size: Number(table.readBigUInt64LE(i * shentsize + 0x20))
  })
  const strings = section(shstrndx)
  if (strings.size > 1 << 20) return undefined
  const names = Buffer.alloc(strings.size)
  await handle.read(names, 0, names.length, strings.offset)
  for (let i = 0; i < shnum; i++) {
    const s = section(i)
    const end = names.indexOf(0, s.name)
    if (names.subarray(s.name, end).toString('latin1') === '.go.buildinfo') return s.offset
  }
  return undefined
}

/** Scans the file for the header on 16-byte boundaries, as `go version` does for other formats. */
async function scanForMagic(handle: FileHandle, size: number): Promise<number | undefined> {
  const buffer = Buffer.alloc(CHUNK + 16)
  for (let start = 0; start < size; start += CHUNK) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start)
    for (let at = buffer.indexOf(MAGIC); at !== -1 && at < bytesRead; at = buffer.indexOf(MAGIC, at + 1))
      if ((start + at) % 16 === 0) return start + at
  }
  return undefined
}

/** The build info of a Go binary, or undefined when the file holds none (not Go, or mangled). */
export async function readGoBuildInfo(file: string): Promise<GoBuildInfo | undefined> {
  const handle = await open(file, 'r')
  try {
    const { size } = await handle.stat()
    let offset = await elfBuildInfoOffset(handle).catch(() => undefined)
    const block = Buffer.alloc(64 * 1024)
    if (offset !== undefined) {
      await handle.read(block, 0, block.length, offset)
      if (!block.subarray(0, MAGIC.length).equals(MAGIC)) offset = undefined
    }
    if (offset === undefined) {
      offset = await scanForMagic(handle, size)
      if (offset === undefined) return undefined
      await handle.read(block, 0, block.length, offset)
    }
    return parseInline(block)
  } finally {
    await handle.close()
  }
}

/**
 * The release version a Go tool was built as: the `-X <module>/…/app.ver=` style version stamp in its
 * ldflags when `stampPattern` finds one, else its main module's version (`v0.74.0` → `0.74.0`).
 * Undefined when neither says (a `(devel)` build).
 */
export function versionOf(info: GoBuildInfo, stampPattern: RegExp): string | undefined {
  const stamped = stampPattern.exec(info.settings['-ldflags'] ?? '')?.[1]
  if (stamped) return stamped.replace(/^v/, '')
  const version = info.mainModule?.version
  return version && /^v\d/.test(version) ? version.slice(1).replace(/\+.*$/, '') : undefined
}
