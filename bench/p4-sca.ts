// P4: the sca action (its bundle, default inputs plus the offline database) against bare osv-scanner
// on the same 25 lockfiles (../shared/fixtures/lockfiles) with the same offline database built from
// the real GitHub advisories, side by side. Goal: ≤ 1.15× the bare tool's wall time. Also a pull
// request that touches no lockfile against the full scan of the same checkout.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildOsvDb, readRecordFiles } from '../packages/core/src/sca/osv-db.js'
import { pullRequestCheckout } from '../test/support/pull-request-checkout.js'
import { parseCommandFile } from '../test/support/run-bundle.js'
import { ADVISORIES, EMPTY_ECOSYSTEMS, OSV_SCANNER } from '../test/support/sca.js'
import { sharedFixture } from '../test/support/shared-path.js'
import { defaultInputs } from './p2-gate.js'
import { formatTable, measure, runOnce, type BenchModule, type CommandSpec } from './measure.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const LOCKFILES = 25
/** The 25 fixtures hold 26 dependency files: requirements-example also has the other-requirements.txt it includes. */
export const DEPENDENCY_FILES = 26

/** Every file of the lockfile fixtures but their notes, by repository path (read in place). */
function lockfileTree(): Record<string, string> {
  const root = sharedFixture('lockfiles')
  const files: Record<string, string> = {}
  const visit = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name
      if (entry.isDirectory()) visit(rel)
      else if (dir.includes('/') && entry.name !== 'EXPECTED.md')
        files[rel] = readFileSync(path.join(root, rel), 'utf8')
    }
  }
  visit('')
  return files
}

/**
 * The vulnerabilities bare osv-scanner reports (one per package and group; its JSON lists only the
 * sources with one) and the dependency files it says on stderr it scanned.
 */
function bareCounts(stdout: string, stderr: string): { sources: number; vulnerabilities: number } {
  const report = JSON.parse(stdout) as { results?: { packages?: { groups?: unknown[] }[] }[] }
  const scanned = new Set(
    [...stderr.matchAll(/^Scanned (\S+) file and found \d+ packages?$/gm)].map(m => m[1])
  )
  return {
    sources: scanned.size,
    vulnerabilities: (report.results ?? []).reduce(
      (n, r) => n + (r.packages ?? []).reduce((m, p) => m + (p.groups?.length ?? 0), 0),
      0
    )
  }
}

const p4: BenchModule = {
  title: `P4: sca bundle vs bare osv-scanner, ${LOCKFILES} lockfiles, same offline database; a PR touching no lockfile`,
  async run({ runs, log }) {
    const bundle = path.join(ROOT, 'dist', 'sca', 'index.js')
    const scratch = mkdtempSync(path.join(tmpdir(), 'sp-bench-p4-'))
    try {
      const db = path.join(scratch, 'osv-db')
      buildOsvDb(readRecordFiles(ADVISORIES), db, { ecosystems: EMPTY_ECOSYSTEMS })
      // One checkout serves every side: main holds the lockfiles, the PR branch edits only a README.
      const pr = pullRequestCheckout({
        base: { ...lockfileTree(), 'README.md': '# lockfiles\n' },
        change: { 'README.md': '# lockfiles, documented\n' }
      })
      const ws = pr.workspace
      const files = {
        output: path.join(scratch, 'output'),
        summary: path.join(scratch, 'summary'),
        push: path.join(scratch, 'push.json'),
        pr: path.join(scratch, 'pr.json')
      }
      writeFileSync(files.push, '{}')
      writeFileSync(files.pr, JSON.stringify(pr.event.payload))
      const runner: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_WORKSPACE: ws,
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
        RUNNER_TEMP: scratch
      }
      const action: NodeJS.ProcessEnv = {
        ...runner,
        ...defaultInputs(path.join(ROOT, 'actions', 'sca', 'action.yml')),
        'INPUT_OFFLINE-DB': db,
        SECURE_PIPELINE_OSV_SCANNER_PATH: OSV_SCANNER
      }
      const reset = () => {
        writeFileSync(files.output, '')
        writeFileSync(files.summary, '')
        rmSync(path.join(ws, 'secure-pipeline'), { recursive: true, force: true })
      }
      const specs: CommandSpec[] = [
        {
          label: 'bare osv-scanner -r, offline',
          command: OSV_SCANNER,
          args: [
            'scan',
            'source',
            '-r',
            '--offline-vulnerabilities',
            '--no-resolve',
            '--format',
            'json',
            '.'
          ],
          env: { ...runner, OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY: db },
          cwd: ws,
          timeoutMs: 300_000
        },
        {
          label: 'sca bundle, push (full scan)',
          command: process.execPath,
          args: [bundle],
          env: {
            ...action,
            GITHUB_EVENT_NAME: 'push',
            GITHUB_EVENT_PATH: files.push,
            GITHUB_SHA: pr.headSha
          },
          cwd: ws,
          timeoutMs: 300_000,
          reset
        },
        {
          label: 'sca bundle, PR touching no lockfile',
          command: process.execPath,
          args: [bundle],
          env: { ...action, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: files.pr, ...pr.env },
          cwd: ws,
          timeoutMs: 300_000,
          reset
        }
      ]

      // Checked runs first: no figure unless each side did the work it is measured for.
      const bare = runOnce(specs[0]!)
      const counts = bareCounts(bare.stdout, bare.stderr)
      const expectedExit = counts.vulnerabilities > 0 ? 1 : 0
      if (bare.exitCode !== expectedExit || counts.sources !== DEPENDENCY_FILES)
        throw new Error(
          `bare osv-scanner: exit ${bare.exitCode}, ${counts.sources} source(s); expected exit ${expectedExit} and ${DEPENDENCY_FILES}\n${bare.stderr.slice(-1500)}`
        )
      const checked = (spec: CommandSpec) => {
        spec.reset?.()
        const sample = runOnce(spec)
        return { sample, outputs: parseCommandFile(readFileSync(files.output, 'utf8')) }
      }
      const full = checked(specs[1]!)
      const scanned = /finding\(s\) in (\d+) dependency file\(s\)/.exec(full.sample.stdout)?.[1]
      if (
        full.sample.exitCode !== 0 ||
        full.outputs.mode !== 'full' ||
        scanned !== String(DEPENDENCY_FILES) ||
        full.outputs.findings !== String(counts.vulnerabilities)
      )
        throw new Error(
          `sca full scan: exit ${full.sample.exitCode}, mode ${full.outputs.mode}, ${scanned} file(s), ${full.outputs.findings} finding(s); expected 0, full, ${DEPENDENCY_FILES}, ${counts.vulnerabilities}\n${full.sample.stdout.slice(-1500)}`
        )
      const sbom = JSON.parse(readFileSync(path.join(ws, 'secure-pipeline', 'sca.cdx.json'), 'utf8')) as {
        components?: unknown[]
      }
      if (!sbom.components?.length) throw new Error('sca full scan: the SBOM lists no component')
      const skip = checked(specs[2]!)
      if (skip.sample.exitCode !== 0 || skip.outputs.mode !== 'skip')
        throw new Error(
          `sca on the PR: exit ${skip.sample.exitCode}, mode ${skip.outputs.mode}; expected 0, skip\n${skip.sample.stdout.slice(-1500)}`
        )
      log(
        `checked: both read the ${DEPENDENCY_FILES} dependency files and report ${counts.vulnerabilities} vulnerabilit(ies), the SBOM ${sbom.components.length} components; the PR run skips; database ${(statSync(path.join(db, 'osv-scalibr', 'npm', 'all.zip')).size / 1024).toFixed(0)} KiB for npm`
      )

      const n = Math.min(runs, 10)
      const [bareM, fullM, skipM] = measure(specs, n)
      if (!bareM || !fullM || !skipM) return ['nothing measured']
      const ms = (v: number) => v.toFixed(0)
      const mb = (kb?: number) => (kb === undefined ? 'n/a' : (kb / 1024).toFixed(0))
      const row = (m: typeof bareM) => [
        m.label,
        String(m.samples.length),
        ms(m.wallMs.median),
        ms(m.wallMs.p90),
        mb(m.peakRssKb?.median),
        m.exitCodes.join(',')
      ]
      const ratio = fullM.wallMs.median / bareM.wallMs.median
      return [
        ...formatTable(
          ['command', 'runs', 'median ms', 'p90 ms', 'peak RSS MB', 'exit'],
          [row(bareM), row(fullM), row(skipM)]
        ),
        '',
        `sca full scan / bare osv-scanner (medians): ${ratio.toFixed(2)}× (goal ≤ 1.15×: ${ratio <= 1.15 ? 'met' : 'NOT met'})`,
        `PR touching no lockfile / full scan (medians): ${(skipM.wallMs.median / fullM.wallMs.median).toFixed(2)}× (${ms(skipM.wallMs.median)} ms vs ${ms(fullM.wallMs.median)} ms)`,
        'The action also writes the SARIF, the CycloneDX SBOM (osv-scanner --all-packages) and the job summary; its binary is pre-provisioned here (on runners the cached release is re-verified by sha256).'
      ]
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }
}

export default p4
