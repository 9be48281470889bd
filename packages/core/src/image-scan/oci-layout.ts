import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import { containedDirectory } from '../runtime/walk.js'
import { algorithmOf, isDigest } from '../registry/digest.js'
import { parseManifest, type Descriptor, type ImageManifest } from '../registry/manifest.js'
import {
  formatPlatform,
  runnerPlatform,
  samePlatform,
  selectPlatform,
  type Platform
} from '../registry/platform.js'
import { layersLeftUnread, MAX_CONFIG_BYTES } from './image-config.js'
import { configPlatform, type LocalImage } from './local-image.js'

const MAX_JSON_BYTES = 4 * 1024 * 1024
const REF_NAME = 'org.opencontainers.image.ref.name'

interface Found {
  descriptor: Descriptor
  manifest: ImageManifest
  indexDigest?: string
}

/**
 * Reads a blob of the layout and checks it against its digest, as a registry client would: a regular
 * file under blobs/, never through a link, every byte hashed.
 */
async function readVerified(
  dir: string,
  digest: string,
  maxBytes: number,
  fail: (why: string) => Error
): Promise<Buffer> {
  const file = await blobFile(dir, digest, fail)
  const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  try {
    const { size } = await handle.stat()
    if (size > maxBytes) throw fail(`has a ${size}-byte document ${digest}, over the ${maxBytes}-byte limit.`)
    const bytes = await handle.readFile()
    if (`${algorithmOf(digest)}:${createHash(algorithmOf(digest)).update(bytes).digest('hex')}` !== digest)
      throw fail(`has a blob ${digest} whose bytes do not match its digest.`)
    return bytes
  } finally {
    await handle.close()
  }
}

async function blobFile(dir: string, digest: string, fail: (why: string) => Error): Promise<string> {
  if (!isDigest(digest)) throw fail(`names a blob '${digest}' that is not a digest.`)
  // blobs/ and blobs/<algorithm> must be real directories of the layout: a link would read elsewhere.
  if (!containedDirectory(dir, path.join('blobs', algorithmOf(digest))))
    throw fail(`has no blobs/${algorithmOf(digest)} directory, or it is a link.`)
  const file = path.join(dir, 'blobs', algorithmOf(digest), digest.slice(digest.indexOf(':') + 1))
  const info = await lstat(file).catch(() => undefined)
  if (!info) throw fail(`lacks the blob ${digest}.`)
  if (!info.isFile())
    throw fail(`has ${path.relative(dir, file)} as a link or other non-file; blobs must be regular files.`)
  return file
}

async function hashFile(file: string, digest: string, fail: (why: string) => Error): Promise<void> {
  const hash = createHash(algorithmOf(digest))
  const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer)
  } finally {
    await handle.close()
  }
  if (`${algorithmOf(digest)}:${hash.digest('hex')}` !== digest)
    throw fail(`has a blob ${digest} whose bytes do not match its digest.`)
}

/**
 * The image manifests reachable from a list of descriptors, indexes followed one level. Each document
 * is read once (`seen`): indexes that list the same index or manifest again and again would otherwise
 * multiply a few small files into billions of reads, before any deadline applies.
 */
async function candidates(
  dir: string,
  entries: readonly Descriptor[],
  fail: (why: string) => Error,
  seen: Set<string>,
  indexDigest?: string,
  depth = 0
): Promise<Found[]> {
  const found: Found[] = []
  for (const descriptor of entries) {
    if (seen.has(descriptor.digest)) continue
    seen.add(descriptor.digest)
    const bytes = await readVerified(dir, descriptor.digest, MAX_JSON_BYTES, fail)
    let parsed
    try {
      parsed = parseManifest(bytes, descriptor.mediaType)
    } catch (error) {
      throw fail(`has a document ${descriptor.digest} that cannot be read: ${(error as Error).message}.`)
    }
    if (parsed.kind === 'manifest')
      found.push({ descriptor, manifest: parsed.manifest, ...(indexDigest ? { indexDigest } : {}) })
    else if (depth < 2)
      found.push(...(await candidates(dir, parsed.index.manifests, fail, seen, descriptor.digest, depth + 1)))
  }
  return found
}

/**
 * An OCI image layout directory. The image is chosen by platform (default: this runner's) when the
 * layout holds several; its manifest, config and every layer are checked against their digests, and
 * the engine is given a private layout that lists only that image, so it scans exactly what is reported.
 */
export async function readOciLayout(
  dir: string,
  inputName: string,
  tempRoot: string,
  platform?: Platform
): Promise<LocalImage> {
  const fail = (why: string) => new ConfigurationError(`Input '${inputName}' (${dir}) ${why}`)
  const indexFile = path.join(dir, 'index.json')
  const info = await lstat(indexFile).catch(() => undefined)
  if (!info?.isFile())
    throw fail('has no index.json file: give an OCI image layout directory or a docker save archive.')
  if (info.size > MAX_JSON_BYTES)
    throw fail(`has a ${info.size}-byte index.json, over the ${MAX_JSON_BYTES}-byte limit.`)
  let index
  try {
    index = parseManifest(await readFile(indexFile), 'application/vnd.oci.image.index.v1+json')
  } catch (error) {
    throw fail(`has an index.json that cannot be read: ${(error as Error).message}.`)
  }
  if (index.kind !== 'index') throw fail('has an index.json that is not an image index.')
  const images = await candidates(dir, index.index.manifests, fail, new Set())
  if (images.length === 0) throw fail('holds no image manifest.')
  const chosen = await choose(dir, images, platform, fail)
  const config = await readVerified(dir, chosen.manifest.config.digest, MAX_CONFIG_BYTES, fail)
  const unread = layersLeftUnread(config, chosen.manifest.layers)
  if (unread) throw fail(`holds an image ${chosen.descriptor.digest} whose ${unread}.`)
  // A layer listed many times is one blob: hashed once, not once per mention. One at a time: a 4 MiB
  // manifest can list 27,000 tiny layers, and a file and a read buffer each at once ran out of both.
  for (const digest of new Set(chosen.manifest.layers.map(layer => layer.digest)))
    await hashFile(await blobFile(dir, digest, fail), digest, fail)
  const actual = configPlatform(config)
  if (platform && (!actual || !samePlatform(actual, platform)))
    throw fail(
      `holds a ${actual ? formatPlatform(actual) : 'platform-less'} image, not ${formatPlatform(platform)}.`
    )
  const view = await mkdtemp(path.join(tempRoot, 'sp-oci-view-'))
  await writeFile(path.join(view, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }))
  await writeFile(
    path.join(view, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ ...chosen.descriptor, annotations: undefined, platform: undefined }]
    })
  )
  await symlink(path.join(dir, 'blobs'), path.join(view, 'blobs'))
  const names = index.index.manifests.flatMap(d =>
    d.annotations?.[REF_NAME] ? [d.annotations[REF_NAME]] : []
  )
  return {
    kind: 'oci-layout',
    enginePath: view,
    digest: chosen.descriptor.digest,
    digestKind: 'manifest',
    configDigest: chosen.manifest.config.digest,
    ...(actual ? { platform: actual } : {}),
    ...(chosen.indexDigest ? { indexDigest: chosen.indexDigest } : {}),
    names,
    cleanup: () => rm(view, { recursive: true, force: true })
  }
}

/**
 * The platform of each image: its index entry's, else its config's. Configs are read one at a time and
 * each once: an index may list thousands of small manifests over one 8 MiB config, and reading them all
 * at once held a copy per manifest in memory (800 manifests over one 8 MB file took 6 GB).
 */
async function platformsOf(
  dir: string,
  images: readonly Found[],
  fail: (why: string) => Error
): Promise<(Found & { platform?: Platform })[]> {
  const byConfig = new Map<string, Platform | undefined>()
  const out: (Found & { platform?: Platform })[] = []
  for (const image of images) {
    const digest = image.manifest.config.digest
    if (!image.descriptor.platform && !byConfig.has(digest))
      byConfig.set(digest, configPlatform(await readVerified(dir, digest, MAX_CONFIG_BYTES, fail)))
    const platform = image.descriptor.platform ?? byConfig.get(digest)
    out.push({ ...image, ...(platform ? { platform } : {}) })
  }
  return out
}

async function choose(
  dir: string,
  images: Found[],
  platform: Platform | undefined,
  fail: (why: string) => Error
): Promise<Found> {
  if (images.length === 1) return images[0]!
  const wanted = platform ?? runnerPlatform()
  const withPlatform = await platformsOf(dir, images, fail)
  const matching = withPlatform.filter(image => image.platform && selectPlatform([image], wanted))
  if (matching.length === 1) return matching[0]!
  // Each platform named once: a layout of a thousand images of one platform gives one line, not a thousand.
  const offered = [
    ...new Set(withPlatform.map(image => (image.platform ? formatPlatform(image.platform) : 'unknown')))
  ].join(', ')
  if (matching.length === 0)
    throw fail(`has no ${formatPlatform(wanted)} image (it has ${offered}); set the platform input.`)
  throw fail(`holds ${matching.length} ${formatPlatform(wanted)} images; keep one image per layout.`)
}
