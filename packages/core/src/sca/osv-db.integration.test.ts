import { describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { advisoryDb, depsWorkspace, scaOptions } from '../../../../test/support/sca.js'
import { buildActionsContext } from '../github/context.js'
import { memoryLogger } from '../runtime/logger.js'
import { runSca } from './run-sca.js'

// The real pinned osv-scanner against databases the osv-db command built from records spelled as some
// feeds write them: each must match its package in examples/deps, never vanish without a word.

const push = buildActionsContext(
  { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_SHA: 'a'.repeat(40) },
  {}
)
const EVERY_VERSION = [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }]
const record = (id: string, pkg: object) => ({
  file: `${id}.json`,
  text: JSON.stringify({
    id,
    modified: '2025-01-01T00:00:00Z',
    affected: [{ package: pkg, ranges: EVERY_VERSION }]
  })
})

describe('an offline database built from records with odd package names', () => {
  it('matches lower-case ecosystem names and purl-only packages', async () => {
    const db = advisoryDb([
      record('TEST-PYPI-LOWER', { ecosystem: 'pypi', name: 'IDNA' }),
      record('TEST-MAVEN-LOWER', { ecosystem: 'maven', name: 'org.apache.logging.log4j:log4j-core' }),
      record('TEST-GO-LOWER', { ecosystem: 'go', name: 'golang.org/x/text' }),
      record('TEST-PURL-ONLY', { purl: 'pkg:npm/ms' })
    ])
    const result = await runSca(scaOptions(depsWorkspace(), db, {}), {
      logger: memoryLogger(),
      context: push,
      env: { ...process.env, RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'sca-runner-')) }
    })
    const found = result.reported
      .filter(f => f.ruleId.startsWith('TEST-'))
      .map(f => `${f.ruleId} ${f.package?.name}`)
      .sort()
    expect(found).toEqual([
      'TEST-GO-LOWER golang.org/x/text',
      'TEST-MAVEN-LOWER org.apache.logging.log4j:log4j-core',
      'TEST-PURL-ONLY ms',
      'TEST-PYPI-LOWER idna'
    ])
  }, 120_000)
})
