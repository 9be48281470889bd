import { expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { JsonObject } from '../../packages/core/src/findings/json.js'
import { readTrivyOutput } from '../../packages/core/src/sca/engine-trivy.js'
import { enrichVulnerabilities } from '../../packages/core/src/sca/enrich.js'
import { describeWithSharedFixtures, sharedFixture } from '../support/shared-fixtures.js'

// `trivy fs --format json` outputs from Trivy's own test data (../shared/fixtures/scanners/trivy), read
// the way the sca action reads them with engine: trivy. Trivy's vulnerability database cannot be
// downloaded on this machine, so this is what shows the trivy engine's results end to end; expected
// values are written from the files.

const NO_LOCKFILE_TEXT = { text: () => undefined, line: () => undefined }

function read(file: string, lockfiles: string[]) {
  const report = JSON.parse(readFileSync(sharedFixture('scanners', 'trivy', file), 'utf8')) as JsonObject
  const result = readTrivyOutput(report, '/repo', new Set(lockfiles), '0.74.0')
  const found = enrichVulnerabilities(result, NO_LOCKFILE_TEXT).map(
    ({ finding: f, upgrade }) =>
      `${f.location?.path} ${f.ruleId} ${f.package?.purl} fixed ${f.package?.fixedVersions?.join('|')} ${f.severity} -> ${upgrade.kind === 'upgrade' ? upgrade.version : 'none'}`
  )
  return { result, found }
}

describeWithSharedFixtures('sca reads trivy fs JSON results', () => {
  it('npm: every package of the lockfile with its licenses, and jquery 3.3.9 with its fix', () => {
    const { result, found } = read('npm.fs.json', ['package-lock.json'])
    expect(result.packages).toHaveLength(12)
    expect(result.packages.find(p => p.name === 'jquery')).toEqual({
      lockfile: 'package-lock.json',
      ecosystem: 'npm',
      name: 'jquery',
      version: '3.3.9',
      licenses: ['MIT']
    })
    expect(found).toEqual([
      'package-lock.json CVE-2019-11358 pkg:npm/jquery@3.3.9 fixed 3.4.0 medium -> 3.4.0'
    ])
  })

  it('gomod: one finding per go.mod, only for the dependency files the action selected', () => {
    // Severity UNKNOWN (GMS-2022-20, CVE-2021-38561) is the trivy reader's own default, low.
    expect(read('gomod.fs.json', ['go.mod', 'submod/go.mod', 'submod2/go.mod']).found.sort()).toEqual([
      'go.mod CVE-2021-38561 pkg:golang/golang.org/x/text@v0.3.6 fixed 0.3.7 low -> 0.3.7',
      'go.mod CVE-2022-23628 pkg:golang/github.com/open-policy-agent/opa@v0.35.0 fixed 0.37.0 medium -> 0.37.0',
      'go.mod GMS-2022-20 pkg:golang/github.com/docker/distribution@v2.7.1%2Bincompatible fixed v2.8.0 low -> v2.8.0',
      'submod/go.mod GMS-2022-20 pkg:golang/github.com/docker/distribution@v2.7.1%2Bincompatible fixed v2.8.0 low -> v2.8.0',
      'submod2/go.mod GMS-2022-20 pkg:golang/github.com/docker/distribution@v2.7.1%2Bincompatible fixed v2.8.0 low -> v2.8.0'
    ])
    // A go.mod the include/exclude globs left out is not reported even though Trivy scanned it.
    expect(read('gomod.fs.json', ['go.mod']).found.every(line => line.startsWith('go.mod '))).toBe(true)
  })
})
