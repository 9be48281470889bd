import { describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeFiles } from '../../../../test/support/git-repo.js'
import { pullRequestCheckout } from '../../../../test/support/pull-request-checkout.js'
import { advisoryDb, scaOptions } from '../../../../test/support/sca.js'
import { parseSarif } from '../findings/sarif/read.js'
import { buildActionsContext, type ActionsContext } from '../github/context.js'
import { ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { runSca } from './run-sca.js'
import { renderScaSummary } from './summary.js'

// The real pinned osv-scanner, offline, against the real GitHub advisories: a package.json names lodash
// (vulnerable below 4.17.21) with no lockfile beside it, so the engine reads nothing of it.

const db = advisoryDb()
const push = buildActionsContext(
  { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_SHA: 'a'.repeat(40) },
  {}
)
const UNLOCKED = JSON.stringify({ name: 'app', dependencies: { lodash: '^4.17.0' } })

async function scan(workspace: string, context: ActionsContext) {
  const result = await runSca(scaOptions(workspace, db), {
    logger: memoryLogger(),
    context,
    env: { ...process.env, RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'sca-runner-')) }
  })
  const invocation = result.sarif.runs[0]!.invocations![0]!
  return {
    result,
    succeeded: invocation.executionSuccessful,
    notifications: (invocation.toolExecutionNotifications ?? []).map(n => `${n.level}: ${n.message.text}`),
    // What the gate reads of the report: only an error-level problem makes it a broken input.
    gateErrors: parseSarif(JSON.stringify(result.sarif), 'sca.sarif').problems.filter(
      p => p.level === 'error'
    ),
    summary: renderScaSummary(result, { sarif: 'sca.sarif', sbom: 'sca.cdx.json' })
  }
}

describe('manifests without a lockfile, with the real osv-scanner', () => {
  it('reports a package.json with dependencies and no lockfile as not scanned, a warning in SARIF and summary', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'sca-unlocked-'))
    writeFiles(workspace, {
      'app/package.json': UNLOCKED,
      'tools/package.json': JSON.stringify({ private: true, scripts: { lint: 'eslint .' } }),
      'api/requirements.txt': 'pyyaml==5.3.1\n'
    })
    const { result, succeeded, notifications, gateErrors, summary } = await scan(workspace, push)
    // The gap itself: the engine lists nothing of app/package.json, and the lockfile beside it is scanned.
    expect(result.lockfiles).toEqual(['api/requirements.txt'])
    expect(result.reported.map(f => `${f.package?.name} ${f.ruleId}`)).toEqual(['pyyaml GHSA-8q59-q68h-6hv4'])
    expect(result.notScanned).toEqual([
      {
        file: 'app/package.json',
        level: 'warning',
        reason: expect.stringContaining('`npm install --package-lock-only`')
      }
    ])
    expect(notifications).toEqual([
      expect.stringMatching(
        /^warning: not scanned: app\/package\.json: it declares dependencies, but the scan has no package-lock\.json/
      )
    ])
    // A warning: the report stays complete for the gate, which does not fail on it.
    expect(succeeded).toBe(true)
    expect(gateErrors).toEqual([])
    expect(summary).toContain('### Not scanned: manifests without a lockfile')
    expect(summary).toContain('- `app/package.json`: it declares dependencies')
    expect(summary).not.toContain('tools/package.json')
  }, 120_000)

  it('reports a package the root lockfile does not include: the engine reads none of its dependencies', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'sca-workspace-'))
    writeFiles(workspace, {
      'package.json': JSON.stringify({ name: 'root', workspaces: ['packages/a'] }),
      'package-lock.json': JSON.stringify({
        name: 'root',
        lockfileVersion: 3,
        packages: {
          '': { name: 'root', workspaces: ['packages/a'] },
          'node_modules/a': { resolved: 'packages/a', link: true },
          'node_modules/lodash': { version: '4.17.11' },
          'packages/a': { name: 'a', dependencies: { lodash: '4.17.11' } }
        }
      }),
      'packages/a/package.json': JSON.stringify({ name: 'a', dependencies: { lodash: '4.17.11' } }),
      // Not a workspace member: minimist (vulnerable below 1.2.6) is in no lockfile.
      'tools/release/package.json': JSON.stringify({ name: 'release', dependencies: { minimist: '1.2.5' } })
    })
    const { result, succeeded, notifications } = await scan(workspace, push)
    expect(result.lockfiles).toEqual(['package-lock.json'])
    // The member (and its lodash) is read from the root lockfile; nothing of tools/release is.
    expect(result.sbom?.components.map(c => c.name).sort()).toEqual(['a', 'lodash'])
    expect(result.reported.map(f => `${f.package?.name} ${f.ruleId}`).sort()).toEqual([
      'lodash GHSA-jf85-cpcp-j695',
      'lodash GHSA-p6mc-m468-83gw'
    ])
    expect(result.notScanned).toEqual([
      {
        file: 'tools/release/package.json',
        level: 'warning',
        reason: expect.stringContaining(
          'the package-lock.json above it does not include it (it is not a member of that workspace)'
        )
      }
    ])
    expect(notifications).toEqual([
      expect.stringMatching(
        /^warning: not scanned: tools\/release\/package\.json: it declares dependencies, but /
      )
    ])
    expect(succeeded).toBe(true)
  }, 120_000)

  describe('on a pull request', () => {
    const ctx = (pr: ReturnType<typeof pullRequestCheckout>) =>
      buildActionsContext(
        { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'octo-org/octo-repo', ...pr.env },
        pr.event.payload as Record<string, unknown>
      )

    it('reports the manifest the change writes without a lockfile, not one the merge-base had already', async () => {
      const pr = pullRequestCheckout({
        base: { 'old/package.json': UNLOCKED, 'README.md': '# x\n' },
        // A name the markdown must not take as code or a link.
        change: { 'new/`x`[y](z)/package.json': UNLOCKED }
      })
      const { result, succeeded, notifications, summary } = await scan(pr.workspace, ctx(pr))
      // No dependency file changed: nothing is scanned, but the manifest is still reported.
      expect(result.mode.kind).toBe('skip')
      expect(result.notScanned.map(n => `${n.level} ${n.file}`)).toEqual([
        'warning new/`x`[y](z)/package.json'
      ])
      expect(notifications).toEqual([
        expect.stringMatching(/^warning: not scanned: new\/`x`\[y\]\(z\)\/package\.json: /)
      ])
      expect(succeeded).toBe(true)
      expect(summary).toContain('- ``new/`x`[y](z)/package.json``: it declares dependencies')
      expect(summary).not.toContain('old/package.json')
    }, 120_000)

    it('reports the manifest whose lockfile the change deletes or moves away, though it does not touch the manifest', async () => {
      const lock = JSON.stringify({
        name: 'app',
        lockfileVersion: 3,
        packages: {
          '': { dependencies: { lodash: '^4.17.0' } },
          'node_modules/lodash': { version: '4.17.20' }
        }
      })
      const base = {
        'app/package.json': UNLOCKED,
        'app/package-lock.json': lock,
        'web/package.json': UNLOCKED,
        'web/package-lock.json': lock,
        'kept/package.json': UNLOCKED,
        'kept/package-lock.json': lock
      }
      const deleted = pullRequestCheckout({
        base,
        change: { 'README.md': '# x\n' },
        remove: ['app/package-lock.json']
      })
      const gone = await scan(deleted.workspace, ctx(deleted))
      // The change writes no dependency file: nothing is scanned, and the manifest left unlocked is said.
      expect(gone.result.mode.kind).toBe('skip')
      expect(gone.result.notScanned.map(n => `${n.level} ${n.file}`)).toEqual(['warning app/package.json'])
      expect(gone.summary).toContain('- `app/package.json`: it declares dependencies')

      const moved = pullRequestCheckout({
        base,
        change: { 'archive/web/package-lock.json': lock },
        remove: ['web/package-lock.json']
      })
      const away = await scan(moved.workspace, ctx(moved))
      expect(away.result.mode.kind).toBe('diff')
      expect(away.result.notScanned.map(n => `${n.level} ${n.file}`)).toEqual(['warning web/package.json'])
    }, 120_000)

    it('refuses a bad exclude pattern by its input name, also when the change writes only a manifest', async () => {
      const pr = pullRequestCheckout({
        base: { 'README.md': '# x\n' },
        change: { 'app/package.json': UNLOCKED }
      })
      const run = runSca(scaOptions(pr.workspace, db, { exclude: ['../vendor/**'] }), {
        logger: memoryLogger(),
        context: ctx(pr),
        env: { ...process.env, RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'sca-runner-')) }
      })
      // The glob matcher's own error named no input, and was not taken for the user's mistake.
      await expect(run).rejects.toThrow(
        new ConfigurationError(
          "Input 'exclude': pattern '../vendor/**' leaves the workspace; use a path relative to the repository without '..'."
        )
      )
      await expect(run).rejects.toBeInstanceOf(ConfigurationError)
    }, 120_000)

    it('on a change scan too, only the manifests the change writes: those the merge-base had are left to full scans', async () => {
      const pr = pullRequestCheckout({
        base: { 'old/package.json': UNLOCKED, 'api/requirements.txt': 'requests==2.31.0\n' },
        change: {
          'api/requirements.txt': 'requests==2.32.3\n',
          'web/Cargo.toml': '[package]\nname = "web"\n[dependencies]\nserde = "1"\n'
        }
      })
      const { result, succeeded, notifications, summary } = await scan(pr.workspace, ctx(pr))
      expect(result.mode.kind).toBe('diff')
      expect(result.notScanned.map(n => `${n.level} ${n.file}`)).toEqual(['warning web/Cargo.toml'])
      expect(notifications).toEqual([
        expect.stringContaining(
          'warning: not scanned: web/Cargo.toml: it declares dependencies, but the scan has no Cargo.lock'
        )
      ])
      expect(succeeded).toBe(true)
      expect(summary).toContain('cargo generate-lockfile')
      expect(summary).not.toContain('old/package.json')
    }, 120_000)
  })
})
