// k8s-policy under an org-required workflow: the policy is read from a central repository through the
// contents API (the loopback double, which checks every request against GitHub's description).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeFiles } from '../support/git-repo.js'
import { startGitHubApiDouble, type GitHubApiDouble } from '../support/github-api-double.js'
import { pullRequestCheckout } from '../support/pull-request-checkout.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'

// Each run starts a bundle; the double's first request compiles validators from GitHub's description.
jest.setTimeout(60_000)

const TOKEN = 'ghs_CENTRALSENTINEL0123456789abcdef'
const HOST_PID_POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: root-shell}',
  'spec:',
  '  hostPID: true',
  '  containers:',
  '    - name: shell',
  '      image: ghcr.io/acme/shell:1.0',
  '      securityContext: {privileged: true}',
  ''
].join('\n')
/** What the central repository holds, by `repo@ref:path`. */
const CENTRAL: Record<string, string> = {
  'policies@v3:pipeline/secure-pipeline.yml':
    'k8s-policy:\n  rules:\n    privileged-container: on\n    pss-host-namespaces: off\n'
}
/** The repository's own policy, in the base and in the pull request: it must decide nothing. */
const OWN = 'k8s-policy:\n  rules:\n    privileged-container: off\n    pss-privileged: off\n'

const CENTRAL_INPUTS = {
  'policy-repository': 'octo-org/policies',
  'policy-ref': 'v3',
  token: TOKEN
}

const resultsOf = (ws: string) =>
  (
    JSON.parse(readFileSync(path.join(ws, 'secure-pipeline/k8s-policy.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string }[]; invocations: { executionSuccessful: boolean }[] }[]
    }
  ).runs[0]!

describe.each(nodeRuntimes())(
  'k8s-policy with a central policy (policy-repository), on $label',
  ({ node }) => {
    let api: GitHubApiDouble
    const workspaces: string[] = []
    beforeAll(async () => {
      api = await startGitHubApiDouble({ token: TOKEN })
      api.on('repos/get-content', req => {
        const { owner, repo, path: file } = req.pathParams
        const text = owner === 'octo-org' ? CENTRAL[`${repo}@${req.query.ref ?? 'main'}:${file}`] : undefined
        if (text === undefined) return { status: 404, body: { message: 'Not Found' } }
        return {
          status: 200,
          body: {
            type: 'file',
            encoding: 'base64',
            size: text.length,
            name: path.posix.basename(file!),
            path: file,
            content: Buffer.from(text).toString('base64'),
            sha: 'c'.repeat(40)
          }
        }
      })
    })
    afterAll(async () => {
      await api.close()
      for (const ws of workspaces) rmSync(ws, { recursive: true, force: true })
    })

    it("decides which rules run on a pull request, whatever the repository's own policy file says", async () => {
      const checkout = pullRequestCheckout({
        base: { '.github/secure-pipeline.yml': OWN },
        change: { '.github/secure-pipeline.yml': OWN, 'deploy/pod.yaml': HOST_PID_POD }
      })
      workspaces.push(path.dirname(checkout.workspace))
      const r = await runBundle('k8s-policy', {
        node,
        workspace: checkout.workspace,
        event: checkout.event,
        inputs: {
          ...CENTRAL_INPUTS,
          policy: 'pipeline/secure-pipeline.yml',
          paths: 'deploy/**',
          rules: 'seed, pss-baseline',
          'fail-on-violations': 'false'
        },
        env: { ...checkout.env, GITHUB_API_URL: api.url }
      })
      expect(r.stdout).not.toMatch(/^::error::/m)
      expect(r.status).toBe(0)
      const ruleIds = resultsOf(checkout.workspace).results.map(x => x.ruleId)
      // On although the repository's own file turns them off; off because the central policy says so.
      expect(ruleIds).toEqual(expect.arrayContaining(['privileged-container', 'pss-privileged']))
      expect(ruleIds).not.toContain('pss-host-namespaces')
      expect(r.summary).toContain('(`policy-repository`); it decides whatever this repository')
      expect(r.summary).not.toContain('proposes another version')
      const reads = api.requestsFor('repos/get-content')
      expect(reads).toHaveLength(1)
      expect(reads[0]).toMatchObject({
        path: '/repos/octo-org/policies/contents/pipeline/secure-pipeline.yml',
        query: { ref: 'v3' },
        status: 200
      })
      // The token goes in the Authorization header (the double answers 401 without it), and into the log
      // only to register it as a secret, which the runner masks.
      const logged = `${r.stdout}${r.stderr}${r.summary}`.replace(`::add-mask::${TOKEN}\n`, '')
      expect(logged).not.toContain(TOKEN)
      expect(reads[0]!.headers.authorization).toMatch(new RegExp(`^(token|bearer) ${TOKEN}$`, 'i'))
      api.assertNoSpecViolations()
    })

    it('a central file that does not exist is a one-line error naming the inputs, and the SARIF says the run failed', async () => {
      // A repository without a policy file of its own, as most are under an org-required workflow.
      const ws = mkdtempSync(path.join(tmpdir(), 'k8s-central-'))
      workspaces.push(ws)
      writeFiles(ws, { 'deploy/pod.yaml': HOST_PID_POD })
      const r = await runBundle('k8s-policy', {
        node,
        workspace: ws,
        inputs: { ...CENTRAL_INPUTS, policy: 'secure-pipeline.yml', paths: 'deploy/**' },
        env: { GITHUB_API_URL: api.url }
      })
      expect(r.status).toBe(1)
      expect(r.stdout.split('\n').filter(line => line.startsWith('::error'))).toEqual([
        "::error::Input 'policy': the central policy octo-org/policies@v3:secure-pipeline.yml does not exist; check 'policy-repository', 'policy-ref' and 'policy'."
      ])
      expect(resultsOf(ws).invocations[0]!.executionSuccessful).toBe(false)
      expect(api.requestsFor('repos/get-content').at(-1)).toMatchObject({
        path: '/repos/octo-org/policies/contents/secure-pipeline.yml',
        status: 404
      })
      api.assertNoSpecViolations()
    })
  }
)
