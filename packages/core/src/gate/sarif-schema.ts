import { createRequire } from 'node:module'
import type { ErrorObject, ValidateFunction } from 'ajv'

// The SARIF 2.1.0 schema (draft-04) as published with Microsoft's SARIF jest matchers; ncc inlines it.
const require = createRequire(import.meta.url)
let validator: ValidateFunction | undefined

function compile(): ValidateFunction {
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object
  // ajv-draft-04 is CommonJS; under NodeNext its default export is reached through require.
  const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default
  // Formats (uri, date-time) are not checked: code scanning does not either, and ajv would warn per format.
  // unicodeRegExp off: the published schema's `language` pattern has a stray `]` that is only legal without `u`.
  const ajv = new Ajv({
    allErrors: false,
    strict: false,
    validateSchema: false,
    unicodeRegExp: false,
    validateFormats: false
  })
  return ajv.compile(schema)
}

export interface SchemaProblem {
  path: string
  message: string
}

/** Validates a SARIF log against the 2.1.0 schema; returns the first few problems, none when valid. */
export function validateSarifSchema(log: unknown, limit = 5): SchemaProblem[] {
  validator ??= compile()
  if (validator(log)) return []
  return (validator.errors ?? []).slice(0, limit).map((e: ErrorObject) => ({
    path: e.instancePath || '/',
    message: e.message ?? 'invalid'
  }))
}
