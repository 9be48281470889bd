import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { inflateRawSync } from 'node:zlib'

const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const CENTRAL_ENTRY = 0x02014b50
const LOCAL_HEADER = 0x04034b50
const STORED = 0
const DEFLATED = 8
/** The end record is 22 bytes plus a comment of at most 65,535. */
const MAX_TAIL = 22 + 0xffff

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length)
  let done = 0
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done)
    if (n === 0) throw new Error(`unexpected end of file at byte ${position + done}`)
    done += n
  }
  return buffer
}

/**
 * The members of a zip archive (a wheel) whose names `wanted` accepts, by name. Only what wheels
 * use is read: stored or deflated members, no ZIP64; anything else is an error, never a guess.
 */
export function readZipMembers(file: string, wanted: (name: string) => boolean): Map<string, Buffer> {
  const fd = openSync(file, 'r')
  try {
    const size = fstatSync(fd).size
    const tailLength = Math.min(size, MAX_TAIL)
    const tail = readAt(fd, size - tailLength, tailLength)
    let end = -1
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
        end = i
        break
      }
    }
    if (end === -1) throw new Error('not a zip archive (no end of central directory)')
    const count = tail.readUInt16LE(end + 10)
    const directorySize = tail.readUInt32LE(end + 12)
    const directoryOffset = tail.readUInt32LE(end + 16)
    if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff)
      throw new Error('ZIP64 archives are not read')
    const directory = readAt(fd, directoryOffset, directorySize)
    const members = new Map<string, Buffer>()
    let at = 0
    for (let n = 0; n < count; n++) {
      if (directory.readUInt32LE(at) !== CENTRAL_ENTRY) throw new Error('corrupt central directory')
      const method = directory.readUInt16LE(at + 10)
      const compressedSize = directory.readUInt32LE(at + 20)
      const nameLength = directory.readUInt16LE(at + 28)
      const extraLength = directory.readUInt16LE(at + 30)
      const commentLength = directory.readUInt16LE(at + 32)
      const localOffset = directory.readUInt32LE(at + 42)
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength)
      at += 46 + nameLength + extraLength + commentLength
      if (!wanted(name)) continue
      const local = readAt(fd, localOffset, 30)
      if (local.readUInt32LE(0) !== LOCAL_HEADER) throw new Error(`corrupt local header for ${name}`)
      const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28)
      const data = readAt(fd, dataOffset, compressedSize)
      if (method === STORED) members.set(name, data)
      else if (method === DEFLATED) members.set(name, inflateRawSync(data))
      else throw new Error(`${name} uses compression method ${method}`)
    }
    return members
  } finally {
    closeSync(fd)
  }
}
