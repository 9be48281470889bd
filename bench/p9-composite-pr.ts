// P9: the root composite (action.yml) on a pull request in P3's 5,000-file repository, 10 files changed
// and no dependency file touched, vs the SAST diff scan alone: the same composite harness running only
// the action's own Semgrep and SAST steps. Both over the committed bundles with the real pinned semgrep
// and osv-scanner on the Node runners use (node24), warm (one untimed run each first), interleaved. Goal: composite ≤ 1.6× SAST alone.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, stringify } from 'yaml'
import { runComposite, stepOf, type CompositeRun } from '../test/support/run-composite.js'
import { git } from '../test/support/git-repo.js'
import { runnerNode } from '../test/support/run-bundle.js'
import { toolPath } from '../test/support/tools-path.js'
import { formatTable, stats, type BenchModule } from './measure.js'
import { CHANGED, FILES, generateRepo, NEW_FLAW } from './p3-sast-diff.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const GOAL = 1.6

/** The root action.yml with only the steps SAST needs (the wheel-cache key, the cache, the scan). */
function sastOnlyAction(): string {
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    outputs?: unknown
    runs: { steps: { id?: string; uses?: string }[] }
  }
  action.runs.steps = action.runs.steps.filter(
    step => step.id === 'semgrep-lock' || step.id === 'sast' || step.uses?.startsWith('actions/cache@')
  )
  delete action.outputs
  const dir = mkdtempSync(path.join(tmpdir(), 'sp-bench-p9-action-'))
  writeFileSync(path.join(dir, 'action.yml'), stringify(action))
  // The same committed bundles, found where the runner finds them: under the action's folder.
  symlinkSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'))
  return dir
}

interface SarifResults {
  runs: {
    results: {
      ruleId: string
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]
    }[]
  }[]
}

/** Throws unless the run judged the change as the action must: only the new flaw, and SCA skipped. */
function check(kind: 'composite' | 'sast', run: CompositeRun, workspace: string): void {
  const sast = stepOf(run, 'sast')
  const sarif = JSON.parse(
    readFileSync(path.join(workspace, 'secure-pipeline', 'sast.sarif'), 'utf8')
  ) as SarifResults
  const found = sarif.runs.flatMap(r =>
    r.results.map(x => {
      const where = x.locations[0]!.physicalLocation
      return `${x.ruleId} ${where.artifactLocation.uri}:${where.region.startLine}`
    })
  )
  if (sast.outcome !== 'success' || JSON.stringify(found) !== JSON.stringify([NEW_FLAW]))
    throw new Error(`${kind}: the SAST step reported ${found.join(', ') || 'nothing'}, not only ${NEW_FLAW}`)
  if (kind === 'sast') return
  const sca = stepOf(run, 'sca')
  if (sca.outcome !== 'success' || sca.outputs.mode !== 'skip')
    throw new Error(`composite: SCA should skip a change with no dependency file: ${sca.stdout.slice(-800)}`)
  if (run.outputs.outcome !== 'fail-findings')
    throw new Error(`composite: outcome ${run.outputs.outcome}, expected fail-findings on the new flaw`)
}

/** "<action> finished in 1.2 s" / "… in 340 ms" from each step's log, in seconds. */
function stepSeconds(run: CompositeRun): Record<string, number> {
  const out: Record<string, number> = {}
  for (const step of run.steps) {
    const m = /finished in (?:(\d+) min )?([\d.]+) (s|ms)\s*$/m.exec(step.stdout)
    if (!m) continue
    out[step.id ?? step.name] = Number(m[1] ?? 0) * 60 + Number(m[2]) / (m[3] === 'ms' ? 1000 : 1)
  }
  return out
}

const p9: BenchModule = {
  title: `P9: the composite on a PR (${FILES} files, ${CHANGED} changed, no lockfile touched) vs SAST diff alone`,
  async run({ runs, log }) {
    const root = mkdtempSync(path.join(tmpdir(), 'sp-bench-p9-'))
    const sastOnly = sastOnlyAction()
    const cleanup = [root, sastOnly]
    try {
      // A lockfile on main that the PR does not touch: SCA has something it could scan, and must not.
      writeFileSync(path.join(root, 'requirements.txt'), 'requests==2.25.0\n')
      const { base, head } = generateRepo(root)
      // The base branch on an origin, as actions/checkout leaves it: main is the merge-base.
      const origin = mkdtempSync(path.join(tmpdir(), 'sp-bench-p9-origin-'))
      cleanup.push(origin)
      git(origin, 'init', '-q', '--bare')
      git(root, 'remote', 'add', 'origin', origin)
      git(root, 'push', '-q', 'origin', `${base}:refs/heads/main`)
      const options = {
        workspace: root,
        node: runnerNode().node,
        env: {
          SECURE_PIPELINE_SEMGREP_PATH: toolPath('semgrep'),
          SECURE_PIPELINE_OSV_SCANNER_PATH: toolPath('osv-scanner'),
          GITHUB_SHA: head,
          GITHUB_REF: 'refs/pull/1/merge',
          GITHUB_BASE_REF: 'main',
          GITHUB_HEAD_REF: 'feature'
        },
        event: {
          name: 'pull_request',
          payload: {
            pull_request: {
              number: 1,
              base: { ref: 'main', sha: base, repo: { full_name: 'octo-org/octo-repo' } },
              head: { ref: 'feature', sha: head, repo: { full_name: 'octo-org/octo-repo' } }
            },
            repository: { default_branch: 'main' }
          }
        }
      }
      // No comment and no upload: those are GitHub's time, not ours, and there is no GitHub here.
      const composite = () =>
        runComposite({ ...options, with: { upload: 'false', comment: 'false' } }).then(
          r => (check('composite', r, root), r)
        )
      const sast = () =>
        runComposite({ ...options, actionPath: sastOnly }).then(r => (check('sast', r, root), r))
      const timed = async (fn: () => Promise<CompositeRun>) => {
        const t0 = performance.now()
        const run = await fn()
        return { ms: performance.now() - t0, run }
      }
      log('warm-up: one run of each (page cache, semgrep’s first start)')
      await timed(sast)
      await timed(composite)
      const n = Math.min(runs, 5)
      const sastRuns: Awaited<ReturnType<typeof timed>>[] = []
      const compositeRuns: Awaited<ReturnType<typeof timed>>[] = []
      for (let i = 0; i < n; i++) {
        sastRuns.push(await timed(sast))
        compositeRuns.push(await timed(composite))
        log(
          `round ${i + 1}/${n}: sast ${(sastRuns[i]!.ms / 1000).toFixed(2)} s, composite ${(compositeRuns[i]!.ms / 1000).toFixed(2)} s`
        )
      }
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
      const row = (label: string, samples: { ms: number }[]) => {
        const st = stats(samples.map(x => x.ms))
        return [label, String(samples.length), s(st.median), s(st.p90), s(st.min), s(st.max)]
      }
      const ratio = stats(compositeRuns.map(r => r.ms)).median / stats(sastRuns.map(r => r.ms)).median
      // Where the composite's time goes, by each bundle's own "finished in", medians over the runs.
      const perStep = compositeRuns.map(r => stepSeconds(r.run))
      const names = Object.keys(perStep[0] ?? {})
      const profile = names.map(
        name => `${name} ${stats(perStep.map(p => (p[name] ?? 0) * 1000)).median.toFixed(0)} ms`
      )
      return [
        ...formatTable(
          ['run', 'runs', 'median', 'p90', 'min', 'max'],
          [
            row('SAST diff scan alone (sast step)', sastRuns),
            row('whole composite (sast, sca, gate)', compositeRuns)
          ]
        ),
        '',
        `inside the composite, each bundle's own time (median): ${profile.join(', ')}`,
        `checked in every run: SAST reported only ${NEW_FLAW}; SCA skipped (no dependency file changed); gate fail-findings`,
        `composite / SAST alone (medians): ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×: ${ratio <= GOAL ? 'met' : 'NOT met'})`
      ]
    } finally {
      for (const dir of cleanup) rmSync(dir, { recursive: true, force: true })
    }
  }
}

export default p9
