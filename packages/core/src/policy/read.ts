import { defaultPolicy, type GatePolicy } from './policy.js'

/**
 * The policy in `text` (read from `source`), or the built-in defaults when there is no file. The parser,
 * YAML and the schema validator, was most of an action's start-up: it is loaded only for a file.
 */
export async function policyFromText(text: string | undefined, source: string): Promise<GatePolicy> {
  if (text === undefined) return defaultPolicy()
  const { parsePolicy } = await import('./load.js')
  return parsePolicy(text, source)
}
