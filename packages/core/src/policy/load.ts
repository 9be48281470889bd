import { existsSync, readFileSync, statSync } from 'node:fs'
import { isScalar, visit, type Document } from 'yaml'
import { sha256Hex } from '../findings/sha256.js'
import { ConfigurationError, escapeLineBreaks } from '../runtime/errors.js'
import { parseYamlDocuments, plainValue } from '../runtime/yaml-read.js'
import { describeExcess, structureExcess, type StructureLimits } from '../runtime/yaml-structure.js'
import { checkPolicyFile, type PolicyIssue } from './schema.js'
import { defaultPolicy, resolvePolicy, type GatePolicy } from './policy.js'

const MAX_POLICY_BYTES = 1024 * 1024
/**
 * A pull request's policy file is parsed too (to say what it would change): 1 MiB of `- ` on one line
 * takes the parser out of memory. Thousands of exceptions fit these limits many times over.
 */
const POLICY_STRUCTURE: StructureLimits = { maxItems: 200_000, maxDepth: 64, maxDocuments: 10 }

function describeIssue(issue: PolicyIssue): string {
  const where =
    issue.path.length > 0
      ? issue.path
          .map(p => (typeof p === 'number' ? `[${p}]` : `.${escapeLineBreaks(String(p))}`))
          .join('')
          .replace(/^\./, '')
      : '(top level)'
  return `${where}: ${issue.message}`
}

/**
 * Under `%YAML 1.1` an unquoted timestamp becomes an instant: `2026-02-30` rolls over to March 2 and
 * `2026-01-01T14:00:00-10:00` lands on January 2, so the day the reviewer read is gone. The text as
 * written is what the schema checks.
 */
function writtenTimestamps(document: Document.Parsed): void {
  visit(document, {
    Scalar(_, node) {
      if (node.value instanceof Date && node.source !== undefined) node.value = node.source
    }
  })
}

/**
 * `%YAML 1.1` reads an unquoted `Y`, `yes`, `on`, `off`… as a boolean, so `id: Y` was refused as
 * "expected text, got true", naming neither what the file says nor the fix. The scalar keeps its source.
 */
function withYaml11Hint(document: Document.Parsed | undefined, issue: PolicyIssue): PolicyIssue {
  const node = issue.path.length > 0 ? document?.getIn(issue.path, true) : undefined
  if (!isScalar(node) || typeof node.value !== 'boolean' || node.source === undefined) return issue
  if (/^(true|false)$/i.test(node.source)) return issue
  const word = escapeLineBreaks(node.source)
  return {
    ...issue,
    message: `${issue.message}: YAML 1.1 reads an unquoted ${word} (like Y, yes, on, N, no, off) as true or false; quote it: '${word}'`
  }
}

/** Parses and validates policy text; every problem is reported at once, each with its YAML path. */
export function parsePolicy(text: string, source: string): GatePolicy {
  // Read as UTF-8 wherever it comes from, so other bytes are U+FFFD here: a UTF-16 file would otherwise
  // be reported as a mapping of NULs, and Latin-1 text would be read with some of its letters replaced.
  if (/[\0\uFFFD]/.test(text))
    throw new ConfigurationError(
      `Policy file ${source} is not UTF-8 text (it holds bytes that are not UTF-8, or a NUL); save it as UTF-8.`
    )
  const excess = structureExcess(text, POLICY_STRUCTURE)
  if (excess)
    throw new ConfigurationError(
      `Policy file ${source} was not parsed: it ${describeExcess(excess, POLICY_STRUCTURE)}, which no policy needs.`
    )
  const documents = parseYamlDocuments(text, { maxNodes: POLICY_STRUCTURE.maxItems })
  const first = documents[0]?.errors[0]
  if (documents.length > 1 || first) {
    const line = first?.linePos?.[0]?.line
    throw new ConfigurationError(
      `Policy file ${source}${line ? ` line ${line}` : ''} is not valid YAML: ${first ? first.message.split('\n')[0] : `it holds ${documents.length} documents, and a policy is one`}`
    )
  }
  let value: unknown
  try {
    if (documents[0]) writtenTimestamps(documents[0])
    value = (documents[0] && plainValue(documents[0])) ?? {}
  } catch (error) {
    throw new ConfigurationError(`Policy file ${source} cannot be read: ${(error as Error).message}`)
  }
  const parsed = checkPolicyFile(value)
  if (!parsed.success) {
    const issues = parsed.issues
      .slice(0, 5)
      .map(issue => describeIssue(withYaml11Hint(documents[0], issue)))
      .join('; ')
    const more = parsed.issues.length > 5 ? ` (and ${parsed.issues.length - 5} more)` : ''
    throw new ConfigurationError(
      `Policy file ${source} is invalid: ${issues}${more}. See the gate README for the format.`
    )
  }
  const digest = sha256Hex(text)
  return resolvePolicy(parsed.data, digest, source)
}

/**
 * The default path may be absent (the defaults apply); a path the user named must exist.
 */
export function loadPolicy(filePath: string, { explicit }: { explicit: boolean }): GatePolicy {
  if (!existsSync(filePath)) {
    if (explicit)
      throw new ConfigurationError(
        `Input 'policy': file ${filePath} does not exist; create it or leave the input empty.`
      )
    return defaultPolicy()
  }
  if (statSync(filePath).size > MAX_POLICY_BYTES)
    throw new ConfigurationError(`Policy file ${filePath} is over 1 MiB.`)
  return parsePolicy(readFileSync(filePath, 'utf8'), filePath)
}
