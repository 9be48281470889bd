import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { evaluateObjects } from '../../packages/core/src/k8s/evaluate.js'
import { exportAdmission } from '../../packages/core/src/k8s/export/export.js'
import { loadManifestText } from '../../packages/core/src/k8s/manifests.js'
import { defaultOptions, type K8sPolicyOptions } from '../../packages/core/src/k8s/options.js'
import { RULES } from '../../packages/core/src/k8s/rules/catalog.js'
import { parsePssVersion } from '../../packages/core/src/k8s/rules/pss-version.js'
import { childEnv, runProcess } from '../../packages/core/src/runtime/process.js'
import type { ManifestObject } from '../../packages/core/src/k8s/types.js'
import {
  judgeExport,
  JUDGED_FORMATS,
  objectKey,
  type JudgedFormat,
  type EngineVerdicts,
  type Verdict
} from '../support/admission-engines.js'
import { GATEKEEPER_POLICIES, gatekeeperTests } from '../support/gatekeeper-library.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { describeWithSharedFixtures, sharedFixture } from '../support/shared-fixtures.js'
import { toolPath } from '../support/tools-path.js'

/** One object as read from its source, judged under one set of options. */
interface Case {
  source: string
  object: ManifestObject
}

interface Group {
  label: string
  options: K8sPolicyOptions
  cases: Case[]
}

const FORMATS = JUDGED_FORMATS
type Format = JudgedFormat

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.yaml'))
    .map(f => path.join(dir, f))
    .sort()
}

/**
 * The objects of a file. gatekeeper-library's `update` cases are AdmissionReview requests, not objects a
 * cluster stores: k8s-policy checks manifests and gives them no verdict, and the Kyverno CLI cannot map
 * their kind, so they are left out here (k8s-gatekeeper.test.ts covers their expected verdicts).
 */
function casesOf(text: string, source: string): Case[] {
  const loaded = loadManifestText(text, source)
  if (loaded.problems.length > 0)
    throw new Error(`${source}: ${loaded.problems.map(p => p.message).join('; ')}`)
  return loaded.objects.filter(o => o.kind !== 'AdmissionReview').map(object => ({ source, object }))
}

const fileCases = (file: string, root: string) =>
  casesOf(readFileSync(file, 'utf8'), path.relative(root, file))

async function exampleCases(): Promise<Case[]> {
  const root = path.join(REPO_ROOT, 'examples', 'k8s')
  const plain = ['compliant', 'violations'].flatMap(dir =>
    yamlFiles(path.join(root, dir)).map(f => fileCases(f, root))
  )
  // The overlay as the cluster receives it: rendered by the pinned kustomize.
  const overlay = path.join(root, 'kustomize', 'overlays', 'prod')
  const rendered = await runProcess(toolPath('kustomize'), ['build', overlay], {
    cwd: REPO_ROOT,
    deadlineMs: 120_000,
    env: childEnv()
  })
  if (rendered.exitCode !== 0) throw new Error(`kustomize build failed: ${rendered.stderr}`)
  return [...plain.flat(), ...casesOf(rendered.stdout, 'kustomize/overlays/prod (rendered)')]
}

function podSecurityCases(): Case[] {
  const root = sharedFixture('k8s', 'pod-security')
  return ['baseline', 'restricted'].flatMap(level =>
    yamlFiles(path.join(root, level)).flatMap(f => fileCases(f, root))
  )
}

/**
 * The Pod Security Admission fixtures at the level and version they were written for
 * (`<level>/<version>/<pass|fail>/…`): one option set per directory, all rules on.
 */
function podSecurityGroups(): Group[] {
  const root = sharedFixture('k8s', 'pod-security')
  return (['baseline', 'restricted'] as const).flatMap(level =>
    readdirSync(path.join(root, level))
      .sort()
      .map(version => ({
        label: `pod-security ${level} ${version}`,
        options: defaultOptions({ level, version: parsePssVersion(version) }),
        cases: yamlFiles(path.join(root, level, version)).flatMap(f => fileCases(f, root))
      }))
  )
}

/** Every rule that takes a parameter switched on, with parameters the inputs exercise both ways. */
const strictOptions = () => {
  const base = defaultOptions()
  return defaultOptions({
    rules: new Set([...base.rules, 'allowed-registries', 'image-digest']),
    allowedRegistries: ['registry.k8s.io', 'docker.io/library/', 'ghcr.io/example/'],
    exemptImages: ['registry.k8s.io/pause*'],
    limits: { cpu: true, memory: true, maxCpu: '500m', maxMemory: '128Mi' },
    probes: { required: ['readinessProbe'], handlers: ['httpGet', 'tcpSocket'] }
  })
}

async function groups(): Promise<Group[]> {
  const edges = ['admission-edge-cases.yaml', 'admission-pss-edge-cases.yaml'].map(f =>
    path.join(REPO_ROOT, 'test', 'conformance', f)
  )
  const own = [
    ...(await exampleCases()),
    ...podSecurityCases(),
    ...edges.flatMap(edge => fileCases(edge, path.dirname(edge)))
  ]
  const out: Group[] = [
    { label: 'defaults', options: defaultOptions(), cases: own },
    { label: 'all rules, strict parameters', options: strictOptions(), cases: own },
    { label: 'baseline v1.18', options: defaultOptions({ level: 'baseline', version: 18 }), cases: own },
    ...podSecurityGroups()
  ]
  for (const policy of GATEKEEPER_POLICIES) {
    for (const { dir, test, rules, options } of gatekeeperTests(policy)) {
      const cases = test.cases.flatMap(c => fileCases(path.join(dir, c.object), path.dirname(dir)))
      out.push({
        label: `${policy} ${test.name}`,
        options: defaultOptions({ rules: new Set(rules), ...options }),
        cases
      })
    }
  }
  return out
}

/** The Kyverno CLI puts an object without a namespace into `default`: so does this suite, for every engine. */
const namespaceOf = (c: Case) => c.object.namespace ?? 'default'

/** Objects renamed `o<n>` so every engine's answer maps back to one case; no rule reads the name. */
function objectsOf(cases: readonly Case[]): unknown[] {
  return cases.map((c, i) => {
    const object = structuredClone(c.object.object) as { metadata?: Record<string, unknown> }
    object.metadata = { ...(object.metadata ?? {}), name: `o${i}`, namespace: namespaceOf(c) }
    return object
  })
}

interface Outcome {
  /** Wall time of each engine's one call over the group's objects. */
  seconds: Record<Format, number>
  label: string
  pairs: number
  agreed: Record<Format, number>
  fails: Record<string, number>
  disagreements: string[]
}

const verdictOf = (verdicts: EngineVerdicts, object: string, policy: string): Verdict =>
  verdicts.get(object)?.get(policy) ?? 'pass'

async function judge(group: Group, dir: string): Promise<Outcome> {
  const exported = exportAdmission(group.options, FORMATS)
  const { verdicts: engines, seconds } = await judgeExport(dir, exported, objectsOf(group.cases))
  const outcome: Outcome = {
    label: group.label,
    pairs: 0,
    agreed: { gatekeeper: 0, kyverno: 0, vap: 0 },
    seconds,
    fails: {},
    disagreements: []
  }
  group.cases.forEach((c, i) => {
    const violated = new Set(evaluateObjects([c.object], group.options).map(v => v.ruleId))
    for (const rule of exported.exported) {
      outcome.pairs++
      const own: Verdict = violated.has(rule) ? 'fail' : 'pass'
      if (own === 'fail') outcome.fails[rule] = (outcome.fails[rule] ?? 0) + 1
      const theirs = Object.fromEntries(
        FORMATS.map(f => [
          f,
          verdictOf(engines[f], objectKey(namespaceOf(c), `o${i}`), `secure-pipeline-${rule}`)
        ])
      ) as Record<Format, Verdict>
      for (const f of FORMATS) if (theirs[f] === own) outcome.agreed[f]++
      if (FORMATS.some(f => theirs[f] !== own)) {
        outcome.disagreements.push(
          `[${group.label}] ${c.source} ${c.object.kind}/${c.object.name ?? '(unnamed)'} rule ${rule}: ` +
            `k8s-policy ${own}, gator ${theirs.gatekeeper}, kyverno ${theirs.kyverno}, vap (kyverno CLI) ${theirs.vap}`
        )
      }
    }
  })
  return outcome
}

describeWithSharedFixtures(
  'admission export: k8s-policy, gator and the Kyverno CLI give the same verdicts',
  () => {
    let work: string
    beforeAll(() => {
      work = mkdtempSync(path.join(tmpdir(), 'admission-conformance-'))
    })
    afterAll(() => rmSync(work, { recursive: true, force: true }))

    it('agrees on every object and exported rule, in every format', async () => {
      const outcomes: Outcome[] = []
      for (const [i, group] of (await groups()).entries())
        outcomes.push(await judge(group, path.join(work, `g${i}`)))
      const pairs = outcomes.reduce((n, o) => n + o.pairs, 0)
      const fails: Record<string, number> = {}
      for (const o of outcomes)
        for (const [rule, n] of Object.entries(o.fails)) fails[rule] = (fails[rule] ?? 0) + n
      const line = FORMATS.map(f => {
        const agreed = outcomes.reduce((n, o) => n + o.agreed[f], 0)
        return `${f} ${agreed}/${pairs} (${((100 * agreed) / pairs).toFixed(1)}%)`
      })
      const perGroup = outcomes.map(
        o =>
          `  ${o.label}: ${FORMATS.map(f => `${f} ${o.agreed[f]}/${o.pairs}`).join(', ')}; ` +
          `engine seconds ${FORMATS.map(f => `${f} ${o.seconds[f].toFixed(1)}`).join(', ')}`
      )
      const totalSeconds = FORMATS.map(
        f => `${f} ${outcomes.reduce((n, o) => n + o.seconds[f], 0).toFixed(0)} s`
      )
      console.log(
        `admission agreement per option set:\n${perGroup.join('\n')}\nengine time in all: ${totalSeconds.join(', ')}`
      )
      console.log(
        `admission agreement over ${outcomes.length} option sets, ${pairs} object×rule verdicts: ${line.join(', ')}; ` +
          `violations per rule: ${Object.entries(fails)
            .map(([r, n]) => `${r} ${n}`)
            .join(', ')}`
      )
      // Every rule is seen failing somewhere, so agreement is not agreement on "everything passes".
      expect(Object.keys(fails).sort()).toEqual(RULES.map(r => r.id).sort())
      expect(outcomes.flatMap(o => o.disagreements)).toEqual([])
    }, 1_800_000)
  }
)
