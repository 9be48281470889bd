import type { Platform } from '../registry/platform.js'

/** An image read from disk (the "before push" case), checked and ready for an engine. */
export interface LocalImage {
  kind: 'oci-layout' | 'docker-archive'
  /** What the engine reads: a private one-image view of the layout, or the archive itself. */
  enginePath: string
  /**
   * The image's identity: the manifest digest for a layout (what a registry will know it by when the
   * layout is pushed as is), the image ID (config digest) for a `docker save` archive, which has no manifest.
   */
  digest: string
  digestKind: 'manifest' | 'image-id'
  configDigest: string
  platform?: Platform
  /** The index the image was chosen from, when the layout holds several platforms. */
  indexDigest?: string
  /** Names the archive records (`docker save`'s RepoTags, a layout's ref.name annotation). */
  names: string[]
  /**
   * The image's content checked against its identity while the engine reads it (a docker save archive's
   * layers against their diff IDs): what the engine reports is believed only once this has fulfilled.
   */
  contentChecked?: Promise<void>
  /** Removes what was made for the engine, and stops a check still running. */
  cleanup(): Promise<void>
}

/** The platform an image config states. */
export function configPlatform(config: Buffer): Platform | undefined {
  try {
    const json = JSON.parse(config.toString('utf8')) as {
      os?: unknown
      architecture?: unknown
      variant?: unknown
    }
    if (typeof json.os !== 'string' || typeof json.architecture !== 'string') return undefined
    return {
      os: json.os,
      architecture: json.architecture,
      ...(typeof json.variant === 'string' ? { variant: json.variant } : {})
    }
  } catch {
    return undefined
  }
}
