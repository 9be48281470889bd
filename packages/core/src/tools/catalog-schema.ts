import { z } from 'zod'
import { ConfigurationError } from '../runtime/errors.js'
import { compromisedReleasesIn, EXACT_VERSION, PLATFORMS, type ToolCatalog } from './catalog.js'

/*
 * The tool catalog's schema. The shipped catalog.json is held to it by its tests (and the release's
 * rebuild), not on every run; catalogs a test builds go through parseCatalog.
 */

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
    for (const { tool, version } of compromisedReleasesIn(catalog))
      ctx.addIssue({
        code: 'custom',
        path: ['tools', tool, 'versions', version],
        message: `${tool} ${version} is a compromised release`
      })
  })

/** Validates a catalog object; throws ConfigurationError listing every problem with its path. */
export function parseCatalog(value: unknown, source = 'tool catalog'): ToolCatalog {
  const result = catalogSchema.safeParse(value)
  if (result.success) return result.data
  const problems = result.error.issues.map(issue => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
  throw new ConfigurationError(`${source} is invalid: ${problems.join('; ')}`)
}
