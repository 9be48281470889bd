/** A Trivy DB's metadata.json: schema version and when the DB was built, due and downloaded. */
export interface DbMetadata {
  version: number
  updatedAt: Date
  nextUpdate?: Date
  downloadedAt?: Date
}

export const TRIVY_DB_SCHEMA = 2

/** Go writes an unset time as year 1. */
function time(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 2000 ? undefined : date
}

/** The metadata, or an error message saying why it cannot be used. */
export function parseDbMetadata(text: string): DbMetadata | string {
  let json: Record<string, unknown>
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    return 'metadata.json is not JSON'
  }
  if (json.Version !== TRIVY_DB_SCHEMA)
    return `the DB has schema ${String(json.Version)}; this Trivy reads schema ${TRIVY_DB_SCHEMA}`
  const updatedAt = time(json.UpdatedAt)
  if (!updatedAt) return 'metadata.json gives no UpdatedAt'
  const nextUpdate = time(json.NextUpdate)
  const downloadedAt = time(json.DownloadedAt)
  return {
    version: TRIVY_DB_SCHEMA,
    updatedAt,
    ...(nextUpdate ? { nextUpdate } : {}),
    ...(downloadedAt ? { downloadedAt } : {})
  }
}

export function serializeDbMetadata(meta: DbMetadata): string {
  const zero = '0001-01-01T00:00:00Z'
  return JSON.stringify({
    Version: meta.version,
    NextUpdate: meta.nextUpdate?.toISOString() ?? zero,
    UpdatedAt: meta.updatedAt.toISOString(),
    DownloadedAt: meta.downloadedAt?.toISOString() ?? zero
  })
}

/** Hours since the DB was built (not since it was downloaded: a mirror may serve an old DB). */
export function ageHours(builtAt: Date, now: Date): number {
  return (now.getTime() - builtAt.getTime()) / 3_600_000
}

export const sameUtcDay = (a: Date | undefined, b: Date) =>
  a !== undefined && a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10)
