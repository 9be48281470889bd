import { ConfigurationError } from '../runtime/errors.js'
import { COMPROMISED_RELEASES, EXACT_VERSION, type ToolEntry } from './catalog.js'

/**
 * Turns a user's version input into an exact `x.y.z`. Only digits and dots survive, so the value is
 * safe to put in URLs, paths and log lines; `latest` is an alias for the catalog's pinned default,
 * never a lookup of whatever was published last.
 */
export function resolveVersion(
  tool: string,
  requested: string | undefined,
  entry: ToolEntry,
  /** How messages name the setting: the caller's `Input '…'`, else what it is. */
  setting = `The ${tool} version`
): string {
  const raw = requested?.trim() ?? ''
  let version: string
  if (raw === '' || raw === 'latest') {
    if (!entry.default) {
      throw new ConfigurationError(
        `${setting} is ${raw === '' ? 'empty' : "'latest'"} but ${tool} has no default version in the catalog; set an exact version such as ${Object.keys(entry.versions)[0] ?? '1.2.3'}.`
      )
    }
    version = entry.default
  } else {
    version = raw.startsWith('v') ? raw.slice(1) : raw
    if (!EXACT_VERSION.test(version)) {
      throw new ConfigurationError(
        `${setting} must be an exact version like 1.2.3 (one leading 'v' allowed) or 'latest', got ${JSON.stringify(raw)}.`
      )
    }
  }
  if (COMPROMISED_RELEASES[tool]?.includes(version)) {
    throw new ConfigurationError(
      `${setting}: ${tool} ${version} is a known-compromised release (malicious binaries were published under it); pin ${entry.default ?? 'another version'} instead.`
    )
  }
  return version
}
