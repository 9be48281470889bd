// Container images built without Docker: tar layers, configs, manifests and indexes as bytes, written as
// an OCI layout or a `docker save` archive, or served by a registry. Deterministic: the same files give
// the same digests, so a test can state what it expects.
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'

export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  trivyDbConfig: 'application/vnd.aquasec.trivy.config.v1+json',
  trivyDbLayer: 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip'
} as const

export interface TarEntry {
  name: string
  content?: Buffer | string
  type?: 'file' | 'dir' | 'symlink'
  linkname?: string
  mode?: number
}

export interface Blob {
  mediaType: string
  digest: string
  size: number
  bytes: Buffer
  annotations?: Record<string, string>
  platform?: Platform
}

export interface Platform {
  os: string
  architecture: string
  variant?: string
}

export interface BuiltImage {
  layers: (Blob & { diffId: string; tar: Buffer })[]
  config: Blob
  manifest: Blob
  platform: Platform
}

export const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0'
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512)
  let name = entry.name
  let prefix = ''
  if (Buffer.byteLength(name) > 100) {
    // ustar splits a long name at a slash: up to 155 bytes of prefix, up to 100 of name.
    const cut = name.lastIndexOf('/', name.length - 2)
    if (cut <= 0 || cut > 155 || Buffer.byteLength(name) - cut - 1 > 100)
      throw new Error(`tar: name too long: ${name}`)
    prefix = name.slice(0, cut)
    name = name.slice(cut + 1)
  }
  const type = entry.type ?? 'file'
  block.write(name, 0, 100)
  block.write(octal(entry.mode ?? (type === 'dir' ? 0o755 : 0o644), 8), 100)
  block.write(octal(0, 8), 108)
  block.write(octal(0, 8), 116)
  block.write(octal(size, 12), 124)
  block.write(octal(0, 12), 136)
  block.write(' '.repeat(8), 148)
  block.write(type === 'dir' ? '5' : type === 'symlink' ? '2' : '0', 156)
  block.write(entry.linkname ?? '', 157, 100)
  block.write('ustar\0', 257)
  block.write('00', 263)
  block.write(prefix, 345, 155)
  let sum = 0
  for (const byte of block) sum += byte
  block.write(octal(sum, 7) + ' ', 148)
  return block
}

/** A POSIX ustar archive of `entries`, in order, every mtime 0. */
export function tar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = []
  for (const entry of entries) {
    const content = entry.type && entry.type !== 'file' ? Buffer.alloc(0) : Buffer.from(entry.content ?? '')
    parts.push(header(entry, content.length), content, Buffer.alloc((512 - (content.length % 512)) % 512))
  }
  parts.push(Buffer.alloc(1024))
  return Buffer.concat(parts)
}

export function blobOf(
  bytes: Buffer | string,
  mediaType: string,
  annotations?: Record<string, string>
): Blob {
  const buffer = Buffer.from(bytes)
  return {
    mediaType,
    digest: sha256(buffer),
    size: buffer.length,
    bytes: buffer,
    ...(annotations ? { annotations } : {})
  }
}

export const descriptor = (blob: Blob) => ({
  mediaType: blob.mediaType,
  digest: blob.digest,
  size: blob.size,
  ...(blob.annotations ? { annotations: blob.annotations } : {}),
  ...(blob.platform ? { platform: blob.platform } : {})
})

/** Every directory above each file, then the files: what a real layer lists. */
function layerEntries(files: Record<string, string | Buffer>): TarEntry[] {
  const dirs = new Set<string>()
  for (const name of Object.keys(files)) {
    const parts = name.split('/').slice(0, -1)
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/') + '/')
  }
  return [
    ...[...dirs].sort().map(name => ({ name, type: 'dir' as const })),
    ...Object.entries(files).map(([name, content]) => ({ name, content }))
  ]
}

export interface ImageSpec {
  /** One layer per object: path inside the image (no leading slash) → content. */
  layers: Record<string, string | Buffer>[]
  platform?: Platform
  /** The image config's `config` (User, Env, Cmd, …). */
  config?: Record<string, unknown>
  /** Build history, as `docker history` shows it (one `created_by` per step). */
  history?: string[]
}

/** An image: gzip layers, its config (rootfs diff ids, history) and an OCI manifest. */
export function buildImage(spec: ImageSpec): BuiltImage {
  const platform = spec.platform ?? { os: 'linux', architecture: 'amd64' }
  const layers = spec.layers.map(files => {
    const layerTar = tar(layerEntries(files))
    return { ...blobOf(gzipSync(layerTar), MEDIA.ociLayer), diffId: sha256(layerTar), tar: layerTar }
  })
  const config = blobOf(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      created: '2026-01-01T00:00:00Z',
      config: spec.config ?? {},
      rootfs: { type: 'layers', diff_ids: layers.map(l => l.diffId) },
      history: (spec.history ?? layers.map((_, i) => `COPY layer-${i} /`)).map(step => ({
        created: '2026-01-01T00:00:00Z',
        created_by: step
      }))
    }),
    MEDIA.ociConfig
  )
  const manifest = blobOf(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: descriptor(config),
      layers: layers.map(descriptor)
    }),
    MEDIA.ociManifest
  )
  return { layers, config, manifest: { ...manifest, platform }, platform }
}

/**
 * `image` with its config's diff IDs replaced by `diffIds` (the layers themselves unchanged), and a
 * manifest over that config: an image whose config names its layers wrongly, as a hostile build can.
 */
export function withDiffIds(image: BuiltImage, diffIds: readonly string[]): BuiltImage {
  const json = JSON.parse(image.config.bytes.toString('utf8')) as { rootfs: { diff_ids: string[] } }
  json.rootfs.diff_ids = [...diffIds]
  const config = blobOf(JSON.stringify(json), MEDIA.ociConfig)
  const manifest = blobOf(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: descriptor(config),
      layers: image.layers.map(descriptor)
    }),
    MEDIA.ociManifest
  )
  return { ...image, config, manifest: { ...manifest, platform: image.platform } }
}

/** An OCI index over images (each entry with its platform). */
export function buildIndex(images: readonly BuiltImage[], extra: Blob[] = []): Blob {
  return blobOf(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociIndex,
      manifests: [...images.map(image => descriptor(image.manifest)), ...extra.map(descriptor)]
    }),
    MEDIA.ociIndex
  )
}

/** An OCI artifact as Trivy publishes its DB: an empty config and one tar.gz layer. */
export function buildArtifact(layer: Buffer, layerMediaType: string, configMediaType: string) {
  const config = blobOf('{}', configMediaType)
  const content = blobOf(layer, layerMediaType, { 'org.opencontainers.image.title': 'db.tar.gz' })
  const manifest = blobOf(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: descriptor(config),
      layers: [descriptor(content)]
    }),
    MEDIA.ociManifest
  )
  return { config, layer: content, manifest, blobs: [config, content] }
}

export function blobsOf(image: BuiltImage): Blob[] {
  return [image.config, ...image.layers]
}

/**
 * An OCI image layout at `dir`: `oci-layout`, `index.json` listing `top` (an image manifest, or an
 * index for a multi-platform image), and every blob under blobs/sha256.
 */
export function writeOciLayout(dir: string, top: Blob, blobs: readonly Blob[], refName?: string): string {
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true })
  writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }))
  const entry = {
    ...descriptor(top),
    ...(refName ? { annotations: { 'org.opencontainers.image.ref.name': refName } } : {})
  }
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [entry] })
  )
  for (const blob of [top, ...blobs])
    writeFileSync(path.join(dir, 'blobs', 'sha256', blob.digest.slice(7)), blob.bytes)
  return dir
}

/** A `docker save` archive: manifest.json, the config as `<id>.json`, and each layer as an uncompressed tar. */
export function dockerArchive(image: BuiltImage, repoTag?: string): Buffer {
  const configName = `${image.config.digest.slice(7)}.json`
  const layerNames = image.layers.map(layer => `${layer.diffId.slice(7)}/layer.tar`)
  const manifest = [{ Config: configName, RepoTags: repoTag ? [repoTag] : null, Layers: layerNames }]
  return tar([
    { name: configName, content: image.config.bytes },
    ...image.layers.flatMap((layer, i) => [
      { name: `${layer.diffId.slice(7)}/`, type: 'dir' as const },
      { name: layerNames[i]!, content: layer.tar }
    ]),
    { name: 'manifest.json', content: JSON.stringify(manifest) }
  ])
}
