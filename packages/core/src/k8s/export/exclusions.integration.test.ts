import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { judgeExport, JUDGED_FORMATS, objectKey } from '../../../../../test/support/admission-engines.js'
import { checkPolicyFile } from '../../policy/schema.js'
import { evaluateObjects } from '../evaluate.js'
import { applyK8sExceptions } from '../exceptions.js'
import { loadManifestText } from '../manifests.js'
import { defaultOptions } from '../options.js'
import { exportAdmission } from './export.js'

const TODAY = '2026-06-01'
const RULE = 'image-disallowed-tag'

const checked = checkPolicyFile({
  exceptions: ['Deployment/web', 'CronJob/nightly'].map(workload => ({
    rule: RULE,
    workload,
    reason: 'test',
    owner: 'test',
    expires: '2026-12-31'
  }))
})
if (!checked.success) throw new Error(`test policy invalid: ${JSON.stringify(checked.issues)}`)
const entries = checked.data.exceptions!

const template = (labels: Record<string, string>) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'app', image: 'nginx:latest' }] }
})

// Named like what the excepted workloads' controllers create, but owned by nothing: CI judges them as
// themselves and refuses them.
const lookalikes = [
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-abc', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: template({ app: 'web', 'pod-template-hash': 'abc' })
    }
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'nightly-123', namespace: 'shop' },
    spec: { template: template({ app: 'nightly' }) }
  }
]

describe('admission export: an exception for a workload does not excuse look-alikes of what it creates', () => {
  let work: string
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'admission-lookalikes-'))
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('refuses an unowned ReplicaSet or Job named like the excepted workload’s, in CI and every engine', async () => {
    const loaded = loadManifestText(lookalikes.map(o => `---\n${JSON.stringify(o)}\n`).join(''), 'x.yaml')
    const options = defaultOptions()
    const ci = applyK8sExceptions(evaluateObjects(loaded.objects, options), entries, TODAY)
    const exported = exportAdmission(options, JUDGED_FORMATS, { entries, today: TODAY })
    const { verdicts } = await judgeExport(work, exported, lookalikes)
    for (const object of loaded.objects) {
      const key = objectKey(object.namespace, object.name ?? '')
      expect(ci.counted.some(v => v.objectName === object.name && v.ruleId === RULE)).toBe(true)
      for (const format of JUDGED_FORMATS)
        expect([format, key, verdicts[format].get(key)?.get(`secure-pipeline-${RULE}`)]).toEqual([
          format,
          key,
          'fail'
        ])
    }
  }, 600_000)
})
