import { z } from 'zod'
import { isDigest } from './digest.js'
import { isIndexMediaType, isManifestMediaType } from './media-types.js'
import type { Platform } from './platform.js'

const platformSchema = z.object({
  os: z.string().min(1),
  architecture: z.string().min(1),
  variant: z.string().min(1).optional()
})

const descriptorSchema = z.object({
  mediaType: z.string().min(1),
  digest: z.string().refine(isDigest, 'must be sha256:<64 hex> or sha512:<128 hex>'),
  size: z.number().int().nonnegative(),
  platform: platformSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  artifactType: z.string().optional()
})

const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  annotations: z.record(z.string(), z.string()).optional()
})

const indexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(descriptorSchema),
  annotations: z.record(z.string(), z.string()).optional()
})

export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  platform?: Platform
  annotations?: Record<string, string>
  artifactType?: string
}

export type ImageManifest = z.infer<typeof manifestSchema>
export type ImageIndex = z.infer<typeof indexSchema>

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
  const parsed = (isIndex ? indexSchema : manifestSchema).safeParse(body)
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 3).map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new Error(`the ${isIndex ? 'index' : 'manifest'} is malformed: ${problems.join('; ')}`)
  }
  if (isIndex) {
    const index = parsed.data as ImageIndex
    return { kind: 'index', mediaType: mediaType ?? 'application/vnd.oci.image.index.v1+json', index }
  }
  const manifest = parsed.data as ImageManifest
  return { kind: 'manifest', mediaType: mediaType ?? 'application/vnd.oci.image.manifest.v1+json', manifest }
}
