import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../findings/finding.js'
import { toImageFindings } from './image-findings.js'

function config(path: string, startLine?: number): Finding {
  return {
    ruleId: 'DS-0002',
    aliases: [],
    message: 'Specify at least 1 USER command',
    severity: 'high',
    kind: 'config',
    scanner: 'trivy',
    location: { path, ...(startLine ? { startLine } : {}) },
    fingerprint: 'from the reader',
    partialFingerprints: {},
    suppressions: [],
    cwe: [],
    tags: []
  }
}

const lodash: Finding = {
  ...config('app/node_modules/lodash/package.json'),
  ruleId: 'CVE-2021-23337',
  kind: 'dependency',
  package: {
    name: 'lodash',
    purl: 'pkg:npm/lodash@4.17.20',
    installedVersion: '4.17.20',
    fixedVersions: ['4.17.21']
  }
}

const first = { name: 'ghcr.io/o/app', digest: `sha256:${'1'.repeat(64)}` }
const rebuilt = { name: 'ghcr.io/o/app', digest: `sha256:${'2'.repeat(64)}` }

describe('toImageFindings', () => {
  it('names the image by digest, drops the file and line, and keeps the fingerprint across a rebuild', () => {
    const [before] = toImageFindings([lodash], first)
    const [after] = toImageFindings([lodash], rebuilt)
    expect(before).toMatchObject({ image: `ghcr.io/o/app@${first.digest}`, kind: 'image' })
    expect(before!.location).toBeUndefined()
    expect(after!.fingerprint).toBe(before!.fingerprint)
  })

  it('reads a result placed on the engine target as the image config: no digest or runner path in its fingerprint', () => {
    const byDigest = (d: typeof first) => `ghcr.io/o/app@${d.digest}`
    const [a] = toImageFindings([config(byDigest(first))], { ...first, engineTarget: byDigest(first) })
    const [b] = toImageFindings([config(byDigest(rebuilt))], { ...rebuilt, engineTarget: byDigest(rebuilt) })
    const [archive] = toImageFindings([config('tmp/run-1/app.tar')], {
      ...first,
      engineTarget: '/tmp/run-1/app.tar'
    })
    expect(a!.message).toBe('Specify at least 1 USER command (in the image config)')
    expect(archive!.message).toBe(a!.message)
    expect(b!.fingerprint).toBe(a!.fingerprint)
    expect(archive!.fingerprint).toBe(a!.fingerprint)
    // The same rule on the Dockerfile inside the image is another finding.
    const [file] = toImageFindings([config('app/Dockerfile', 6)], { ...first, engineTarget: byDigest(first) })
    expect(file!.message).toBe('Specify at least 1 USER command (in the image at /app/Dockerfile:6)')
    expect(file!.fingerprint).not.toBe(a!.fingerprint)
  })
})
