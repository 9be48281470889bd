import { z } from 'zod'
import { SEVERITIES } from '../findings/finding.js'
import { getErrorMessage } from '../runtime/errors.js'
import { Glob } from '../runtime/glob-match.js'

const severity = z.enum(SEVERITIES)

/** Severity words users write; `moderate` is GitHub's advisory word for medium. */
const severityWord = z.preprocess(
  value =>
    typeof value === 'string'
      ? value
          .trim()
          .toLowerCase()
          .replace(/^moderate$/, 'medium')
      : value,
  severity
)

const thresholds = z
  .object({
    'fail-on': z.array(severityWord).optional(),
    'fix-available-only': z.boolean().optional(),
    max: z.partialRecord(severity, z.number().int().min(0)).optional()
  })
  .strict()

const isoDate = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value.trim()
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    ctx.addIssue({ code: 'custom', message: `must be a date written YYYY-MM-DD, got '${text}'` })
    return z.NEVER
  }
  return text
})

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
const WORKLOAD = /^[A-Z][A-Za-z0-9]{0,62}\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/

/** A glob the exception matcher can read, refused here rather than when the first finding is matched. */
const glob = z
  .string()
  .min(1)
  .superRefine((pattern, ctx) => {
    try {
      new Glob(pattern)
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: getErrorMessage(error).replace(/\.$/, '') })
    }
  })

const exception = z
  .object({
    id: glob.optional(),
    rule: glob.optional(),
    package: z.string().min(1).optional(),
    path: glob.optional(),
    image: glob.optional(),
    scanner: z.string().min(1).optional(),
    // Kubernetes findings only: the namespace and the workload (`Deployment/web`) of the object, exact.
    namespace: z
      .string()
      .regex(DNS_LABEL, 'must be a Kubernetes namespace name (lower case letters, digits and -)')
      .optional(),
    workload: z.string().regex(WORKLOAD, 'must be Kind/name, e.g. Deployment/web').optional(),
    reason: z.string().trim().min(1, 'is required: say why this finding is accepted'),
    owner: z.string().trim().min(1, 'is required: who answers for this exception'),
    expires: isoDate
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (!entry.id && !entry.rule)
      ctx.addIssue({ code: 'custom', message: 'needs `id` (vulnerability or rule id) or `rule`' })
    if (entry.id && entry.rule && entry.id !== entry.rule)
      ctx.addIssue({ code: 'custom', message: '`id` and `rule` name the same thing; give one' })
  })

/** `on`/`off` (or true/false) per rule id, as written in `k8s-policy.rules`. */
const ruleSwitch = z.union([
  z.boolean(),
  z
    .enum(['on', 'off', 'true', 'false', 'enabled', 'disabled'])
    .transform(word => ['on', 'true', 'enabled'].includes(word))
])

const k8sPolicySection = z.object({ rules: z.record(z.string(), ruleSwitch).optional() }).strict()

export const policyFileSchema = z
  .object({
    version: z.literal(1).optional(),
    gate: thresholds
      .extend({
        'warn-only': z.boolean().optional(),
        'max-exception-days': z.number().int().positive().max(3650).optional(),
        scanners: z.record(z.string(), thresholds).optional(),
        categories: z.record(z.string(), thresholds).optional(),
        upload: z.union([z.boolean(), z.literal('auto')]).optional(),
        comment: z.union([z.boolean(), z.literal('auto')]).optional()
      })
      .strict()
      .optional(),
    exceptions: z.array(exception).optional(),
    // Every section is validated here, whichever action reads it: an action that cannot read its
    // section fails, and a gate that accepted it unchecked would pass without that action's report.
    'k8s-policy': k8sPolicySection.optional()
  })
  .strict()

export type PolicyFile = z.infer<typeof policyFileSchema>
export type ExceptionEntry = z.infer<typeof exception>
export type Thresholds = z.infer<typeof thresholds>
