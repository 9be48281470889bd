import type { Descriptor } from '../registry/manifest.js'

/** An image config is a few kilobytes; a larger one is not held in memory. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024

/** The config's `rootfs.diff_ids`, when it is a list of sha256 digests. */
export function diffIdsOf(config: Buffer): string[] | undefined {
  try {
    const ids = (JSON.parse(config.toString('utf8')) as { rootfs?: { diff_ids?: unknown } }).rootfs?.diff_ids
    return Array.isArray(ids) && ids.every(id => typeof id === 'string' && /^sha256:[a-f0-9]{64}$/.test(id))
      ? (ids as string[])
      : undefined
  } catch {
    return undefined
  }
}

/**
 * Why the engine would not read every layer of the manifest, or undefined when it reads them all.
 * Trivy looks each layer up by the diff ID at its position in the config and takes the first layer
 * with that diff ID: a diff ID repeated over a different blob makes it read the earlier layer twice
 * and never the later one, which the manifest digest (the one reported as scanned) still holds.
 */
export function layersLeftUnread(config: Buffer, layers: readonly Descriptor[]): string | undefined {
  const diffIds = diffIdsOf(config)
  if (!diffIds || diffIds.length !== layers.length)
    return `its manifest lists ${layers.length} layer(s) but its config names ${diffIds ? diffIds.length : 'no valid'} diff ID(s)`
  const firstWith = new Map<string, number>()
  for (const [i, diffId] of diffIds.entries()) {
    const first = firstWith.get(diffId)
    if (first === undefined) firstWith.set(diffId, i)
    else if (layers[first]!.digest !== layers[i]!.digest)
      return `its config gives layers ${first + 1} and ${i + 1}, two different blobs, the same diff ID ${diffId}: the engine would read layer ${first + 1} twice and never layer ${i + 1}`
  }
  return undefined
}
