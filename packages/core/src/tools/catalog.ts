import { z } from 'zod'
import catalogJson from './catalog.json' with { type: 'json' }
import { ConfigurationError } from '../runtime/errors.js'

export const PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'] as const
export type Platform = (typeof PLATFORMS)[number]

/**
 * Releases that were published by an attacker under the project's own name (trivy, March 2026).
 * Refused in code, not just left out of the catalog, so no catalog edit or input can bring them back.
 */
export const COMPROMISED_RELEASES: Readonly<Record<string, readonly string[]>> = {
  trivy: ['0.69.4', '0.69.5', '0.69.6']
}

export const EXACT_VERSION = /^\d+\.\d+\.\d+$/

// Only GitHub release assets: the mirror rewrite swaps this origin and keeps the path.
const RELEASE_ASSET_URL = /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/releases\/download\/[^?#\s]+$/

const assetSchema = z.strictObject({
  url: z
    .string()
    .regex(RELEASE_ASSET_URL, 'must be an https://github.com/<owner>/<repo>/releases/download/ URL'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'),
  archive: z.enum(['tar.gz', 'zip', 'none']),
  binary: z
    .string()
    .min(1)
    .refine(
      binary => !binary.startsWith('/') && !binary.split(/[\\/]/).includes('..'),
      'must be a relative path inside the archive'
    ),
  source: z.string().min(1, 'say where the sha256 came from')
})

const toolSchema = z
  .strictObject({
    default: z.string().regex(EXACT_VERSION).optional(),
    versions: z.record(z.string().regex(EXACT_VERSION), z.partialRecord(z.enum(PLATFORMS), assetSchema))
  })
  .refine(tool => tool.default === undefined || tool.default in tool.versions, {
    message: 'default must be one of the listed versions'
  })

const catalogSchema = z
  .object({
    $comment: z.unknown().optional(),
    tools: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), toolSchema)
  })
  .superRefine((catalog, ctx) => {
    for (const [tool, bad] of Object.entries(COMPROMISED_RELEASES)) {
      for (const version of bad) {
        if (catalog.tools[tool]?.versions[version]) {
          ctx.addIssue({
            code: 'custom',
            path: ['tools', tool, 'versions', version],
            message: `${tool} ${version} is a compromised release`
          })
        }
      }
    }
  })

export type ReleaseAsset = z.infer<typeof assetSchema>
export type ToolEntry = z.infer<typeof toolSchema>
export type ToolCatalog = z.infer<typeof catalogSchema>

/** Validates a catalog object; throws ConfigurationError listing every problem with its path. */
export function parseCatalog(value: unknown, source = 'tool catalog'): ToolCatalog {
  const result = catalogSchema.safeParse(value)
  if (result.success) return result.data
  const problems = result.error.issues.map(issue => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
  throw new ConfigurationError(`${source} is invalid: ${problems.join('; ')}`)
}

let builtIn: ToolCatalog | undefined

/** The catalog shipped in this repo, validated once on first use. */
export function defaultCatalog(): ToolCatalog {
  builtIn ??= parseCatalog(catalogJson, 'packages/core/src/tools/catalog.json')
  return builtIn
}

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value)
}

export function currentPlatform(): string {
  return `${process.platform}-${process.arch}`
}
