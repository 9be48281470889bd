import { lstat } from 'node:fs/promises'
import { parseImageRef, splitReference } from '../images/reference.js'
import { ConfigurationError } from '../runtime/errors.js'
import type { RegistryClient } from '../registry/client.js'
import { RegistryError } from '../registry/errors.js'
import type { Platform } from '../registry/platform.js'
import { readDockerArchive } from './docker-archive.js'
import { layersLeftUnread, MAX_CONFIG_BYTES } from './image-config.js'
import { readOciLayout } from './oci-layout.js'
import type { EngineTarget } from './trivy.js'

/** What to scan: an image in a registry, or one on disk (a docker save archive or an OCI layout). */
export type ImageSource = { kind: 'image'; reference: string } | { kind: 'input'; path: string }

/** The image that was scanned, pinned: what the summary, the SARIF and the SBOM name. */
export interface ScannedImage {
  kind: 'registry' | 'oci-layout' | 'docker-archive'
  /** registry/repository, or the name given for an image on disk: what findings and the category name. */
  name: string
  /** The manifest digest, or for a docker save archive the image ID (it has no manifest). */
  digest: string
  digestKind: 'manifest' | 'image-id'
  configDigest: string
  /** Set when the image was chosen by platform from an index. */
  indexDigest?: string
  platform?: Platform
  /** The reference or path as the user gave it. */
  asked: string
  /** Names the archive records (docker save's RepoTags). */
  names: string[]
  engineTarget: EngineTarget
  /** See LocalImage.contentChecked: awaited before the engine's report is believed. */
  contentChecked?: Promise<void>
  cleanup(): Promise<void>
}

/** registry/repository of a reference (`docker.io/library/nginx` for `nginx:1`), or what the user named it. */
export function imageName(source: ImageSource, given?: string): string {
  if (given) return given
  if (source.kind === 'image') return parseImageRef(source.reference).fullName
  const base = source.path.split(/[\\/]/).filter(Boolean).pop() ?? 'image'
  return base.replace(/\.(tar|tar\.gz|tgz|oci)$/i, '')
}

/** A short, file-name-safe form of the image name: `secure-pipeline/image-<name>.sarif`. */
export function fileSafeName(name: string): string {
  const last = name.split('/').filter(Boolean).pop() ?? 'image'
  return (
    last
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-.]+/, '')
      .slice(0, 64) || 'image'
  )
}

export interface ResolveOptions {
  client: RegistryClient
  platform?: Platform
  name?: string
  inputName: string
  tempRoot: string
}

/** Pins the image: resolves a reference to one manifest digest, or reads and checks the image on disk. */
export async function resolveTarget(source: ImageSource, options: ResolveOptions): Promise<ScannedImage> {
  const name = imageName(source, options.name)
  if (source.kind === 'image') {
    const resolved = await options.client.resolveImage(source.reference, options.platform)
    const config = await options.client.fetchBlob(
      source.reference,
      resolved.manifest.config.digest,
      MAX_CONFIG_BYTES
    )
    const unread = layersLeftUnread(config, resolved.manifest.layers)
    if (unread)
      throw new RegistryError(
        source.reference,
        'invalid',
        `the image ${resolved.digest} is refused: ${unread}.`
      )
    return {
      kind: 'registry',
      name,
      digest: resolved.digest,
      digestKind: 'manifest',
      configDigest: resolved.manifest.config.digest,
      ...(resolved.indexDigest ? { indexDigest: resolved.indexDigest } : {}),
      ...(resolved.platform ? { platform: resolved.platform } : {}),
      asked: source.reference,
      names: [],
      engineTarget: {
        kind: 'registry',
        reference: `${splitReference(source.reference.trim()).name}@${resolved.digest}`
      },
      cleanup: async () => undefined
    }
  }
  const info = await lstat(source.path).catch(() => undefined)
  if (!info) throw new ConfigurationError(`Input '${options.inputName}' (${source.path}) does not exist.`)
  const local = info.isDirectory()
    ? await readOciLayout(source.path, options.inputName, options.tempRoot, options.platform)
    : info.isFile()
      ? await readDockerArchive(source.path, options.inputName, options.platform)
      : undefined
  if (!local)
    throw new ConfigurationError(
      `Input '${options.inputName}' (${source.path}) is neither a file nor a directory.`
    )
  return {
    kind: local.kind,
    name,
    digest: local.digest,
    digestKind: local.digestKind,
    configDigest: local.configDigest,
    ...(local.indexDigest ? { indexDigest: local.indexDigest } : {}),
    ...(local.platform ? { platform: local.platform } : {}),
    asked: source.path,
    names: local.names,
    engineTarget: { kind: local.kind === 'oci-layout' ? 'oci-layout' : 'archive', path: local.enginePath },
    ...(local.contentChecked ? { contentChecked: local.contentChecked } : {}),
    cleanup: local.cleanup
  }
}
