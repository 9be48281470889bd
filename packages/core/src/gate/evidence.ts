import { closeSync, fsyncSync, renameSync, rmSync } from 'node:fs'
import { openOutputFile, prepareOutputFile, writeAll } from '../runtime/output-files.js'
import type { ToolInfo } from '../findings/finding.js'
import { EVIDENCE_SCHEMA } from '../evidence/names.js'
import type {
  EvidenceFinding,
  EvidenceHead,
  GateEvidence,
  IgnoreFileChangeEvidence,
  PolicyEvidence,
  PolicyVersionEvidence,
  ReportEvidence,
  RunIdentity,
  UncountedFinding,
  UncountedReason
} from '../evidence/schema.js'
import { describeException } from '../policy/exceptions.js'
import type { GatePolicy } from '../policy/policy.js'
import type { PolicySources } from '../policy-source/resolve.js'
import { onlyIgnoresLess, type IgnoreFileChange } from './own-checks.js'
import { newCounted, type EvaluatedFinding, type GateVerdict } from './verdict.js'

export function runIdentityFromEnv(env: NodeJS.ProcessEnv): RunIdentity {
  return {
    repository: env.GITHUB_REPOSITORY,
    commit: env.GITHUB_SHA,
    ref: env.GITHUB_REF,
    event: env.GITHUB_EVENT_NAME,
    workflow: env.GITHUB_WORKFLOW,
    runId: env.GITHUB_RUN_ID,
    runAttempt: env.GITHUB_RUN_ATTEMPT,
    serverUrl: env.GITHUB_SERVER_URL
  }
}

/**
 * Which policy decided, where each version came from (repository-relative, never a runner path) with its
 * digest, and on a change that edits the policy the other version with the verdict it would give.
 */
export function policyEvidence(
  sources: PolicySources,
  otherVerdict: GateVerdict | undefined
): PolicyEvidence {
  const version = (policy: GatePolicy, origin: string): PolicyVersionEvidence => ({
    source: policy.source,
    origin,
    sha256: policy.digest
  })
  const { other } = sources
  return {
    decidedBy: sources.decidedBy,
    ...version(sources.deciding.policy, sources.deciding.origin),
    other: !other
      ? null
      : other.policy && otherVerdict
        ? {
            role: other.role,
            ...version(other.policy, other.origin),
            outcome: otherVerdict.outcome,
            reasons: otherVerdict.reasons
          }
        : { role: other.role, origin: other.origin, error: other.error ?? 'not evaluated' }
  }
}

export interface EvidenceArgs {
  verdict: GateVerdict
  policy: PolicyEvidence
  reports: ReportEvidence[]
  run: RunIdentity
  generatedAt: string
  uploaded?: { status: string; id?: string }
  /** In-source suppressions in files the pull request changed (change events only). */
  inSourceInChangedFiles?: number
  /** The scanners' ignore files the pull request adds or modifies (change events only). */
  ignoreFiles?: readonly IgnoreFileChange[]
}

/**
 * One JSON document per gate run: what was checked, with what, under which policy, and the verdict,
 * with a row per finding (counted, or why not) by fingerprint. The metrics action reads these to follow
 * findings across runs; nothing here depends on GHAS.
 */
export function buildEvidence(args: EvidenceArgs): GateEvidence {
  const findings: EvidenceFinding[] = []
  const uncounted: UncountedFinding[] = []
  for (const f of args.verdict.findings) {
    if (f.counted) findings.push(evidenceRow(f))
    else uncounted.push(uncountedRow(f))
  }
  return { ...evidenceHead(args), findings, uncounted }
}

/** Bytes of the one reused write buffer. */
const WRITE_BUFFER_BYTES = 512 * 1024
/** Rows are joined into text this long, then encoded and written at once (3 bytes a unit at most: fits). */
const CHUNK_CHARS = 64 * 1024

/**
 * Writes exactly `JSON.stringify(buildEvidence(args))`, row by row, never the whole text or a row object
 * per finding: with 100,000 counted findings those were the gate's largest allocation. Rows are encoded a
 * chunk at a time: one encode and write per row was 100,000 native calls, half the time of this step.
 */
export function writeEvidenceFile(workspace: string, file: string, args: EvidenceArgs): void {
  const head = JSON.stringify(evidenceHead(args))
  const countedText = rowSerializer(countedVariant, ({ blocking, isNew }) => ({ blocking, new: isNew }))
  const uncountedText = rowSerializer(uncountedReason, e => ({ reason: uncountedReason(e) }))
  // Written beside the file and renamed onto it: a run that dies mid-write must not leave half a document
  // where metrics and auditors read a whole one. The rename replaces a link at `file`, never its target;
  // prepareOutputFile checks the directories above and removes a link planted at the partial name.
  const partial = prepareOutputFile(workspace, `${file}.partial`)
  const fd = openOutputFile(partial)
  let complete = false
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES)
  const write = (text: string) => {
    if (text.length * 3 > buffer.length) writeAll(fd, Buffer.from(text))
    else writeAll(fd, buffer.subarray(0, buffer.write(text)))
  }
  try {
    let chunk = `${head.slice(0, -1)},"findings":[`
    const rows = (counted: boolean, text: (f: EvaluatedFinding) => string) => {
      let separator = ''
      for (const f of args.verdict.findings) {
        if (f.counted !== counted) continue
        chunk += separator + text(f)
        separator = ','
        if (chunk.length >= CHUNK_CHARS) {
          write(chunk)
          chunk = ''
        }
      }
    }
    rows(true, countedText)
    chunk += '],"uncounted":['
    rows(false, uncountedText)
    write(`${chunk}]}`)
    fsyncSync(fd)
    complete = true
  } finally {
    closeSync(fd)
    if (!complete) rmSync(partial, { force: true })
  }
  renameSync(partial, file)
}

function evidenceRow({ finding, blocking, isNew }: EvaluatedFinding): EvidenceFinding {
  const { fingerprint, ruleId, severity, scanner } = finding
  return { fingerprint, ruleId, severity, scanner, blocking, new: isNew }
}

/** An exception or a scanner's own suppression outranks the baseline: it is why the finding did not count. */
function uncountedReason({ suppression }: EvaluatedFinding): UncountedReason {
  if (suppression?.by === 'exception') return 'exception'
  return suppression ? 'suppressed' : 'baseline'
}

function uncountedRow(e: EvaluatedFinding): UncountedFinding {
  const { fingerprint, ruleId, severity, scanner } = e.finding
  return { fingerprint, ruleId, severity, scanner, reason: uncountedReason(e) }
}

const COUNTED_VARIANTS = ['', 'new', 'blocking', 'blocking new']
const countedVariant = ({ blocking, isNew }: EvaluatedFinding) =>
  COUNTED_VARIANTS[(blocking ? 2 : 0) + (isNew ? 1 : 0)]!

/** Characters JSON never escapes: a string of only these is written as is between quotes. */
const PLAIN = /^[\w.:/+=-]*$/

interface RowTail {
  scanner: string
  severity: string
  variant: string
  text: string
}

/**
 * A row as JSON.stringify writes it. Everything after the fingerprint repeats across the findings of a
 * rule, so that tail is serialized once per rule (again only when the rule's findings differ in scanner,
 * severity or `variant`: the flags or reason the row adds, as `fields` gives them).
 */
function rowSerializer(
  variantOf: (e: EvaluatedFinding) => string,
  fields: (e: EvaluatedFinding) => Record<string, unknown>
): (e: EvaluatedFinding) => string {
  const tails = new Map<string, RowTail>()
  return e => {
    const { ruleId, scanner, severity, fingerprint } = e.finding
    const variant = variantOf(e)
    let tail = tails.get(ruleId)
    if (!tail || tail.scanner !== scanner || tail.severity !== severity || tail.variant !== variant) {
      const text = `,${JSON.stringify({ ruleId, severity, scanner, ...fields(e) }).slice(1)}`
      tails.set(ruleId, (tail = { scanner, severity, variant, text }))
    }
    // JSON.stringify per string costs more than the rest of the row; our hex fingerprints need no escaping.
    return `{"fingerprint":${PLAIN.test(fingerprint) ? `"${fingerprint}"` : JSON.stringify(fingerprint)}${tail.text}`
  }
}

function evidenceHead(args: EvidenceArgs): EvidenceHead {
  const { verdict, policy } = args
  const tools = new Map<string, ToolInfo>()
  for (const t of args.reports.flatMap(r => r.tools)) tools.set(`${t.name}@${t.version ?? ''}`, t)
  const exceptionFacts = (u: GateVerdict['exceptions']['used'][number]) => ({
    index: u.index,
    match: describeException(u.entry),
    owner: u.entry.owner,
    expires: u.entry.expires,
    reason: u.entry.reason,
    matched: u.matched
  })
  let byException = 0
  let inReports = 0
  let inSource = 0
  for (const f of verdict.findings) {
    if (f.inSource) inSource++
    if (f.suppression?.by === 'exception') byException++
    else if (f.suppression?.by === 'sarif') inReports++
  }
  const inSourceSuppressions: EvidenceHead['inSourceSuppressions'] = {
    mode: verdict.inSourceSuppressions,
    total: inSource,
    inChangedFiles: args.inSourceInChangedFiles ?? null,
    byChange: verdict.inSourceByChange ?? null
  }
  return {
    schema: EVIDENCE_SCHEMA,
    generatedAt: args.generatedAt,
    run: args.run,
    verdict: {
      outcome: verdict.outcome,
      passed: verdict.outcome === 'pass',
      warnOnly: verdict.warnOnly,
      reasons: verdict.reasons
    },
    policy,
    tools: [...tools.values()],
    reports: args.reports,
    brokenInputs: verdict.brokenInputs,
    counts: verdict.counts,
    baseline: verdict.hasBaseline ? { new: newCounted(verdict), fixed: verdict.fixed.length } : null,
    suppressed: { byException, inReports },
    inSourceSuppressions,
    ignoreFiles: args.ignoreFiles ? args.ignoreFiles.map(ignoreFileEvidence) : null,
    exceptions: {
      used: verdict.exceptions.used.map(exceptionFacts),
      expired: verdict.exceptions.expired.map(exceptionFacts),
      stale: verdict.exceptions.stale.map(exceptionFacts)
    },
    upload: args.uploaded ?? null
  }
}

function ignoreFileEvidence(change: IgnoreFileChange): IgnoreFileChangeEvidence {
  return {
    path: change.path,
    status: change.status,
    linesAdded: change.added.length,
    linesRemoved: change.removed.length,
    mayIgnoreMore: !onlyIgnoresLess(change),
    ...(change.problem === undefined ? {} : { problem: change.problem })
  }
}
