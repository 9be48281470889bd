import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { judgeExport, JUDGED_FORMATS, objectKey } from '../../../../../test/support/admission-engines.js'
import { toolPath } from '../../../../../test/support/tools-path.js'
import { childEnv, runProcess } from '../../runtime/process.js'
import { evaluateObjects } from '../evaluate.js'
import { loadManifestText } from '../manifests.js'
import { defaultOptions } from '../options.js'
import { exportAdmission, FORMAT_FILES, type AdmissionExport } from './export.js'

// `kubectl debug` adds its container through the pods/ephemeralcontainers subresource (an UPDATE whose
// object is the whole Pod); a policy that matches only `pods` never sees that request.
const options = defaultOptions({
  allowedRegistries: ['ghcr.io/my-org/'],
  rules: new Set([...defaultOptions().rules, 'allowed-registries'])
})

const hardened = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' }
}
const probe = { httpGet: { path: '/', port: 8080 } }
const app = {
  name: 'app',
  image: 'ghcr.io/my-org/app:1.0',
  resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } },
  livenessProbe: probe,
  readinessProbe: probe,
  securityContext: hardened
}

const podWith = (debugger_: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { containers: [app], ephemeralContainers: [{ targetContainerName: 'app', ...debugger_ }] }
})

const debugPod = podWith({
  name: 'debugger',
  image: 'docker.io/library/busybox:latest',
  securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } }
})
const tidyDebugPod = podWith({
  name: 'debugger',
  image: 'ghcr.io/my-org/debug:1.0',
  securityContext: hardened
})

/** The request `kubectl debug` makes, as the API server sends it to admission. */
const debugRequest = (pod: ReturnType<typeof podWith>) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'debug',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    subResource: 'ephemeralcontainers',
    requestKind: { group: '', version: 'v1', kind: 'Pod' },
    requestResource: { group: '', version: 'v1', resource: 'pods' },
    requestSubResource: 'ephemeralcontainers',
    name: pod.metadata.name,
    namespace: pod.metadata.namespace,
    operation: 'UPDATE',
    userInfo: { username: 'developer' },
    object: pod,
    oldObject: { ...pod, spec: { containers: pod.spec.containers } }
  }
})

/** Rules CI flags on the debug container itself, not on the hardened app container. */
function rulesOnEphemeral(): string[] {
  const loaded = loadManifestText(`${JSON.stringify(debugPod)}\n`, 'pod.yaml')
  const ids = evaluateObjects(loaded.objects, options)
    .filter(v => v.container?.field === 'ephemeralContainers')
    .map(v => v.ruleId)
  return [...new Set(ids)].sort()
}

interface ResourceRule {
  apiGroups: string[]
  operations: string[]
  resources: string[]
}

/** The fields of an exported document this test reads. */
interface Doc {
  kind: string
  metadata: { name: string }
  spec?: { match?: unknown; matchConstraints?: { resourceRules: ResourceRule[] } }
}

function documentsOf(exported: AdmissionExport, format: keyof typeof FORMAT_FILES): Doc[] {
  const file = exported.files.find(f => f.path === FORMAT_FILES[format])
  if (!file) throw new Error(`no ${format} file`)
  return parseAllDocuments(file.content).map(d => d.toJS() as Doc)
}

/** A gator suite: each rule's template and constraint judge the debug request and a harmless twin. */
function writeGatorSuite(dir: string, exported: AdmissionExport, ruleIds: readonly string[]): void {
  const docs = documentsOf(exported, 'gatekeeper')
  const write = (name: string, doc: unknown) => writeFileSync(path.join(dir, name), JSON.stringify(doc))
  write('debug.json', debugRequest(debugPod))
  write('tidy-debug.json', debugRequest(tidyDebugPod))
  const tests = ruleIds.map(id => {
    const constraint = docs.find(d => d.metadata.name === `secure-pipeline-${id}` && d.spec?.match)
    const template = docs.find(
      d => d.kind === 'ConstraintTemplate' && d.metadata.name === constraint?.kind.toLowerCase()
    )
    if (!constraint || !template) throw new Error(`no Gatekeeper constraint for ${id}`)
    write(`${id}-template.json`, template)
    write(`${id}-constraint.json`, constraint)
    return {
      name: id,
      template: `${id}-template.json`,
      constraint: `${id}-constraint.json`,
      cases: [
        { name: 'debug', object: 'debug.json', assertions: [{ violations: 'yes' }] },
        { name: 'tidy-debug', object: 'tidy-debug.json', assertions: [{ violations: 'no' }] }
      ]
    }
  })
  write('suite.yaml', { apiVersion: 'test.gatekeeper.sh/v1alpha1', kind: 'Suite', tests })
}

describe('admission export: containers added by kubectl debug (pods/ephemeralcontainers)', () => {
  let work: string
  const ruleIds = rulesOnEphemeral()
  const exported = exportAdmission(options, JUDGED_FORMATS)
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'admission-ephemeral-'))
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('CI flags the debug container for the container rules', () => {
    expect(ruleIds).toEqual(
      expect.arrayContaining(['privileged-container', 'image-disallowed-tag', 'allowed-registries'])
    )
    expect(ruleIds.filter(id => id.startsWith('pss-')).length).toBeGreaterThan(2)
  })

  it.each(['vap', 'kyverno'] as const)('%s matches the subresource update for every rule', format => {
    const policies = documentsOf(exported, format).filter(d => d.spec?.matchConstraints)
    expect(policies.map(p => p.metadata.name)).toEqual(
      expect.arrayContaining(ruleIds.map(id => `secure-pipeline-${id}`))
    )
    for (const policy of policies) {
      const rules = policy.spec?.matchConstraints?.resourceRules ?? []
      const core = rules.filter(r => r.apiGroups.includes(''))
      const subresource = core.filter(
        r => r.resources.includes('pods/ephemeralcontainers') && r.operations.includes('UPDATE')
      )
      expect([policy.metadata.name, subresource.length]).toEqual([policy.metadata.name, 1])
    }
  })

  it('every engine refuses a Pod carrying the debug container, as CI does', async () => {
    const { verdicts } = await judgeExport(work, exported, [debugPod])
    const key = objectKey('shop', 'web')
    for (const format of JUDGED_FORMATS)
      for (const id of ruleIds)
        expect([format, id, verdicts[format].get(key)?.get(`secure-pipeline-${id}`)]).toEqual([
          format,
          id,
          'fail'
        ])
  }, 600_000)

  it('Gatekeeper refuses the subresource request itself (gator verify on its AdmissionReview)', async () => {
    const dir = path.join(work, 'gator-suite')
    mkdirSync(dir, { recursive: true })
    writeGatorSuite(dir, exported, ruleIds)
    const outcome = await runProcess(toolPath('gator'), ['verify', dir, '-v'], {
      cwd: dir,
      deadlineMs: 600_000,
      env: childEnv(),
      maxStdoutBytes: 16 * 1024 * 1024
    })
    expect([outcome.exitCode, outcome.stdout + outcome.stderr]).toEqual([0, expect.stringContaining('PASS')])
    for (const id of ruleIds) expect(outcome.stdout).toContain(`--- PASS: ${id}`)
  }, 600_000)
})
