import { ConfigurationError } from '../runtime/errors.js'
import {
  array,
  checkShape,
  matching,
  nonEmptyString,
  object,
  oneOf,
  optional,
  recordOf,
  refined,
  string,
  type ShapeIssue
} from '../runtime/json-shape.js'
import { compromisedReleasesIn, EXACT_VERSION, PLATFORMS, type ToolCatalog } from './catalog.js'

/*
 * The tool catalog's shape. The shipped catalog.json is held to it by its tests (and the release's
 * rebuild), not on every run; catalogs a test builds go through parseCatalog. Every key is named:
 * a misspelt field is refused, not ignored.
 */

// Only GitHub release assets: the mirror rewrite swaps this origin and keeps the path.
const RELEASE_ASSET_URL = /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/releases\/download\/[^?#\s]+$/

const asset = object({
  url: matching(RELEASE_ASSET_URL, 'an https://github.com/<owner>/<repo>/releases/download/ URL'),
  sha256: matching(/^[0-9a-f]{64}$/, '64 lowercase hex characters'),
  archive: oneOf(['tar.gz', 'zip', 'none']),
  binary: refined(
    nonEmptyString(),
    binary => !binary.startsWith('/') && !binary.split(/[\\/]/).includes('..'),
    'must be a relative path inside the archive'
  ),
  source: refined(string(), source => source.length > 0, 'say where the sha256 came from')
})

const version = matching(EXACT_VERSION, 'an exact version (1.2.3)')

const tool = refined(
  object({
    default: optional(version),
    versions: recordOf(recordOf(asset, oneOf(PLATFORMS)), version)
  }),
  tool => tool.default === undefined || tool.default in tool.versions,
  'default must be one of the listed versions'
)

const catalog = object({
  $comment: optional(array(string())),
  tools: recordOf(tool, matching(/^[a-z][a-z0-9-]*$/, 'a lower-case tool name'))
})

/** Validates a catalog object; throws ConfigurationError listing every problem with its path. */
export function parseCatalog(value: unknown, source = 'tool catalog'): ToolCatalog {
  const result = checkShape(catalog, value, { exact: true })
  const issues: ShapeIssue[] = result.success
    ? compromisedReleasesIn(result.data).map(({ tool, version }) => ({
        path: ['tools', tool, 'versions', version],
        message: `${tool} ${version} is a compromised release`
      }))
    : result.issues
  if (result.success && issues.length === 0) return result.data
  const problems = issues.map(issue => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
  throw new ConfigurationError(`${source} is invalid: ${problems.join('; ')}`)
}
