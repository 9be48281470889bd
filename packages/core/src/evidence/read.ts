import { createHash } from 'node:crypto'
import { BrokenInputError, getErrorMessage } from '../runtime/errors.js'
import { EVIDENCE_SCHEMA } from './names.js'
import { checkShape } from '../runtime/json-shape.js'
import { gateEvidenceSchema, type GateEvidence } from './schema.js'

/** An evidence document as read: the document, and the digest and size of the exact bytes read. */
export interface ReadEvidence {
  source: string
  sha256: string
  bytes: number
  evidence: GateEvidence
}

/** Problems listed per document, enough to find the field; the rest are counted. */
const ISSUES_SHOWN = 3

/**
 * Parses one gate evidence document. Anything that is not exactly the schema the gate writes is a
 * broken input with the reason: never a document with fewer findings.
 */
export function parseGateEvidence(content: Buffer, source: string): ReadEvidence {
  const sha256 = createHash('sha256').update(content).digest('hex')
  let json: unknown
  try {
    json = JSON.parse(content.toString('utf8'))
  } catch (error) {
    throw new BrokenInputError(source, `not JSON: ${getErrorMessage(error)}`)
  }
  const declared = (json as { schema?: unknown } | null)?.schema
  if (declared !== EVIDENCE_SCHEMA)
    throw new BrokenInputError(
      source,
      `not a gate evidence file (schema ${JSON.stringify(declared ?? null)}, expected ${EVIDENCE_SCHEMA})`
    )
  const parsed = checkShape(gateEvidenceSchema, json)
  if (!parsed.success) {
    const issues = parsed.issues
    const shown = issues
      .slice(0, ISSUES_SHOWN)
      .map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ')
    const more = issues.length > ISSUES_SHOWN ? ` (and ${issues.length - ISSUES_SHOWN} more)` : ''
    throw new BrokenInputError(source, `does not match ${EVIDENCE_SCHEMA}: ${shown}${more}`)
  }
  return { source, sha256, bytes: content.length, evidence: parsed.data }
}
