import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { z } from 'zod'
import { ConfigurationError, getErrorMessage } from '../runtime/errors.js'

/** `on`/`off` (or true/false) per rule id, as written in the policy file's `k8s-policy.rules`. */
const switchValue = z.union([
  z.boolean(),
  z
    .enum(['on', 'off', 'true', 'false', 'enabled', 'disabled'])
    .transform(word => ['on', 'true', 'enabled'].includes(word))
])

const k8sSection = z.object({ rules: z.record(z.string(), switchValue).optional() }).strict()

/**
 * Reads `k8s-policy.rules` from the shared policy file (`.github/secure-pipeline.yml`). Exceptions in
 * that file are applied by the gate, not here. Returns {} when the file has no k8s-policy section.
 */
export function parseK8sPolicySection(text: string, file: string): Record<string, boolean> {
  let doc: unknown
  try {
    doc = parse(text, { maxAliasCount: 100 })
  } catch (error) {
    throw new ConfigurationError(
      `Policy file ${file} is not valid YAML: ${getErrorMessage(error).split('\n')[0]}`
    )
  }
  if (doc === null || doc === undefined) return {}
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigurationError(`Policy file ${file} must be a YAML mapping.`)
  const section = (doc as Record<string, unknown>)['k8s-policy']
  if (section === undefined || section === null) return {}
  const parsed = k8sSection.safeParse(section)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = ['k8s-policy', ...(issue?.path ?? []).map(String)].join('.')
    throw new ConfigurationError(
      `Policy file ${file}: ${where}: ${issue?.message ?? 'invalid'} (rules take on or off).`
    )
  }
  return parsed.data.rules ?? {}
}

export function readK8sPolicyFile(file: string, displayName = file): Record<string, boolean> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigurationError(
      `Policy file ${displayName} could not be read (${getErrorMessage(error)}); fix the 'policy' input.`
    )
  }
  return parseK8sPolicySection(text, displayName)
}
