import { createHash } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { isRepositoryPath, parseImageRef, splitReference, type ImageRef } from '../images/reference.js'
import { httpRequest, type HttpResponse } from '../runtime/http.js'
import type { Logger } from '../runtime/logger.js'
import { writeResponseFile } from '../runtime/response-file.js'
import { describeNetworkError, pause } from '../runtime/retry.js'
import { dockerConfigCredentials, type CredentialSource } from './credentials.js'
import { algorithmOf, digestOf, isDigest } from './digest.js'
import { RegistryError } from './errors.js'
import { parseManifest, type ImageIndex, type ImageManifest } from './manifest.js'
import { MANIFEST_ACCEPT } from './media-types.js'
import { formatPlatform, runnerPlatform, samePlatform, selectPlatform, type Platform } from './platform.js'
import { RegistrySession } from './session.js'
import { readCapped, Retryable, REGISTRY_RETRY, type RetryPolicy, type TransportDeps } from './transport.js'

/** The distribution spec lets registries refuse manifests over 4 MiB; nothing larger is read. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024
const MAX_CONFIG_BYTES = 8 * 1024 * 1024
const MAX_PLATFORMS_NAMED = 10

export interface RegistryClientOptions {
  /** Default: the standard docker credentials (DOCKER_CONFIG or ~/.docker/config.json, helpers). */
  credentials?: CredentialSource
  env?: NodeJS.ProcessEnv
  logger?: Logger
  retry?: Partial<RetryPolicy>
  fetch?: TransportDeps['fetch']
  sleep?: TransportDeps['sleep']
  /** Aborted when the run no longer needs this client's answers (see `cancelledBy`). */
  cancel?: AbortSignal
}

/** What a reference names right now. */
export interface ResolvedDigest {
  /** The reference as given. */
  reference: string
  /** The digest of the manifest or index the reference names (an index for a multi-platform tag). */
  digest: string
  mediaType: string
  /** The reference's name as written, pinned: `ghcr.io/o/app@sha256:…` (the tag dropped). */
  pinned: string
}

export interface FetchedManifest extends ResolvedDigest {
  bytes: Buffer
  index?: ImageIndex
  manifest?: ImageManifest
}

/** One image manifest a reference leads to, an index narrowed to a platform. */
export interface ResolvedImage extends FetchedManifest {
  manifest: ImageManifest
  /** The platform of the image, from the index entry or the image's config when one was asked for. */
  platform?: Platform
  /** Set when the reference names an index: the index, and the manifest chosen in it is this image. */
  index?: ImageIndex
  indexDigest?: string
}

/**
 * A read-only client of the OCI distribution API: manifests and indexes (HEAD and GET, every byte
 * checked against its digest), platform selection, and blobs streamed to disk and verified. Anonymous,
 * or with the standard docker credentials through the bearer-token flow; 429 and 5xx are retried with
 * backoff (Retry-After honoured). See `fromFirstAvailable` for ordered mirrors.
 */
export class RegistryClient {
  private readonly sessions = new Map<string, RegistrySession>()
  private readonly deps: TransportDeps
  private readonly credentials: CredentialSource

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.credentials = options.credentials ?? dockerConfigCredentials(options.env ?? process.env)
    this.deps = {
      fetch: options.fetch ?? httpRequest,
      sleep: options.sleep ?? pause,
      logger: options.logger,
      retry: { ...REGISTRY_RETRY, ...options.retry },
      ...(options.cancel ? { cancel: options.cancel } : {})
    }
  }

  /**
   * The same client for work that `cancel` may call off: once aborted, its request in flight stops
   * and its calls fail with a CancelledError instead of retrying or moving on to another mirror.
   */
  cancelledBy(cancel: AbortSignal): RegistryClient {
    return new RegistryClient({ ...this.options, credentials: this.credentials, cancel })
  }

  private session(registry: string): RegistrySession {
    let session = this.sessions.get(registry)
    if (!session)
      this.sessions.set(registry, (session = new RegistrySession(registry, this.credentials, this.deps)))
    return session
  }

  /**
   * The digest a reference names now, from a HEAD request (a GET when the registry sends no digest on
   * HEAD). A reference that already carries a digest is checked to exist and keeps it.
   */
  async resolveDigest(reference: string): Promise<ResolvedDigest> {
    const ref = parseReference(reference)
    const target = ref.digest ?? ref.tag ?? 'latest'
    const head = await this.session(ref.registry).request(
      manifestRequest(ref, target, 'HEAD', 'Resolving'),
      async response => ({
        digest: statedDigest(response) ?? '',
        mediaType: response.headers.get('content-type')?.split(';')[0]?.trim() ?? ''
      })
    )
    if (ref.digest && isDigest(head.digest) && head.digest !== ref.digest)
      throw new RegistryError(
        reference,
        'integrity',
        `the registry says ${reference} has the digest ${head.digest}.`
      )
    if (isDigest(head.digest) && head.mediaType)
      return { reference, ...head, pinned: pinnedName(ref, head.digest) }
    const {
      bytes: _bytes,
      index: _index,
      manifest: _manifest,
      ...resolved
    } = await this.fetchManifest(reference)
    return resolved
  }

  /**
   * The manifest or index `reference` names (or `digest` in its repository), its bytes checked against
   * the digest asked for, or the one the registry states for a tag.
   */
  async fetchManifest(reference: string, digest?: string): Promise<FetchedManifest> {
    const ref = parseReference(reference)
    const expected = digest ?? ref.digest
    const target = expected ?? ref.tag ?? 'latest'
    const fetched = await this.session(ref.registry).request(
      manifestRequest(ref, target, 'GET', 'Fetching the manifest of'),
      async response => ({
        bytes: await readManifestBody(response),
        stated: statedDigest(response),
        contentType: response.headers.get('content-type') ?? undefined
      })
    )
    const actual = digestOf(fetched.bytes, expected ?? fetched.stated ?? 'sha256:')
    const claimed = expected ?? (isDigest(fetched.stated) ? fetched.stated : undefined)
    if (claimed && claimed !== actual)
      throw new RegistryError(
        reference,
        'integrity',
        `the manifest served for ${target} has the digest ${actual}, not ${claimed}; nothing from it is used.`
      )
    let parsed
    try {
      parsed = parseManifest(fetched.bytes, fetched.contentType)
    } catch (error) {
      throw new RegistryError(reference, 'invalid', `${target}: ${(error as Error).message}.`)
    }
    return {
      reference,
      digest: actual,
      mediaType: parsed.mediaType,
      pinned: pinnedName(ref, actual),
      bytes: fetched.bytes,
      ...(parsed.kind === 'index' ? { index: parsed.index } : { manifest: parsed.manifest })
    }
  }

  /**
   * The one image a reference leads to. An index is narrowed to `platform` (default: this runner's,
   * linux/amd64 or linux/arm64); a single image is checked against `platform` when one is given.
   */
  async resolveImage(reference: string, platform?: Platform): Promise<ResolvedImage> {
    const top = await this.fetchManifest(reference)
    if (top.manifest) {
      if (!platform) return { ...top, manifest: top.manifest }
      const actual = await this.imagePlatform(reference, top.manifest)
      if (!samePlatform(actual, platform))
        throw new RegistryError(
          reference,
          'platform',
          `${reference} is a single ${formatPlatform(actual)} image, not ${formatPlatform(platform)}.`
        )
      return { ...top, manifest: top.manifest, platform: actual }
    }
    const wanted = platform ?? runnerPlatform()
    const entries = top.index?.manifests ?? []
    const entry = selectPlatform(entries, wanted)
    if (!entry) {
      throw new RegistryError(
        reference,
        'platform',
        `${reference} has no ${formatPlatform(wanted)} image (it has ${offeredPlatforms(entries)}).`
      )
    }
    const image = await this.fetchManifest(reference, entry.digest)
    if (!image.manifest)
      throw new RegistryError(
        reference,
        'invalid',
        `the ${formatPlatform(wanted)} entry of ${reference} is another index; nested indexes are not followed.`
      )
    return {
      ...image,
      manifest: image.manifest,
      platform: entry.platform,
      index: top.index,
      indexDigest: top.digest
    }
  }

  private async imagePlatform(reference: string, manifest: ImageManifest): Promise<Platform> {
    const config = await this.fetchBlob(reference, manifest.config.digest, MAX_CONFIG_BYTES)
    try {
      const json = JSON.parse(config.toString('utf8')) as {
        os?: unknown
        architecture?: unknown
        variant?: unknown
      }
      if (typeof json.os === 'string' && typeof json.architecture === 'string')
        return {
          os: json.os,
          architecture: json.architecture,
          ...(typeof json.variant === 'string' ? { variant: json.variant } : {})
        }
    } catch {
      // Handled below.
    }
    throw new RegistryError(
      reference,
      'invalid',
      `the image config of ${reference} names no os and architecture.`
    )
  }

  /** A small blob (an image config) in memory, checked against its digest. */
  async fetchBlob(reference: string, digest: string, maxBytes: number): Promise<Buffer> {
    const ref = parseReference(reference)
    const bytes = await this.session(ref.registry).request(blobRequest(ref, digest), response =>
      readCapped(response, maxBytes, `blob ${digest}`)
    )
    if (digestOf(bytes, digest) !== digest)
      throw new RegistryError(
        reference,
        'integrity',
        `blob ${digest} of ${reference} does not match its digest; nothing from it is used.`
      )
    return bytes
  }

  /**
   * Streams a blob to `dest` (which is replaced), hashing as it goes; a body cut short is fetched
   * again, and bytes that do not match the digest are deleted before this throws.
   */
  async downloadBlob(reference: string, digest: string, dest: string, maxBytes: number): Promise<void> {
    const ref = parseReference(reference)
    try {
      await this.session(ref.registry).request(blobRequest(ref, digest), response =>
        streamVerified(response, reference, digest, dest, maxBytes)
      )
    } catch (error) {
      await rm(dest, { force: true })
      throw error
    }
  }
}

/** Each platform once, the first ten: an index may list thousands, and this ends up in one error line. */
function offeredPlatforms(entries: readonly { platform?: Platform }[]): string {
  const offered = [...new Set(entries.flatMap(e => (e.platform ? [formatPlatform(e.platform)] : [])))]
  if (offered.length === 0) return 'no platform images'
  const more = offered.length - MAX_PLATFORMS_NAMED
  return more > 0
    ? `${offered.slice(0, MAX_PLATFORMS_NAMED).join(', ')} and ${more} more`
    : offered.join(', ')
}

function parseReference(reference: string): ImageRef {
  const ref = parseImageRef(reference)
  if (!isRepositoryPath(ref.repository) || (ref.digest !== undefined && !isDigest(ref.digest)))
    throw new RegistryError(
      reference,
      'invalid',
      `'${reference}' is not an image reference like registry.example/name:tag or name@sha256:<64 hex>.`
    )
  if (ref.tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(ref.tag))
    throw new RegistryError(reference, 'invalid', `'${ref.tag}' is not a valid tag.`)
  return ref
}

function pinnedName(ref: ImageRef, digest: string): string {
  return `${splitReference(ref.raw.trim()).name}@${digest}`
}

function manifestRequest(ref: ImageRef, target: string, method: 'GET' | 'HEAD', verb: string) {
  return {
    method,
    path: `/v2/${ref.repository}/manifests/${target}`,
    accept: MANIFEST_ACCEPT,
    scope: `repository:${ref.repository}:pull`,
    reference: ref.raw,
    what: `${verb} ${ref.raw}`
  }
}

function blobRequest(ref: ImageRef, digest: string) {
  if (!isDigest(digest)) throw new RegistryError(ref.raw, 'invalid', `'${digest}' is not a digest.`)
  return {
    method: 'GET' as const,
    path: `/v2/${ref.repository}/blobs/${digest}`,
    scope: `repository:${ref.repository}:pull`,
    reference: ref.raw,
    what: `Downloading blob ${digest.slice(0, 19)} of ${ref.raw}`
  }
}

/**
 * The digest the registry states for its answer. Hex in upper case is the same digest; read as no digest,
 * a header naming other bytes than the body went unchecked.
 */
function statedDigest(response: HttpResponse): string | undefined {
  return response.headers.get('docker-content-digest')?.trim().toLowerCase() || undefined
}

async function readManifestBody(response: HttpResponse): Promise<Buffer> {
  return readCapped(response, MAX_MANIFEST_BYTES, 'the manifest')
}

async function streamVerified(
  response: HttpResponse,
  reference: string,
  digest: string,
  dest: string,
  maxBytes: number
): Promise<void> {
  const hash = createHash(algorithmOf(digest))
  const body = await writeResponseFile(response, dest, maxBytes, chunk => hash.update(chunk))
  if (body.kind === 'too-large')
    throw new RegistryError(reference, 'invalid', `blob ${digest} is over the ${maxBytes}-byte limit.`)
  if (body.kind === 'no-body') throw new Retryable(`blob ${digest}: the answer had no body`)
  if (body.kind === 'cut')
    throw new Retryable(
      `blob ${digest} was cut short after ${body.bytes} bytes: ${describeNetworkError(body.error)}`
    )
  const actual = `${algorithmOf(digest)}:${hash.digest('hex')}`
  if (actual !== digest) {
    await rm(dest, { force: true })
    throw new RegistryError(
      reference,
      'integrity',
      `blob ${digest} of ${reference} arrived as ${actual}; the file was deleted and nothing from it is used.`
    )
  }
}

/** The digest a reference names now: what to pin it by. See `RegistryClient.resolveDigest`. */
export function resolveDigest(
  reference: string,
  options: RegistryClientOptions = {}
): Promise<ResolvedDigest> {
  return new RegistryClient(options).resolveDigest(reference)
}
