import { ConfigurationError } from '../runtime/errors.js'

/** An image's platform as an index lists it. */
export interface Platform {
  os: string
  architecture: string
  variant?: string
}

const PART = /^[a-z0-9][a-z0-9._-]*$/

/** `linux/arm64/v8` → {os, architecture, variant}; `setting` names what the text came from in an error. */
export function parsePlatform(text: string, setting = 'The platform'): Platform {
  const parts = text.trim().toLowerCase().split('/')
  if (parts.length < 2 || parts.length > 3 || !parts.every(part => PART.test(part)))
    throw new ConfigurationError(
      `${setting} must be os/arch or os/arch/variant, like linux/arm64; got '${text}'.`
    )
  const [os, architecture, variant] = parts as [string, string, string | undefined]
  return variant ? { os, architecture, variant } : { os, architecture }
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/')
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64' }

/** The platform of this runner in the registry's words (Node's `x64` is `amd64`). */
export function runnerPlatform(arch: string = process.arch): Platform {
  return { os: 'linux', architecture: GO_ARCH[arch] ?? arch }
}

/** arm64 images usually say no variant or `v8`; both mean the same. */
function variantOf(platform: Platform): string | undefined {
  if (platform.architecture === 'arm64' && (platform.variant === undefined || platform.variant === 'v8'))
    return 'v8'
  return platform.variant
}

/**
 * The first entry of an index that runs on `wanted`: same os and architecture, and the same variant
 * when one is asked for. An entry without a platform (attestations, other artifacts) never matches.
 */
export function selectPlatform<T extends { platform?: Platform }>(
  entries: readonly T[],
  wanted: Platform
): T | undefined {
  const candidates = entries.filter(
    entry => entry.platform?.os === wanted.os && entry.platform.architecture === wanted.architecture
  )
  if (wanted.variant === undefined && wanted.architecture !== 'arm64') return candidates[0]
  return candidates.find(entry => entry.platform && variantOf(entry.platform) === variantOf(wanted))
}

export function samePlatform(a: Platform, b: Platform): boolean {
  return (
    a.os === b.os &&
    a.architecture === b.architecture &&
    (b.variant === undefined || variantOf(a) === variantOf(b))
  )
}
