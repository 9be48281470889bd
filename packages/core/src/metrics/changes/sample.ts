import { createHash } from 'node:crypto'
import { byCodeUnits } from '../../runtime/order.js'
import type { ChangeRecord } from './records.js'

export interface SampledChange {
  record: ChangeRecord
  /** sha256 of `<seed>:<commit>`: the sample is the records with the smallest keys. */
  key: string
}

/**
 * A reproducible sample of `size` changes: each change's key is the sha256 of `<seed>:<commit>`, and the
 * sample is the `size` smallest keys. The same population and seed give the same sample whatever order
 * the changes were read in, and anyone can check it with `printf '%s' "<seed>:<commit>" | sha256sum`.
 */
export function sampleChanges(records: readonly ChangeRecord[], size: number, seed: string): SampledChange[] {
  return records
    .map(record => ({ record, key: createHash('sha256').update(`${seed}:${record.commit}`).digest('hex') }))
    .sort((a, b) => byCodeUnits(a.key, b.key))
    .slice(0, size)
}
