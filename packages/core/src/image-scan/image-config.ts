import { goKeyTwin } from '../runtime/go-keys.js'
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

const isObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A field of the config we read (its layers' diff IDs, its platform) spelt twice, as `'rootfs' and
 * 'RootFS'`: the engine, which reads the last spelling, would see other diff IDs than were checked.
 */
export function configKeyTwin(config: Buffer): string | undefined {
  let json: unknown
  try {
    json = JSON.parse(config.toString('utf8'))
  } catch {
    return undefined
  }
  if (!isObject(json)) return undefined
  const rootfs = (json as { rootfs?: unknown }).rootfs
  return (
    goKeyTwin(json, ['rootfs', 'os', 'architecture', 'variant']) ??
    (isObject(rootfs) ? goKeyTwin(rootfs, ['diff_ids', 'type']) : undefined)
  )
}

/** What configKeyTwin found, said after "its": how the engine would read the config otherwise. */
export const configTwinReason = (twin: string) =>
  `config gives ${twin}, one field to the engine (Go reads JSON keys regardless of case, the last one winning): the diff IDs checked would not be the ones it reads`

/**
 * Why the engine would not read every layer of the manifest, or undefined when it reads them all.
 * Trivy looks each layer up by the diff ID at its position in the config and takes the first layer
 * with that diff ID: a diff ID repeated over a different blob makes it read the earlier layer twice
 * and never the later one, which the manifest digest (the one reported as scanned) still holds.
 */
export function layersLeftUnread(config: Buffer, layers: readonly Descriptor[]): string | undefined {
  const twin = configKeyTwin(config)
  if (twin) return `its ${configTwinReason(twin)}`
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
