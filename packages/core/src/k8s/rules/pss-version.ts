import { ConfigurationError } from '../../runtime/errors.js'

/** A Pod Security Standards policy version: the Kubernetes minor it was defined in (major is always 1). */
export type PssVersion = number

/**
 * The newest policy version any check defines (sysctls gained entries at 1.37). Like the admission
 * controller, a newer requested version is evaluated as this one, and `latest` means this one.
 */
export const LATEST_PSS_VERSION: PssVersion = 37

export function parsePssVersion(raw: string | undefined, inputName = 'version'): PssVersion {
  const text = (raw ?? 'latest').trim().toLowerCase()
  if (text === '' || text === 'latest') return LATEST_PSS_VERSION
  const match = /^v?1\.(\d{1,3})$/.exec(text)
  if (!match) {
    throw new ConfigurationError(
      `Input '${inputName}' must be 'latest' or a Kubernetes minor version like 'v1.37', got '${raw}'.`
    )
  }
  return Math.min(Number(match[1]), LATEST_PSS_VERSION)
}

export function formatPssVersion(version: PssVersion): string {
  return `v1.${version}`
}

/** Picks the implementation in force at `version`: the one with the highest minimum at or below it. */
export function pickVersioned<T>(
  versions: readonly { since: PssVersion; value: T }[],
  version: PssVersion
): T | undefined {
  let chosen: T | undefined
  for (const entry of versions) if (entry.since <= version) chosen = entry.value
  return chosen
}
