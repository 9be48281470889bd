import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import * as path from 'node:path'
import { Readable, Writable, type Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as zlib from 'node:zlib'
import { ConfigurationError } from '../runtime/errors.js'
import { digestOf } from '../registry/digest.js'
import { formatPlatform, samePlatform, type Platform } from '../registry/platform.js'
import { goKeyTwin } from '../runtime/go-keys.js'
import { configKeyTwin, configTwinReason, diffIdsOf } from './image-config.js'
import { configPlatform, type LocalImage } from './local-image.js'
import { cleanName, listTar, readMember, type TarMember } from './tar.js'

const MAX_JSON_BYTES = 8 * 1024 * 1024
/** Links to links: docker save links a repeated layer to the first copy; more than a few hops is a loop. */
const MAX_LINK_HOPS = 8

const ARCHIVE_FIELDS = ['Config', 'RepoTags', 'Layers', 'LayerSources']

interface ArchiveEntry {
  Config?: unknown
  RepoTags?: unknown
  Layers?: unknown
}

/**
 * A `docker save` archive: its manifest.json must name exactly one image, whose config (and so its
 * image ID) is read from the archive. Layer data is not read here; the engine reads it.
 */
export async function readDockerArchive(
  file: string,
  inputName: string,
  platform?: Platform
): Promise<LocalImage> {
  const fail = (why: string) => new ConfigurationError(`Input '${inputName}' (${file}) ${why}`)
  let members
  try {
    members = await listTar(file)
  } catch (error) {
    // `docker save | gzip` is common, but a member is read where it lies: that needs the tar itself.
    if (await isGzip(file))
      throw fail('is gzip-compressed: give the docker save archive itself (gunzip it first).')
    throw fail(`is neither an OCI layout directory nor a docker save archive: ${(error as Error).message}.`)
  }
  const byName = new Map(members.map(member => [member.name, member]))
  // The engine takes the first member of a name and we the last: two of one name would show it another image.
  if (byName.size !== members.length)
    throw fail(`has ${members.length - byName.size} member name(s) twice; docker save writes each once.`)
  const manifestMember = byName.get('manifest.json')
  if (!manifestMember || manifestMember.type !== 'file')
    throw fail(
      'is a tar archive without manifest.json: give a docker save archive or an OCI layout directory (unpack an OCI archive first).'
    )
  let entries: ArchiveEntry[]
  try {
    entries = JSON.parse(
      (await readMember(file, manifestMember, MAX_JSON_BYTES)).toString('utf8')
    ) as ArchiveEntry[]
  } catch {
    throw fail('has a manifest.json that is not valid JSON.')
  }
  if (!Array.isArray(entries) || entries.length !== 1)
    throw fail(
      `holds ${Array.isArray(entries) ? entries.length : 'no list of'} images; save one image per archive.`
    )
  const entry = entries[0]!
  // The engine reads manifest.json with Go, which takes `layers` for `Layers`: its last spelling would win.
  const twin = typeof entry === 'object' && entry !== null ? goKeyTwin(entry, ARCHIVE_FIELDS) : undefined
  if (twin)
    throw fail(
      `has a manifest.json that gives ${twin}, one field to the engine (Go reads JSON keys regardless of case, the last one winning); docker save writes each once.`
    )
  const configMember = typeof entry.Config === 'string' ? byName.get(cleanName(entry.Config)) : undefined
  if (!configMember || configMember.type !== 'file')
    throw fail('names an image config that is not in the archive.')
  const config = await readMember(file, configMember, MAX_JSON_BYTES)
  const actual = configPlatform(config)
  if (platform && (!actual || !samePlatform(actual, platform)))
    throw fail(
      `is a ${actual ? formatPlatform(actual) : 'platform-less'} image, not ${formatPlatform(platform)}.`
    )
  const layers = layersToCheck(entry.Layers, config, byName, fail)
  // Hashing reads every layer unpacked, as long as the scan on a large image: it runs alongside the scan,
  // whose report is believed only once this has held. Stopped by cleanup when the run ends first.
  const stop = new AbortController()
  const contentChecked = hashLayers(file, layers, fail, stop.signal)
  contentChecked.catch(() => undefined)
  const configDigest = digestOf(config)
  return {
    kind: 'docker-archive',
    enginePath: file,
    digest: configDigest,
    digestKind: 'image-id',
    configDigest,
    ...(actual ? { platform: actual } : {}),
    names: Array.isArray(entry.RepoTags)
      ? entry.RepoTags.filter((t): t is string => typeof t === 'string')
      : [],
    contentChecked,
    cleanup: async () => stop.abort()
  }
}

interface LayerToCheck {
  /** As manifest.json names it. */
  name: string
  member: TarMember
  diffId: string
}

/**
 * The image ID (the config's digest) names the image by its layers' diff IDs, and the engine trusts
 * them: it reads whatever bytes the archive holds under each layer's name. Each layer is to be hashed,
 * as the engine will read it, against the diff ID the config gives, so that the image ID reported is
 * the image scanned, not one whose layers were swapped for harmless ones.
 */
function layersToCheck(
  layers: unknown,
  config: Buffer,
  byName: Map<string, TarMember>,
  fail: (why: string) => Error
): LayerToCheck[] {
  const twin = configKeyTwin(config)
  if (twin) throw fail(`has an image whose ${configTwinReason(twin)}.`)
  const diffIds = diffIdsOf(config)
  if (!Array.isArray(layers) || !layers.every(layer => typeof layer === 'string'))
    throw fail('has a manifest.json whose Layers is not a list of file names.')
  if (!diffIds || diffIds.length !== layers.length)
    throw fail(
      `lists ${layers.length} layer(s) but its config names ${diffIds ? diffIds.length : 'no valid'} diff ID(s).`
    )
  return layers.map((name, i) => ({ name, member: layerMember(name, byName, fail), diffId: diffIds[i]! }))
}

async function hashLayers(
  file: string,
  layers: readonly LayerToCheck[],
  fail: (why: string) => Error,
  signal: AbortSignal
): Promise<void> {
  // Like the engine, the first layer decides: compressed layers are unpacked, an uncompressed one read as is.
  const compressed = layers.length > 0 && (await compressionOf(file, layers[0]!.member)) !== 'none'
  // A member named many times (directly or through links) is unpacked once: manifest.json can name one
  // large layer 50,000 times, which the engine reads once, and this check was awaited hours after it.
  const diffIdAt = new Map<number, string>()
  for (const { name, member, diffId } of layers) {
    const actual = diffIdAt.get(member.offset) ?? (await layerDiffId(file, member, compressed, fail, signal))
    diffIdAt.set(member.offset, actual)
    if (actual !== diffId)
      throw fail(
        `has a layer ${name} whose content (${actual}) is not the diff ID ${diffId} its config names.`
      )
  }
}

/** The member the engine reads for a layer: links followed from the link's directory, as it follows them. */
function layerMember(name: string, byName: Map<string, TarMember>, fail: (why: string) => Error): TarMember {
  let wanted = name
  for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
    const member = byName.get(cleanName(wanted))
    if (!member) throw fail(`names a layer ${name} that is not in the archive.`)
    if (member.type === 'file') return member
    if (member.type !== 'symlink' && member.type !== 'hardlink')
      throw fail(`names a layer ${name} that is not a file.`)
    wanted = path.posix.join(path.posix.dirname(wanted), member.linkname)
  }
  throw fail(`names a layer ${name} through more than ${MAX_LINK_HOPS} links.`)
}

type Compression = 'gzip' | 'zstd' | 'none'

function layerStream(file: string, member: TarMember): Readable {
  if (member.size === 0) return Readable.from([])
  return createReadStream(file, { start: member.offset, end: member.offset + member.size - 1 })
}

async function compressionOf(file: string, member: TarMember): Promise<Compression> {
  if (member.size < 4) return 'none'
  const handle = await open(file, 'r')
  try {
    const magic = Buffer.alloc(4)
    await handle.read(magic, 0, 4, member.offset)
    if (magic[0] === 0x1f && magic[1] === 0x8b) return 'gzip'
    return magic.readUInt32LE(0) === 0xfd2fb528 ? 'zstd' : 'none'
  } finally {
    await handle.close()
  }
}

/** sha256 of a layer as the engine unpacks it: each compressed layer by its own magic, once the first is. */
async function layerDiffId(
  file: string,
  member: TarMember,
  compressed: boolean,
  fail: (why: string) => Error,
  signal: AbortSignal
): Promise<string> {
  const compression = compressed ? await compressionOf(file, member) : 'none'
  const hash = createHash('sha256')
  let unpack: Transform | undefined
  if (compression === 'gzip') unpack = zlib.createGunzip()
  if (compression === 'zstd') {
    // Node 22.15 and later unpack zstd; the action runs on Node 24.
    const zstd = (zlib as { createZstdDecompress?: () => Transform }).createZstdDecompress
    if (!zstd) throw fail(`has a zstd layer ${member.name}, which this Node cannot unpack to check.`)
    unpack = zstd()
  }
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      done()
    }
  })
  try {
    const source = layerStream(file, member)
    await (unpack ? pipeline(source, unpack, sink, { signal }) : pipeline(source, sink, { signal }))
  } catch (error) {
    throw fail(`has a layer ${member.name} that cannot be unpacked: ${(error as Error).message}.`)
  }
  return `sha256:${hash.digest('hex')}`
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r')
  try {
    const magic = Buffer.alloc(2)
    await handle.read(magic, 0, 2, 0)
    return magic[0] === 0x1f && magic[1] === 0x8b
  } finally {
    await handle.close()
  }
}
