import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildSarifLog } from '../findings/sarif/write.js'
import { makeFinding } from '../../../../test/support/findings.js'
import { SARIF_SCHEMA_FILE, SARIF_SCHEMA_SHA256, validateSarifSchema } from './sarif-schema.js'

describe('the SARIF 2.1.0 schema kept in the repository', () => {
  it('is the file whose sha256 is recorded', () => {
    const bytes = readFileSync(fileURLToPath(new URL(SARIF_SCHEMA_FILE, import.meta.url)))
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(SARIF_SCHEMA_SHA256)
    expect(JSON.parse(bytes.toString('utf8')).id).toBe(
      'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'
    )
  })

  it('accepts what we write and refuses what code scanning would', () => {
    expect(validateSarifSchema(buildSarifLog([{ tool: { name: 'x' }, findings: [makeFinding()] }]))).toEqual(
      []
    )
    expect(validateSarifSchema({ version: '2.1.0', runs: [{ tool: {} }] })).toEqual([
      { path: '/runs/0/tool', message: "must have required property 'driver'" }
    ])
    expect(validateSarifSchema({ version: '9', runs: [] }).length).toBeGreaterThan(0)
    const noMessage = {
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'a' }] }]
    }
    expect(validateSarifSchema(noMessage)).toEqual([
      { path: '/runs/0/results/0', message: "must have required property 'message'" }
    ])
  })
})
