import catalogJson from './catalog.json' with { type: 'json' }
import { IntegrityError } from '../runtime/errors.js'

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

/** One release asset of a tool, as the catalog pins it (validated by catalog-schema.ts). */
export interface ReleaseAsset {
  url: string
  sha256: string
  archive: 'tar.gz' | 'zip' | 'none'
  binary: string
  source: string
}

export interface ToolEntry {
  default?: string
  versions: Record<string, Partial<Record<Platform, ReleaseAsset>>>
}

export interface ToolCatalog {
  $comment?: unknown
  tools: Record<string, ToolEntry>
}

let builtIn: ToolCatalog | undefined

/*
 * The catalog shipped in the bundle, as written in the repository: its shape is checked by the tests
 * (catalog-schema.ts) rather than on every run, since the bundle cannot change it. The compromised
 * releases are refused here too, so no catalog edit can bring one back.
 */
export function defaultCatalog(): ToolCatalog {
  if (!builtIn) {
    const catalog = catalogJson as ToolCatalog
    const [listed] = compromisedReleasesIn(catalog)
    if (listed)
      throw new IntegrityError(
        `the tool catalog lists ${listed.tool} ${listed.version}, a compromised release`
      )
    builtIn = catalog
  }
  return builtIn
}

/** Every compromised release a catalog lists (the schema and the shipped catalog both refuse them). */
export function compromisedReleasesIn(catalog: ToolCatalog): { tool: string; version: string }[] {
  return Object.entries(COMPROMISED_RELEASES).flatMap(([tool, bad]) =>
    bad.filter(version => catalog.tools[tool]?.versions[version]).map(version => ({ tool, version }))
  )
}

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value)
}

export function currentPlatform(): string {
  return `${process.platform}-${process.arch}`
}
