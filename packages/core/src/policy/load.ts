import { existsSync, readFileSync, statSync } from 'node:fs'
import { parseDocument } from 'yaml'
import { sha256Hex } from '../findings/sha256.js'
import { ConfigurationError, escapeLineBreaks } from '../runtime/errors.js'
import { structureExcess, type StructureLimits } from '../runtime/yaml-structure.js'
import { checkPolicyFile, type PolicyIssue } from './schema.js'
import { defaultPolicy, resolvePolicy, type GatePolicy } from './policy.js'

const MAX_POLICY_BYTES = 1024 * 1024
/**
 * A pull request's policy file is parsed too (to say what it would change): 1 MiB of `- ` on one line
 * takes the parser out of memory. Thousands of exceptions fit these limits many times over.
 */
const POLICY_STRUCTURE: StructureLimits = { maxItems: 200_000, maxDepth: 64 }

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

/** Parses and validates policy text; every problem is reported at once, each with its YAML path. */
export function parsePolicy(text: string, source: string): GatePolicy {
  const excess = structureExcess(text, POLICY_STRUCTURE)
  if (excess)
    throw new ConfigurationError(
      `Policy file ${source} was not parsed: it ${excess.over === 'depth' ? `nests over ${POLICY_STRUCTURE.maxDepth} collections deep` : `has over ${POLICY_STRUCTURE.maxItems} YAML nodes`}, which no policy needs.`
    )
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!
    const line = first.linePos?.[0]?.line
    throw new ConfigurationError(
      `Policy file ${source}${line ? ` line ${line}` : ''} is not valid YAML: ${first.message.split('\n')[0]}`
    )
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: 100 }) ?? {}
  } catch (error) {
    throw new ConfigurationError(`Policy file ${source} cannot be read: ${(error as Error).message}`)
  }
  const parsed = checkPolicyFile(value)
  if (!parsed.success) {
    const issues = parsed.issues.slice(0, 5).map(describeIssue).join('; ')
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
