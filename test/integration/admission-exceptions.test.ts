import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parseSarif } from '../../packages/core/src/findings/sarif/read.js'
import { buildSarifLog, serializeSarif } from '../../packages/core/src/findings/sarif/write.js'
import { evaluateObjects } from '../../packages/core/src/k8s/evaluate.js'
import { applyK8sExceptions } from '../../packages/core/src/k8s/exceptions.js'
import { exportAdmission } from '../../packages/core/src/k8s/export/export.js'
import { loadManifestText } from '../../packages/core/src/k8s/manifests.js'
import { defaultOptions } from '../../packages/core/src/k8s/options.js'
import { toSarifRun } from '../../packages/core/src/k8s/to-findings.js'
import type { ManifestObject } from '../../packages/core/src/k8s/types.js'
import { applyExceptions } from '../../packages/core/src/policy/exceptions.js'
import { checkPolicyFile, type ExceptionEntry } from '../../packages/core/src/policy/schema.js'
import {
  judgeExport,
  JUDGED_FORMATS,
  objectKey,
  type JudgedFormat,
  type Verdict
} from '../support/admission-engines.js'
import { REPO_ROOT } from '../support/repo-root.js'

const FORMATS = JUDGED_FORMATS
type Format = JudgedFormat
const TODAY = '2026-06-01'

const checked = checkPolicyFile({
  exceptions: [
    {
      rule: 'image-disallowed-tag',
      workload: 'Deployment/web',
      namespace: 'shop',
      reason: 'the shop team pins by digest at deploy time',
      owner: 'shop-team',
      expires: '2026-12-31'
    },
    {
      id: 'pss-*',
      namespace: 'legacy',
      reason: 'legacy namespace, being migrated',
      owner: 'platform',
      expires: '2026-12-31'
    },
    {
      id: 'privileged-container',
      namespace: 'legacy',
      path: 'deploy/**',
      reason: 'scoped by path too: not exportable',
      owner: 'platform',
      expires: '2026-12-31'
    }
  ]
})
if (!checked.success) throw new Error(`test policy invalid: ${JSON.stringify(checked.issues)}`)
const exceptions: ExceptionEntry[] = checked.data.exceptions!

const here = (file: string) => path.join(REPO_ROOT, 'test', 'integration', file)

function load(file: string): ManifestObject[] {
  const loaded = loadManifestText(readFileSync(here(file), 'utf8'), `test/integration/${file}`)
  if (loaded.problems.length > 0) throw new Error(loaded.problems.map(p => p.message).join('; '))
  return loaded.objects
}

const keyOf = (o: ManifestObject) => objectKey(o.namespace, o.name ?? '')

/** What the gate waives: k8s-policy's SARIF read back as the gate reads it, then the policy's exceptions. */
function gateVerdicts(objects: readonly ManifestObject[]): Map<string, Set<string>> {
  const violations = evaluateObjects(objects, defaultOptions())
  const sarif = serializeSarif(buildSarifLog([toSarifRun(violations, [])]))
  const { findings } = parseSarif(sarif, 'k8s-policy.sarif')
  const { suppressedBy } = applyExceptions(findings, exceptions, TODAY)
  const failing = new Map<string, Set<string>>()
  findings.forEach((finding, i) => {
    if (suppressedBy[i]) return
    const ref = finding.k8sObject!
    const key = objectKey(ref.namespace, ref.name ?? '')
    failing.set(key, (failing.get(key) ?? new Set()).add(finding.ruleId))
  })
  return failing
}

describe('admission export: policy-file exceptions become the same exclusions in CI and every engine', () => {
  let work: string
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'admission-exceptions-'))
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('waives the excepted workload and namespace everywhere, and only them', async () => {
    const workloads = load('admission-exception-cases.yaml')
    const children = load('admission-exception-children.yaml')
    const exported = exportAdmission(defaultOptions(), FORMATS, { entries: exceptions, today: TODAY })
    expect(exported.exceptionsExported.map(e => [e.entry.id ?? e.entry.rule, e.rules.length])).toEqual([
      ['image-disallowed-tag', 1],
      ['pss-*', exported.exported.filter(id => id.startsWith('pss-')).length]
    ])
    expect(exported.exceptionsNotExported.map(e => e.entry.id)).toEqual(['privileged-container'])

    const { verdicts: engines } = await judgeExport(
      work,
      exported,
      [...workloads, ...children].map(o => o.object)
    )
    const engine = (f: Format, key: string, rule: string): Verdict =>
      engines[f].get(key)?.get(`secure-pipeline-${rule}`) ?? 'pass'

    // CI: the gate (through the SARIF) and the k8s-policy step waive the same violations.
    const gate = gateVerdicts(workloads)
    const step = applyK8sExceptions(evaluateObjects(workloads, defaultOptions()), exceptions, TODAY)
    const stepFailing = new Set(
      step.counted.map(v => `${objectKey(v.namespace, v.objectName ?? '')} ${v.ruleId}`)
    )
    const gateFailing = new Set([...gate].flatMap(([key, rules]) => [...rules].map(rule => `${key} ${rule}`)))
    expect([...stepFailing].sort()).toEqual([...gateFailing].sort())
    expect(step.waived.length).toBeGreaterThan(0)

    let pairs = 0
    const agreed: Record<Format, number> = { gatekeeper: 0, kyverno: 0, vap: 0 }
    const disagreements: string[] = []
    for (const object of workloads) {
      const key = keyOf(object)
      for (const rule of exported.exported) {
        pairs++
        const ci: Verdict = gate.get(key)?.has(rule) ? 'fail' : 'pass'
        for (const f of FORMATS) {
          if (engine(f, key, rule) === ci) agreed[f]++
          else
            disagreements.push(`${object.kind} ${key} rule ${rule}: CI ${ci}, ${f} ${engine(f, key, rule)}`)
        }
      }
    }
    console.log(
      `admission exceptions agreement over ${pairs} object×rule verdicts: ${FORMATS.map(f => `${f} ${agreed[f]}/${pairs}`).join(', ')}`
    )
    expect(disagreements).toEqual([])

    // The excepted workload passes the excepted rule in CI and every engine; its twin and its neighbour fail.
    const verdicts = (key: string, rule: string) => [
      gate.get(key)?.has(rule) ? 'fail' : 'pass',
      ...FORMATS.map(f => engine(f, key, rule))
    ]
    expect(verdicts('shop/web', 'image-disallowed-tag')).toEqual(['pass', 'pass', 'pass', 'pass'])
    expect(verdicts('staging/web', 'image-disallowed-tag')).toEqual(['fail', 'fail', 'fail', 'fail'])
    expect(verdicts('shop/api', 'image-disallowed-tag')).toEqual(['fail', 'fail', 'fail', 'fail'])
    expect(verdicts('shop/web', 'privileged-container')).toEqual(['fail', 'fail', 'fail', 'fail'])
    expect(verdicts('legacy/debug', 'pss-privileged')).toEqual(['pass', 'pass', 'pass', 'pass'])
    expect(verdicts('legacy/debug', 'pss-host-namespaces')).toEqual(['pass', 'pass', 'pass', 'pass'])
    expect(verdicts('default/debug', 'pss-privileged')).toEqual(['fail', 'fail', 'fail', 'fail'])
    // The path-scoped exception waives nothing here (no file under deploy/), in CI as in the cluster.
    expect(verdicts('legacy/debug', 'privileged-container')).toEqual(['fail', 'fail', 'fail', 'fail'])

    // What the excepted Deployment's controllers create is admitted too; a Pod elsewhere claiming it is not.
    for (const f of FORMATS) {
      expect([f, engine(f, 'shop/web-5d9c7b8f6', 'image-disallowed-tag')]).toEqual([f, 'pass'])
      expect([f, engine(f, 'shop/web-5d9c7b8f6-x2k4q', 'image-disallowed-tag')]).toEqual([f, 'pass'])
      expect([f, engine(f, 'staging/web-5d9c7b8f6-x2k4q', 'image-disallowed-tag')]).toEqual([f, 'fail'])
      expect([f, engine(f, 'shop/web-5d9c7b8f6-x2k4q', 'resource-limits')]).toEqual([f, 'fail'])
    }
  }, 600_000)
})
