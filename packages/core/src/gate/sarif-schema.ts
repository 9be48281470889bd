import type { Ajv as AjvInstance, ErrorObject, Options, ValidateFunction } from 'ajv'
import * as ajvDraft04 from 'ajv-draft-04'
import schema from './sarif-schema-2.1.0.json' with { type: 'json' }

/*
 * The one SARIF 2.1.0 validator: the gate checks its combined upload with it, and the conformance tests
 * check every SARIF we write. The schema is the OASIS standard's (errata 01, JSON Schema draft-04), kept
 * byte for byte in this folder; ncc inlines it into the bundle.
 *   source: oasis-tcs/sarif-spec, sarif-2.1/schema/sarif-schema-2.1.0.json,
 *           commit e0583813964ec43cea53b6b531b402866095ed1f
 *   sha256: c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e (checked by sarif-schema.test.ts)
 */
export const SARIF_SCHEMA_FILE = 'sarif-schema-2.1.0.json'
export const SARIF_SCHEMA_SHA256 = 'c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e'

/**
 * ajv-draft-04 is CommonJS (`module.exports = Ajv`, `exports.default = Ajv`): imported statically so the
 * bundler includes it (a `require` at run time found it only in this repository's node_modules), and
 * reached through `default` or the module itself, whichever the loader hands over.
 */
const Ajv04 = ((ajvDraft04 as unknown as { default?: unknown }).default ?? ajvDraft04) as new (
  options: Options
) => AjvInstance

export interface SarifSchemaOptions {
  /**
   * Adds format checks (uri, date-time) to the validator, e.g. ajv-formats. Without it formats are not
   * checked: code scanning does not check them either, and the bundle then needs no format library.
   */
  addFormats?: (ajv: AjvInstance) => unknown
  /** Every problem rather than the first (slower). */
  allErrors?: boolean
}

export function compileSarifSchema(options: SarifSchemaOptions = {}): ValidateFunction {
  const ajv = new Ajv04({
    allErrors: options.allErrors ?? false,
    strict: false,
    validateSchema: false,
    validateFormats: options.addFormats !== undefined
  })
  options.addFormats?.(ajv)
  return ajv.compile(schema)
}

export interface SchemaProblem {
  path: string
  message: string
}

let validator: ValidateFunction | undefined

/** Validates a SARIF log against the 2.1.0 schema; returns the first few problems, none when valid. */
export function validateSarifSchema(log: unknown, limit = 5): SchemaProblem[] {
  validator ??= compileSarifSchema()
  if (validator(log)) return []
  return (validator.errors ?? []).slice(0, limit).map((e: ErrorObject) => ({
    path: e.instancePath || '/',
    message: e.message ?? 'invalid'
  }))
}
