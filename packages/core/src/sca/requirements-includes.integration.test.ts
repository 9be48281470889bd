import { describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeFiles } from '../../../../test/support/git-repo.js'
import { pullRequestCheckout } from '../../../../test/support/pull-request-checkout.js'
import { advisoryDb, scaOptions } from '../../../../test/support/sca.js'
import { parseSarif } from '../findings/sarif/read.js'
import { buildActionsContext } from '../github/context.js'
import { memoryLogger } from '../runtime/logger.js'
import { runSca } from './run-sca.js'

// The real pinned osv-scanner, offline, against the real GitHub advisories: pyyaml 5.3.1 has
// GHSA-8q59-q68h-6hv4. pip installs it through `--requirement extra.txt`, which osv-scanner does not follow.

const db = advisoryDb()
const push = buildActionsContext(
  { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_SHA: 'a'.repeat(40) },
  {}
)

async function scan(files: Record<string, string>) {
  const workspace = mkdtempSync(path.join(tmpdir(), 'sca-pip-include-'))
  writeFiles(workspace, files)
  const result = await runSca(scaOptions(workspace, db), {
    logger: memoryLogger(),
    context: push,
    env: { ...process.env, RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'sca-runner-')) }
  })
  const run = result.sarif.runs[0]!
  return {
    result,
    succeeded: run.invocations![0]!.executionSuccessful,
    errors: (run.invocations![0]!.toolExecutionNotifications ?? [])
      .filter(n => n.level === 'error')
      .map(n => n.message.text),
    // What the gate reads of the report: an error-level problem makes it a broken input, the verdict incomplete.
    gateErrors: parseSarif(JSON.stringify(result.sarif), 'sca.sarif')
      .problems.filter(p => p.level === 'error')
      .map(p => p.message),
    advisories: result.reported.map(f => `${f.package?.name} ${f.ruleId}`)
  }
}

describe('pip includes osv-scanner does not follow', () => {
  it('reports the file `--requirement extra.txt` installs from as not scanned, so the report is incomplete', async () => {
    const { result, succeeded, errors, gateErrors, advisories } = await scan({
      'requirements.txt': 'requests==2.31.0\n--requirement extra.txt\n',
      'extra.txt': 'pyyaml==5.3.1\n'
    })
    // The gap itself: osv-scanner lists nothing of extra.txt.
    expect(advisories).not.toContain('pyyaml GHSA-8q59-q68h-6hv4')
    const message =
      'not scanned: extra.txt: pip installs from it (requirements.txt line 2 includes it with --requirement), but the scan does not read it: write the include as `-r extra.txt` on a line of its own, or name the file *requirements*.txt so that it is scanned'
    expect(errors).toEqual([message])
    expect(succeeded).toBe(false)
    expect(gateErrors).toEqual([expect.stringContaining(message)])
    expect(result.notScanned.map(n => n.file)).toEqual(['extra.txt'])
  }, 120_000)

  it('reports nothing unread for `-r extra-requirements.txt`: the scan reads that file and finds its advisory', async () => {
    const { succeeded, errors, advisories } = await scan({
      'requirements.txt': 'requests==2.31.0\n-r extra-requirements.txt\n',
      'extra-requirements.txt': 'pyyaml==5.3.1\n'
    })
    expect(errors).toEqual([])
    expect(succeeded).toBe(true)
    expect(advisories).toContain('pyyaml GHSA-8q59-q68h-6hv4')
  }, 120_000)
})

describe('a pull request that changes only a file a requirements file includes with -r', () => {
  const change = async (base: Record<string, string>, head: Record<string, string>) => {
    const pr = pullRequestCheckout({ base, change: head })
    const context = buildActionsContext(
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'octo-org/octo-repo', ...pr.env },
      pr.event.payload as Record<string, unknown>
    )
    const result = await runSca(scaOptions(pr.workspace, db), {
      logger: memoryLogger(),
      context,
      env: { ...process.env, RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'sca-runner-')) }
    })
    const ids = (findings: readonly { ruleId: string; package?: { name: string } }[]) =>
      findings.map(f => `${f.package?.name} ${f.ruleId}`)
    return { mode: result.mode.kind, fresh: ids(result.reported), existing: ids(result.existing) }
  }

  it('reports the vulnerable dependency it adds there as new, and what the base had as existing', async () => {
    // osv-scanner credits common.txt's packages to requirements.txt; urllib3 1.26.5 has GHSA-34jh-p97f-mpxf.
    const outcome = await change(
      { 'requirements.txt': 'idna==3.7\n-r common.txt\n', 'common.txt': 'urllib3==1.26.5\n' },
      { 'common.txt': 'urllib3==1.26.5\npyyaml==5.3.1\n' }
    )
    expect(outcome).toEqual({
      mode: 'diff',
      fresh: ['pyyaml GHSA-8q59-q68h-6hv4'],
      existing: ['urllib3 GHSA-34jh-p97f-mpxf']
    })
  }, 120_000)

  it('compares the including file with the base version of what it includes', async () => {
    const outcome = await change(
      { 'requirements.txt': 'idna==3.7\n-r common.txt\n', 'common.txt': 'urllib3==1.26.5\n' },
      {
        'requirements.txt': 'idna==3.7\nrequests==2.31.0\n-r common.txt\n',
        'common.txt': 'urllib3==1.26.5\npyyaml==5.3.1\n'
      }
    )
    expect(outcome.fresh).toEqual(['pyyaml GHSA-8q59-q68h-6hv4'])
    expect(outcome.existing).toEqual(['urllib3 GHSA-34jh-p97f-mpxf'])
  }, 120_000)
})
