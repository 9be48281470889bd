import { describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeFiles } from '../../../../test/support/git-repo.js'
import { pullRequestCheckout } from '../../../../test/support/pull-request-checkout.js'
import { advisoryDb, scaOptions } from '../../../../test/support/sca.js'
import { buildActionsContext, type ActionsContext } from '../github/context.js'
import { memoryLogger } from '../runtime/logger.js'
import { runSca } from './run-sca.js'

// The real pinned osv-scanner, offline. go.mod asks for golang.org/x/text v0.3.8, past its advisory
// (GHSA-69ch-w2m2-3vjp, fixed in 0.3.8); the workspace's go.work makes go build use v0.3.7, which osv-scanner
// never learns: it does not read go.work.

const db = advisoryDb()
const push = buildActionsContext(
  { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_SHA: 'a'.repeat(40) },
  {}
)

const GO_MOD = 'module example.com/svc\n\ngo 1.22\n\nrequire golang.org/x/text v0.3.8\n'
const GO_WORK = 'go 1.22\n\nuse ./svc\n\nreplace golang.org/x/text v0.3.8 => golang.org/x/text v0.3.7\n'

function sca(workspace: string, context: ActionsContext = push) {
  return runSca(scaOptions(workspace, db), {
    logger: memoryLogger(),
    context,
    env: { ...process.env, RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'sca-runner-')) }
  })
}

function workspaceOf(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sca-gowork-'))
  writeFiles(root, files)
  return root
}

const unknownVersions = (result: Awaited<ReturnType<typeof sca>>, from: 'reported' | 'existing') =>
  result[from]
    .filter(f => f.ruleId === 'dependency-version-unknown')
    .map(f => `${f.package?.name} ${f.location?.path}:${f.location?.startLine}`)

describe('a go.work replace, which osv-scanner does not read', () => {
  it('is reported at its line as a dependency not scanned at the version go build uses', async () => {
    const result = await sca(workspaceOf({ 'svc/go.mod': GO_MOD, 'go.work': GO_WORK }))
    expect(result.lockfiles).toEqual(['svc/go.mod'])
    // What the engine saw: the fixed version, so no advisory.
    expect(result.vulnerabilities).toEqual([])
    expect(unknownVersions(result, 'reported')).toEqual(['golang.org/x/text go.work:5'])
    expect(result.reported[0]!.message).toContain(
      'golang.org/x/text v0.3.8 is replaced by golang.org/x/text v0.3.7'
    )
    expect(result.sarif.runs[0]!.invocations![0]!.executionSuccessful).toBe(true)
  }, 120_000)

  it('in a malformed go.work fails the scan naming the file and line, never reading it as clean', async () => {
    const workspace = workspaceOf({
      'svc/go.mod': GO_MOD,
      'go.work': 'go 1.22\nreplace (\n  golang.org/x/text v0.3.8 => golang.org/x/text\n)\n'
    })
    await expect(sca(workspace)).rejects.toThrow(/^go\.work: line 3: /)
  }, 120_000)

  it('on a pull request that changes only go.work, is scanned and new', async () => {
    const pr = pullRequestCheckout({
      base: { 'svc/go.mod': GO_MOD, 'go.work': 'go 1.22\n\nuse ./svc\n' },
      change: { 'go.work': GO_WORK }
    })
    const result = await sca(
      pr.workspace,
      buildActionsContext(
        { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'octo-org/octo-repo', ...pr.env },
        pr.event.payload as Record<string, unknown>
      )
    )
    expect(result.mode.kind).toBe('diff')
    expect(unknownVersions(result, 'reported')).toEqual(['golang.org/x/text go.work:5'])
    expect(unknownVersions(result, 'existing')).toEqual([])
  }, 120_000)

  it('already in the merge-base is existing on a pull request that changes go.work otherwise', async () => {
    const pr = pullRequestCheckout({
      base: { 'svc/go.mod': GO_MOD, 'go.work': GO_WORK },
      change: { 'go.work': `// the workspace\n${GO_WORK}` }
    })
    const result = await sca(
      pr.workspace,
      buildActionsContext(
        { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'octo-org/octo-repo', ...pr.env },
        pr.event.payload as Record<string, unknown>
      )
    )
    expect(result.mode.kind).toBe('diff')
    expect(unknownVersions(result, 'reported')).toEqual([])
    expect(unknownVersions(result, 'existing')).toEqual(['golang.org/x/text go.work:6'])
  }, 120_000)
})
