import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { nodeRuntimes, runBundle, type BundleRun } from '../support/run-bundle.js'
import { toolPath } from '../support/tools-path.js'
import { cloneWithOrigin, git, writeFiles } from '../support/git-repo.js'

// The sast bundle on pull requests and pushes a hostile change controls, with real git and the real
// Semgrep, chained into the gate bundle as the one-line composite chains them.

const FLAW = 'import os\n\n\ndef run(arg):\n    os.system("lp " + arg)\n'
const INJECTION = `name: greet
on: issues
jobs:
  greet:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "Thanks for \${{ github.event.issue.title }}"
`
const BASE = { 'src/app.py': 'print("hello")\n', 'README.md': '# app\n' }

interface Change {
  checkout: string
  event: { name: string; payload: unknown }
}

/** origin: main with `base`; the checkout is the PR branch, which writes `files` (and makes `dirs`). */
function pullRequest(files: Record<string, string>, dirs: string[] = []): Change {
  const root = mkdtempSync(path.join(tmpdir(), 'sast-bundle-pr-'))
  const { clone: checkout } = cloneWithOrigin(root)
  writeFiles(checkout, BASE)
  git(checkout, 'add', '-A')
  git(checkout, 'commit', '-q', '-m', 'base')
  git(checkout, 'push', '-q', 'origin', 'main')
  const base = git(checkout, 'rev-parse', 'HEAD')
  git(checkout, 'checkout', '-q', '-b', 'feature')
  writeFiles(checkout, files)
  git(checkout, 'add', '-A')
  git(checkout, 'commit', '-q', '-m', 'change')
  for (const dir of dirs) mkdirSync(path.join(checkout, dir), { recursive: true })
  const head = git(checkout, 'rev-parse', 'HEAD')
  return {
    checkout,
    event: {
      name: 'pull_request',
      payload: {
        pull_request: { number: 7, base: { ref: 'main', sha: base }, head: { ref: 'feature', sha: head } }
      }
    }
  }
}

const runtimes = nodeRuntimes()
// What runners use: Node 24 when it is provisioned (the Node 20/24 pair is covered by sast.test.ts).
const { node, label } = runtimes[runtimes.length - 1]!
const env = { SECURE_PIPELINE_SEMGREP_PATH: toolPath('semgrep') }

async function sast(
  change: Change,
  inputs: Record<string, string> = {}
): Promise<BundleRun & { sarif: SarifLike }> {
  const run = await runBundle('sast', {
    node,
    workspace: change.checkout,
    inputs,
    env,
    event: change.event,
    timeoutMs: 300_000
  })
  const sarif = JSON.parse(
    readFileSync(path.join(change.checkout, 'secure-pipeline', 'sast.sarif'), 'utf8')
  ) as SarifLike
  return { ...run, sarif }
}

interface SarifLike {
  runs: {
    invocations: {
      executionSuccessful: boolean
      toolExecutionNotifications?: { message: { text: string } }[]
    }[]
    results: {
      ruleId: string
      suppressions?: { kind: string }[]
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[]
    }[]
  }[]
}

const where = (sarif: SarifLike) =>
  sarif.runs[0]!.results.map(r => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}`)

function gate(change: Change, inputs: Record<string, string> = {}) {
  return runBundle('gate', {
    node,
    workspace: change.checkout,
    inputs: { upload: 'false', ...inputs },
    event: change.event
  })
}

describe(`sast bundle on pull requests and pushes (${label})`, () => {
  it('reports a script injection a pull request adds under .github/workflows', async () => {
    const change = pullRequest({
      '.github/workflows/greet.yml': INJECTION,
      '.github/secure-pipeline.yml': 'gate: {}\n'
    })
    const run = await sast(change)
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.outputs).toMatchObject({ mode: 'diff', findings: '1' })
    expect(where(run.sarif)).toEqual(['gha-script-injection .github/workflows/greet.yml'])
    expect((await gate(change)).outputs.outcome).toBe('fail-findings')
    rmSync(path.dirname(change.checkout), { recursive: true, force: true })
  }, 600_000)

  it('lets the merge-base .semgrepignore decide: a pull request cannot ignore its own flaw', async () => {
    const files = { '.semgrepignore': 'src/\n', 'src/.semgrepignore': '*\n', 'src/new.py': FLAW }
    const diff = await sast(pullRequest(files))
    expect(diff.status).toBe(0)
    expect(diff.outputs).toMatchObject({ mode: 'diff', findings: '1' })
    expect(where(diff.sarif)).toEqual(['py-command-injection src/new.py'])
    expect(diff.summary).toContain('This change proposes its own `.semgrepignore`: adds src/')
    // A full scan of the same pull request: the checkout's ignore files are not read either.
    const full = await sast(pullRequest(files), { diff: 'false' })
    expect(full.outputs).toMatchObject({ mode: 'full', findings: '1' })
    // policy-source: head is the explicit opt-in to the change's own ignore file.
    const head = await sast(pullRequest(files), { 'policy-source': 'head' })
    expect(head.outputs).toMatchObject({ mode: 'diff', findings: '0' })
  }, 600_000)

  it('scans a pull request with a directory named .semgrepignore, and reports the flaw', async () => {
    const change = pullRequest({ 'src/new.py': FLAW }, ['.semgrepignore'])
    const run = await sast(change)
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.outputs).toMatchObject({ mode: 'diff', findings: '1' })
    expect(run.summary).toMatch(/proposes its own `.semgrepignore`: it cannot be read \(.*not a regular file/)
    expect((await gate(change)).outputs.outcome).toBe('fail-findings')
  }, 600_000)

  it('fails a push whose .semgrepignore is a directory, and the gate reads the scan as broken', async () => {
    const change = pullRequest({ 'src/new.py': FLAW }, ['.semgrepignore'])
    const push = { ...change, event: { name: 'push', payload: {} } }
    const run = await sast(push)
    expect(run.status).toBe(1)
    expect(run.stdout).toContain('::error::Ignore file .semgrepignore is not a regular file.')
    expect(run.sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(false)
    const verdict = await gate(push)
    expect(verdict.outputs.outcome).toBe('fail-broken-input')
  }, 600_000)

  it('keeps a nosemgrep-suppressed flaw in the SARIF, marked in source, for the gate to judge', async () => {
    const change = pullRequest({ 'src/new.py': FLAW.replace('+ arg)', '+ arg)  # nosemgrep') })
    const run = await sast(change)
    expect(run.outputs).toMatchObject({ mode: 'diff', findings: '0' })
    expect(run.sarif.runs[0]!.results.map(r => [r.ruleId, r.suppressions])).toEqual([
      ['py-command-injection', [{ kind: 'inSource', justification: 'nosemgrep' }]]
    ])
    // The pull request added the suppression itself: it counts until merged (reviewed, the default).
    expect((await gate(change)).outputs).toMatchObject({ outcome: 'fail-findings', suppressed: '0' })
    expect((await gate(change, { 'in-source-suppressions': 'honour' })).outputs.suppressed).toBe('1')
  }, 600_000)
})
