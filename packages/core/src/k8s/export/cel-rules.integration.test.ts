import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { judgeExport, JUDGED_FORMATS, objectKey } from '../../../../../test/support/admission-engines.js'
import { evaluateObjects } from '../evaluate.js'
import { loadManifestText } from '../manifests.js'
import { defaultOptions } from '../options.js'
import { exportAdmission } from './export.js'

const RULE = 'required-probes'
const probe = { httpGet: { path: '/', port: 8080 } }

// A handler written as null is no handler: CI's requiredProbes counts only a value other than null.
const nullHandler = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'null-handler', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'app', image: 'nginx:1.27', livenessProbe: { httpGet: null }, readinessProbe: probe }
        ]
      }
    }
  }
}

describe('admission export: required-probes', () => {
  let work: string
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'admission-probes-'))
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('refuses a probe whose only handler is null, as CI does', async () => {
    const options = defaultOptions({ rules: new Set([RULE]) })
    const loaded = loadManifestText(`${JSON.stringify(nullHandler)}\n`, 'x.yaml')
    expect(evaluateObjects(loaded.objects, options).map(v => v.ruleId)).toEqual([RULE])
    const { verdicts } = await judgeExport(work, exportAdmission(options, JUDGED_FORMATS), [nullHandler])
    const key = objectKey('shop', 'null-handler')
    for (const format of JUDGED_FORMATS)
      expect([format, verdicts[format].get(key)?.get(`secure-pipeline-${RULE}`)]).toEqual([format, 'fail'])
  }, 600_000)
})
