import { isDigest } from './digest.js'
import { goKeyTwin } from '../runtime/go-keys.js'
import { isIndexMediaType, isManifestMediaType } from './media-types.js'
import type { Platform } from './platform.js'

export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  platform?: Platform
  annotations?: Record<string, string>
  artifactType?: string
}

export interface ImageManifest {
  schemaVersion: 2
  mediaType?: string
  artifactType?: string
  config: Descriptor
  layers: Descriptor[]
  annotations?: Record<string, string>
}

export interface ImageIndex {
  schemaVersion: 2
  mediaType?: string
  manifests: Descriptor[]
  annotations?: Record<string, string>
}

type Json = Record<string, unknown>

/*
 * The OCI image manifest and index (image-spec v1.1) as far as this code reads them, checked by hand:
 * a schema library here cost every image-scan run 10 to 20 ms of start-up. Problems are collected with
 * their path (`layers.0.digest`), the first three reported. Unknown fields pass, as the spec requires.
 */
const DESCRIPTOR_FIELDS = ['mediaType', 'digest', 'size', 'platform', 'annotations', 'artifactType']
const DOCUMENT_FIELDS = ['schemaVersion', 'mediaType', 'config', 'layers', 'manifests', 'annotations']

class Shape {
  readonly problems: string[] = []

  fail(path: string, message: string): void {
    this.problems.push(`${path || '(root)'}: ${message}`)
  }

  object(value: unknown, path: string, fields: readonly string[] = []): Json | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, 'expected an object')
      return undefined
    }
    // What a Go reader (the engine, crane, a container runtime) takes as one field must read as one here.
    const twin = goKeyTwin(value, fields)
    if (twin) this.fail(path, `gives ${twin}, one field to Go-based tools, which read the last`)
    return value as Json
  }

  text(value: unknown, path: string, { optional = false, nonEmpty = true } = {}): void {
    if (value === undefined && optional) return
    if (typeof value !== 'string') this.fail(path, 'expected a string')
    else if (nonEmpty && value === '') this.fail(path, 'must not be empty')
  }

  strings(value: unknown, path: string): void {
    if (value === undefined) return
    const object = this.object(value, path)
    for (const [key, item] of Object.entries(object ?? {}))
      this.text(item, `${path}.${key}`, { nonEmpty: false })
  }

  descriptor(value: unknown, path: string): void {
    const d = this.object(value, path, DESCRIPTOR_FIELDS)
    if (!d) return
    this.text(d.mediaType, `${path}.mediaType`)
    if (typeof d.digest !== 'string' || !isDigest(d.digest))
      this.fail(`${path}.digest`, 'must be sha256:<64 hex> or sha512:<128 hex>')
    if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0)
      this.fail(`${path}.size`, 'must be a whole number of bytes, 0 to 2^53 - 1')
    if (d.platform !== undefined) {
      const platform = this.object(d.platform, `${path}.platform`, ['os', 'architecture', 'variant'])
      if (platform) {
        this.text(platform.os, `${path}.platform.os`)
        this.text(platform.architecture, `${path}.platform.architecture`)
        this.text(platform.variant, `${path}.platform.variant`, { optional: true })
      }
    }
    this.strings(d.annotations, `${path}.annotations`)
    this.text(d.artifactType, `${path}.artifactType`, { optional: true, nonEmpty: false })
  }

  descriptors(value: unknown, path: string): void {
    if (!Array.isArray(value)) return this.fail(path, 'expected an array')
    value.forEach((item, i) => this.descriptor(item, `${path}.${i}`))
  }

  document(body: Json, isIndex: boolean): void {
    this.object(body, '', DOCUMENT_FIELDS)
    if (body.schemaVersion !== 2) this.fail('schemaVersion', 'must be 2')
    this.text(body.mediaType, 'mediaType', { optional: true, nonEmpty: false })
    this.strings(body.annotations, 'annotations')
    if (isIndex) return this.descriptors(body.manifests, 'manifests')
    this.text(body.artifactType, 'artifactType', { optional: true, nonEmpty: false })
    this.descriptor(body.config, 'config')
    this.descriptors(body.layers, 'layers')
  }
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; index: ImageIndex }
  | { kind: 'manifest'; mediaType: string; manifest: ImageManifest }

/**
 * An image manifest or index from its bytes. The media type the document declares wins over the one
 * the server sent (`contentType`), and the two must not contradict each other: a body that claims to be
 * one thing and is served as another is not guessed at. Throws an Error saying what is wrong.
 */
export function parseManifest(bytes: Uint8Array, contentType?: string): ParsedManifest {
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    throw new Error('the manifest is not JSON')
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error('the manifest is not a JSON object')
  const body = json as Record<string, unknown>
  const declared = typeof body.mediaType === 'string' ? body.mediaType : undefined
  const served = contentType?.split(';')[0]?.trim()
  const servedKnown = isIndexMediaType(served) || isManifestMediaType(served)
  if (declared && servedKnown && isIndexMediaType(declared) !== isIndexMediaType(served))
    throw new Error(`the manifest says it is ${declared} but was served as ${served}`)
  if (body.schemaVersion === 1)
    throw new Error('schema 1 manifests are not supported; push the image again with a current client')
  const mediaType = declared ?? (servedKnown ? served : undefined)
  const isIndex = mediaType ? isIndexMediaType(mediaType) : Array.isArray(body.manifests)
  const shape = new Shape()
  shape.document(body, isIndex)
  if (shape.problems.length > 0)
    throw new Error(
      `the ${isIndex ? 'index' : 'manifest'} is malformed: ${shape.problems.slice(0, 3).join('; ')}`
    )
  if (isIndex) {
    const index = body as unknown as ImageIndex
    return { kind: 'index', mediaType: mediaType ?? 'application/vnd.oci.image.index.v1+json', index }
  }
  const manifest = body as unknown as ImageManifest
  return { kind: 'manifest', mediaType: mediaType ?? 'application/vnd.oci.image.manifest.v1+json', manifest }
}
