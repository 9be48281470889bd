import { open } from 'node:fs/promises'
import { ConfigurationError } from '../runtime/errors.js'
import { digestOf } from '../registry/digest.js'
import { formatPlatform, samePlatform, type Platform } from '../registry/platform.js'
import { configPlatform, type LocalImage } from './local-image.js'
import { cleanName, listTar, readMember } from './tar.js'

const MAX_JSON_BYTES = 8 * 1024 * 1024

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
  const configMember = typeof entry.Config === 'string' ? byName.get(cleanName(entry.Config)) : undefined
  if (!configMember || configMember.type !== 'file')
    throw fail('names an image config that is not in the archive.')
  const config = await readMember(file, configMember, MAX_JSON_BYTES)
  const actual = configPlatform(config)
  if (platform && (!actual || !samePlatform(actual, platform)))
    throw fail(
      `is a ${actual ? formatPlatform(actual) : 'platform-less'} image, not ${formatPlatform(platform)}.`
    )
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
    cleanup: async () => undefined
  }
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
