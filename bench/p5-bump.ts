// P5: bump-manifest-pr on a generated manifests repository of 5,000 files (raw Deployments, kustomizations
// and Helm values of 5,000 services), through the OpenAPI-validating GitHub API double, with the action's
// default inputs (paths, strategy auto, one branch, signed API commit). Two figures:
//  - the time to find and edit (read GitHub's archive of the base, parse what can name the image, edit,
//    re-parse and check every edit), goal ≤ 1 s;
//  - the API requests a run makes, counted by the double, on 500 and 5,000 files with 1, 10 and 50 files to
//    change: they must grow with the changed files and not with the size of the repository.
import type { ActionsContext } from '../packages/core/src/github/context.js'
import { bumpGitHub } from '../packages/core/src/manifests/github-port.js'
import type { BumpResult } from '../packages/core/src/manifests/options.js'
import { runBump } from '../packages/core/src/manifests/run-bump.js'
import { JobSummary } from '../packages/core/src/runtime/job-summary.js'
import { memoryLogger } from '../packages/core/src/runtime/logger.js'
import {
  startGitHubApiDouble,
  type DoubleRepo,
  type GitHubApiDouble
} from '../test/support/github-api-double.js'
import { defaultBumpOptions } from '../test/support/bump.js'
import { formatTable, stats, type BenchModule } from './measure.js'

export const FILES = 5000
const IMAGE = 'ghcr.io/octo-org/payments'
const DIGEST = `sha256:${'5e'.repeat(32)}`

/** File `i` of the repository; the first `changed` Deployments run the image the bump pins. */
function manifest(i: number, changed: number): [string, string] {
  const service = `svc-${i}`
  const image = i < changed * 3 && i % 3 === 0 ? IMAGE : `ghcr.io/octo-org/${service}`
  switch (i % 3) {
    case 0:
      return [
        `apps/${service}/deployment.yaml`,
        `# ${service}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${service}\n  labels: {app: ${service}}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: ${service}}\n  template:\n    metadata:\n      labels: {app: ${service}}\n    spec:\n      containers:\n        - name: main\n          image: "${image}:1.2.0" # pinned by CI\n          resources:\n            limits: {cpu: 500m, memory: 256Mi}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${service}\nspec:\n  ports:\n    - port: 80\n      targetPort: 8080\n`
      ]
    case 1:
      return [
        `apps/${service}/kustomization.yaml`,
        `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../svc-${i - 1}\nimages:\n  - name: ghcr.io/octo-org/${service}\n    newTag: "2.0.${i}"\n`
      ]
    default:
      return [
        `charts/${service}/values.yaml`,
        `replicaCount: 1\nimage:\n  repository: ghcr.io/octo-org/${service}\n  tag: "3.1.${i}"\n  pullPolicy: IfNotPresent\nservice:\n  type: ClusterIP\n  port: 80\n`
      ]
  }
}

function seed(api: GitHubApiDouble, name: string, files: number, changed: number): DoubleRepo {
  const repo = api.repo('octo-org', name)
  repo.seedCommit(Object.fromEntries(Array.from({ length: files }, (_, i) => manifest(i, changed))))
  return repo
}

const context: ActionsContext = {
  eventName: 'push',
  repo: { owner: 'octo-org', repo: 'payments' },
  sha: 'c'.repeat(40),
  ref: 'refs/heads/main',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  runId: '5',
  payload: {}
}

async function bump(api: GitHubApiDouble, repo: string): Promise<{ result: BumpResult; requests: number }> {
  const logger = memoryLogger()
  const before = api.requests.length
  const options = defaultBumpOptions({ image: IMAGE, tag: '1.3.0', digest: DIGEST }, process.cwd(), {
    repository: { owner: 'octo-org', repo },
    diffFile: 'out/bench-p5/bump.diff'
  })
  const result = await runBump(options, {
    logger,
    summary: new JobSummary(),
    context,
    gitData: bumpGitHub({
      token: 'ghs_bench',
      tokenInput: 'token',
      env: {},
      logger,
      octokit: { baseUrl: api.url, retries: 0 }
    })
  })
  return { result, requests: api.requests.length - before }
}

/** No figure unless the run did what it must: one new pull request, each changed file's one value set. */
function check(result: BumpResult, repo: DoubleRepo, changed: number): void {
  const values = result.plan.edits.flatMap(e => e.changes)
  if (result.operation !== 'created' || result.plan.edits.length !== changed || values.length !== changed)
    throw new Error(
      `P5: operation ${result.operation}, ${result.plan.edits.length} file(s), ${values.length} value(s); expected created, ${changed} and ${changed}`
    )
  if (!values.every(v => v.to === `${IMAGE}:1.3.0@${DIGEST}` && v.from === `${IMAGE}:1.2.0`))
    throw new Error(
      `P5: a value was set wrongly: ${JSON.stringify(values.find(v => v.to !== `${IMAGE}:1.3.0@${DIGEST}`))}`
    )
  if (!result.commit?.verified || repo.pulls.get(result.pullRequest!.number)?.state !== 'open')
    throw new Error('P5: the commit is not signed or the pull request is not open')
}

/** Back to the base alone: the bump branch and its pull request removed, so the next run starts afresh. */
function reset(repo: DoubleRepo, result: BumpResult): void {
  repo.refs.delete(`refs/heads/${result.branch}`)
  repo.pulls.get(result.pullRequest!.number)!.state = 'closed'
}

const p5: BenchModule = {
  title: `P5: bump-manifest-pr on a ${FILES}-file manifests repository (find + edit time, API requests)`,
  async run({ runs, log }) {
    const api = await startGitHubApiDouble()
    try {
      const started = performance.now()
      const big = seed(api, 'manifests', FILES, 10)
      log(
        `generated ${FILES} manifests in the API double in ${((performance.now() - started) / 1000).toFixed(1)} s`
      )
      log('warm-up: one run (schema compilation in the double, first parse)')
      const warm = await bump(api, 'manifests')
      check(warm.result, big, 10)
      reset(big, warm.result)
      const times: number[] = []
      for (let i = 0; i < runs; i++) {
        const { result } = await bump(api, 'manifests')
        check(result, big, 10)
        times.push(result.findEditMs)
        reset(big, result)
      }
      const t = stats(times)
      const ms = (value: number) => `${value.toFixed(0)} ms`

      const rows: string[][] = []
      const counts = new Map<string, number>()
      for (const files of [500, FILES])
        for (const changed of [1, 10, 50]) {
          const name = `scale-${files}-${changed}`
          const repo = seed(api, name, files, changed)
          const { result, requests } = await bump(api, name)
          check(result, repo, changed)
          counts.set(`${files}/${changed}`, requests)
          rows.push([
            String(files),
            String(changed),
            String(result.plan.filesSeen),
            String(result.plan.filesParsed),
            String(requests)
          ])
        }
      const sizeFree = [1, 10, 50].every(c => counts.get(`500/${c}`) === counts.get(`${FILES}/${c}`))
      const grows =
        counts.get(`${FILES}/1`)! < counts.get(`${FILES}/10`)! &&
        counts.get(`${FILES}/10`)! < counts.get(`${FILES}/50`)!
      return [
        ...formatTable(
          ['find + edit', 'runs', 'files', 'parsed', 'edited', 'median', 'p90', 'min', 'max'],
          [
            [
              '10 Deployments of 5,000 files',
              String(runs),
              String(FILES),
              String(warm.result.plan.filesParsed),
              '10',
              ms(t.median),
              ms(t.p90),
              ms(t.min),
              ms(t.max)
            ]
          ]
        ),
        '',
        `find + edit median ${ms(t.median)} (goal ≤ 1 s: ${t.median <= 1000 ? 'met' : 'NOT met'})`,
        '',
        ...formatTable(
          ['repository files', 'files changed', 'files seen', 'files parsed', 'API requests'],
          rows
        ),
        '',
        `API requests independent of repository size (500 vs ${FILES} files): ${sizeFree ? 'yes' : 'NO'}; growing with the files changed: ${grows ? 'yes' : 'NO'}`
      ]
    } finally {
      await api.close()
    }
  }
}

export default p5
