import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { git, writeFiles } from '../../../../test/support/git-repo.js'
import { pullRequestCheckout } from '../../../../test/support/pull-request-checkout.js'
import type { SarifLog } from '../findings/sarif/types.js'
import { buildActionsContext, type ActionsContext } from '../github/context.js'
import { BrokenInputError, ConfigurationError } from '../runtime/errors.js'
import { JobSummary } from '../runtime/job-summary.js'
import { memoryLogger } from '../runtime/logger.js'
import { LATEST_PSS_VERSION } from './rules/pss-version.js'
import type { ReadCentralFile } from '../policy-source/resolve.js'
import { runK8sPolicy, type K8sPolicyPorts, type K8sPolicyRunOptions } from './run.js'

const ROOT_POD =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: root}\nspec:\n  hostPID: true\n  containers:\n    - name: c\n      image: ghcr.io/acme/c:1\n      securityContext: {privileged: true}\n'
const BASE_POLICY = 'k8s-policy:\n  rules:\n    required-probes: off\n'
const PR_POLICY =
  'k8s-policy:\n  rules:\n    required-probes: off\n    privileged-container: off\n    pss-privileged: off\n    pss-host-namespaces: off\n'

function options(workspace: string, over: Partial<K8sPolicyRunOptions> = {}): K8sPolicyRunOptions {
  return {
    workspace,
    inputNames: {
      policy: 'policy',
      kustomizePath: 'kustomize-path',
      paths: 'paths',
      allowRemoteResources: 'allow-remote-resources',
      failOnUnchecked: 'fail-on-unchecked',
      rules: 'rules',
      allowedRegistries: 'allowed-registries',
      requireRequests: 'require-requests',
      requiredProbes: 'required-probes'
    },
    paths: ['deploy/**'],
    level: 'baseline',
    version: LATEST_PSS_VERSION,
    rules: ['seed', 'pss-baseline', 'probes'],
    allowedRegistries: [],
    requireDigest: false,
    requireRequests: false,
    requiredProbes: ['livenessProbe'],
    disallowedTags: ['latest'],
    exemptImages: [],
    kustomize: true,
    allowRemoteResources: false,
    policy: { file: '.github/secure-pipeline.yml', explicit: false, source: 'base' },
    failOnViolations: true,
    failOnUnchecked: false,
    sarifFile: 'secure-pipeline/k8s-policy.sarif',
    ...over
  }
}

async function runIn(
  workspace: string,
  context: ActionsContext,
  over: Partial<K8sPolicyRunOptions> = {},
  ports: Partial<K8sPolicyPorts> = {}
) {
  const logger = memoryLogger()
  const summary = new JobSummary()
  const written: SarifLog[] = []
  let kustomizeAsked = 0
  const result = await runK8sPolicy(options(workspace, over), {
    logger,
    summary,
    writeLine: line => void logger.lines.push(line),
    sarif: { write: log => void written.push(log) },
    context,
    kustomizeBinary: () => {
      kustomizeAsked++
      return Promise.reject(new Error('no kustomize in this test'))
    },
    ...ports
  })
  const ruleIds = [...new Set(result.report.violations.map(v => v.ruleId))].sort()
  return {
    result,
    ruleIds,
    log: logger.lines.join('\n'),
    summary: summary.render(),
    sarif: written,
    kustomizeAsked
  }
}

const push = buildActionsContext({ GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'o/r' }, {})

describe('on a pull request, the base version of the policy decides', () => {
  let workspace: string
  let pullRequest: ActionsContext
  beforeAll(() => {
    const checkout = pullRequestCheckout({
      base: { '.github/secure-pipeline.yml': BASE_POLICY, 'deploy/README.md': 'manifests\n' },
      change: { '.github/secure-pipeline.yml': PR_POLICY, 'deploy/root.yaml': ROOT_POD }
    })
    workspace = checkout.workspace
    pullRequest = buildActionsContext(
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
        GITHUB_SHA: checkout.headSha
      },
      checkout.event.payload as Record<string, unknown>
    )
  })
  afterAll(() => rmSync(path.dirname(workspace), { recursive: true, force: true }))

  it('a PR that turns rules off in its own policy does not turn them off for its own check', async () => {
    const { result, ruleIds, summary, log } = await runIn(workspace, pullRequest)
    expect(ruleIds).toEqual([
      'privileged-container',
      'pss-host-namespaces',
      'pss-privileged',
      'resource-limits'
    ])
    expect(result.failure).toMatch(/^4 Kubernetes policy violation\(s\)/)
    expect(summary).toContain(
      'Rule switches from .github/secure-pipeline.yml (merge-base ' // the origin names the commit
    )
    expect(summary).toContain(
      'Compared with the version that decides, it would turn off `privileged-container`, `pss-host-namespaces`, `pss-privileged`.'
    )
    expect(summary).toContain('> [!WARNING]')
    expect(log).toContain(
      "warning: The pull request's policy .github/secure-pipeline.yml (this pull request) would turn off privileged-container, pss-host-namespaces, pss-privileged"
    )
  })

  it("with 'policy-source: head' the PR's version decides", async () => {
    const { ruleIds, summary } = await runIn(workspace, pullRequest, {
      policy: { file: '.github/secure-pipeline.yml', explicit: false, source: 'head' }
    })
    expect(ruleIds).toEqual(['resource-limits'])
    expect(summary).toContain(
      'Rule switches from .github/secure-pipeline.yml (workspace) (`policy-source: head`).'
    )
    expect(summary).not.toContain('proposes another version')
  })

  it('a PR that turns .github into a link does not move the lookup off the base version', async () => {
    const github = path.join(workspace, '.github')
    renameSync(github, path.join(workspace, 'elsewhere'))
    symlinkSync('elsewhere', github)
    try {
      const { ruleIds } = await runIn(workspace, pullRequest)
      expect(ruleIds).toContain('privileged-container')
    } finally {
      rmSync(github)
      renameSync(path.join(workspace, 'elsewhere'), github)
    }
  })

  it('an invalid proposed policy is reported, and the base still decides', async () => {
    writeFiles(workspace, { '.github/secure-pipeline.yml': 'k8s-policy: {note: x}\n' })
    try {
      const { ruleIds, summary } = await runIn(workspace, pullRequest)
      expect(ruleIds).toContain('privileged-container')
      expect(summary).toMatch(/it is invalid: Policy file .*k8s-policy: Unrecognized key: "note"/)
    } finally {
      git(workspace, 'checkout', '--', '.github/secure-pipeline.yml')
    }
  })
})

describe('a central policy (policy-repository)', () => {
  const CENTRAL = {
    repository: { owner: 'octo-org', repo: 'policies' },
    ref: 'v3',
    inputNames: { repository: 'policy-repository', ref: 'policy-ref' }
  }
  const centralPolicy = (file = 'pipeline/secure-pipeline.yml') => ({
    file,
    explicit: true,
    source: 'base' as const,
    central: CENTRAL
  })
  /** The contents API as a map of `owner/repo@ref:path` → text; records what was read. */
  function centralRepository(files: Record<string, string>) {
    const reads: string[] = []
    const read: ReadCentralFile = async (repository, file, ref) => {
      const origin = `${repository.owner}/${repository.repo}${ref ? `@${ref}` : ''}:${file}`
      reads.push(origin)
      return { text: files[origin], origin }
    }
    return { read, reads }
  }
  let workspace: string
  let pullRequest: ActionsContext
  beforeAll(() => {
    const checkout = pullRequestCheckout({
      base: { '.github/secure-pipeline.yml': BASE_POLICY, 'deploy/README.md': 'manifests\n' },
      change: { '.github/secure-pipeline.yml': PR_POLICY, 'deploy/root.yaml': ROOT_POD }
    })
    workspace = checkout.workspace
    // No git history to read a merge-base from: a central policy needs none.
    rmSync(path.join(workspace, '.git'), { recursive: true, force: true })
    pullRequest = buildActionsContext(
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
        GITHUB_SHA: checkout.headSha
      },
      checkout.event.payload as Record<string, unknown>
    )
  })
  afterAll(() => rmSync(path.dirname(workspace), { recursive: true, force: true }))

  it("decides the rule switches whatever this repository's own policy file says, which is not read", async () => {
    const central = centralRepository({
      'octo-org/policies@v3:pipeline/secure-pipeline.yml':
        'k8s-policy:\n  rules:\n    pss-host-namespaces: off\n    required-probes: off\n'
    })
    const { ruleIds, summary, log } = await runIn(
      workspace,
      pullRequest,
      { policy: centralPolicy() },
      { readCentralFile: central.read }
    )
    // The PR's own file turns off privileged-container and pss-privileged: it does not decide.
    expect(ruleIds).toEqual(['privileged-container', 'pss-privileged', 'resource-limits'])
    expect(central.reads).toEqual(['octo-org/policies@v3:pipeline/secure-pipeline.yml'])
    // The summary escapes `@` (no mention) with a zero-width space.
    expect(summary).toMatch(
      /Rule switches and exceptions from the central policy octo-org\/policies@\u200b?v3:pipeline\/secure-pipeline\.yml \(`policy-repository`\); it decides whatever this repository's own policy file says, which is not read\./
    )
    expect(summary).not.toContain('proposes another version')
    expect(log).toContain(
      "The central policy octo-org/policies@v3:pipeline/secure-pipeline.yml decides; this repository's own policy file is not read."
    )
  })

  it("turns on a rule this repository's own policy file turns off, and its exceptions waive", async () => {
    const central = centralRepository({
      'octo-org/policies@v3:pipeline/secure-pipeline.yml':
        'k8s-policy:\n  rules:\n    required-probes: off\nexceptions:\n  - id: privileged-container\n    reason: node agent\n    owner: platform\n    expires: 2026-12-31\n'
    })
    const { result } = await runIn(
      workspace,
      pullRequest,
      { policy: centralPolicy() },
      { readCentralFile: central.read, now: () => new Date('2026-11-01T12:00:00Z') }
    )
    const ids = (vs: readonly { ruleId: string }[]) => [...new Set(vs.map(v => v.ruleId))].sort()
    expect(ids(result.report.violations)).toEqual([
      'privileged-container',
      'pss-host-namespaces',
      'pss-privileged',
      'resource-limits'
    ])
    expect(ids(result.counted)).toEqual(['pss-host-namespaces', 'pss-privileged', 'resource-limits'])
  })

  it('must exist, even at the default path, and is read with a token', async () => {
    const central = centralRepository({})
    await expect(
      runIn(
        workspace,
        pullRequest,
        { policy: centralPolicy('missing.yml') },
        { readCentralFile: central.read }
      )
    ).rejects.toThrow(
      "Input 'policy': the central policy octo-org/policies@v3:missing.yml does not exist; check 'policy-repository', 'policy-ref' and 'policy'."
    )
    await expect(
      runIn(
        workspace,
        pullRequest,
        { policy: { ...centralPolicy('.github/secure-pipeline.yml'), explicit: false } },
        { readCentralFile: central.read }
      )
    ).rejects.toThrow(/central policy octo-org\/policies@v3:\.github\/secure-pipeline\.yml does not exist/)
    await expect(runIn(workspace, pullRequest, { policy: centralPolicy() })).rejects.toThrow(
      /central policy octo-org\/policies is read with a token, and none was given/
    )
  })
})

describe('outside a pull request', () => {
  let workspace: string
  beforeAll(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'k8s-run-push-'))
    writeFiles(workspace, {
      'deploy/root.yaml': ROOT_POD,
      'deploy/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      'deploy/templates/pod.yaml': ROOT_POD
    })
  })
  afterAll(() => rmSync(workspace, { recursive: true, force: true }))

  it('the checkout decides, and an unknown key in the policy is a configuration error', async () => {
    writeFiles(workspace, { '.github/secure-pipeline.yml': 'k8s-policy: {note: x}\n' })
    try {
      const failed = runIn(workspace, push)
      await expect(failed).rejects.toThrow(ConfigurationError)
      await expect(failed).rejects.toThrow(/k8s-policy: Unrecognized key: "note"/)
    } finally {
      rmSync(path.join(workspace, '.github'), { recursive: true })
    }
  })

  it('lists unchecked files in the summary and the SARIF as warnings, and never asks for kustomize without a kustomization', async () => {
    const { result, summary, sarif, kustomizeAsked } = await runIn(workspace, push)
    expect(kustomizeAsked).toBe(0)
    expect(result.error).toBeUndefined()
    expect(result.report.unchecked).toEqual([
      { file: 'deploy/templates/pod.yaml', reason: 'Helm template of chart deploy; charts are not rendered' }
    ])
    expect(summary).toContain('1 file(s) matching `paths` were not checked')
    expect(summary).toContain(
      '| deploy/templates/pod.yaml | Helm template of chart deploy; charts are not rendered |'
    )
    const notifications = sarif[0]!.runs[0]!.invocations![0]!.toolExecutionNotifications
    expect(notifications).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: {
          text: 'not checked: deploy/templates/pod.yaml: Helm template of chart deploy; charts are not rendered'
        }
      })
    ])
    expect(sarif[0]!.runs[0]!.invocations![0]!.executionSuccessful).toBe(true)
  })

  it("fails the run on unchecked files with 'fail-on-unchecked', as an incomplete check", async () => {
    const { result, sarif } = await runIn(workspace, push, { failOnUnchecked: true })
    expect(result.error).toBeInstanceOf(BrokenInputError)
    expect(result.error?.message).toBe(
      "k8s-policy: 1 file(s) matching 'paths' were not checked and 'fail-on-unchecked' is true; first: deploy/templates/pod.yaml: Helm template of chart deploy; charts are not rendered"
    )
    const invocation = sarif[0]!.runs[0]!.invocations![0]!
    expect(invocation.executionSuccessful).toBe(false)
    expect(invocation.toolExecutionNotifications?.map(n => n.level)).toEqual(['error'])
  })
})

describe('an admission export inside the checked paths', () => {
  it('is written before the manifests are listed: a format dropped since the last export is removed, not read', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'k8s-run-export-'))
    writeFiles(workspace, {
      'deploy/root.yaml': ROOT_POD,
      // Committed by an earlier export with every format; this run exports VAP only.
      'deploy/admission/gatekeeper/policies.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: old}\n'
    })
    try {
      const { result } = await runIn(workspace, push, {
        export: {
          dir: path.join(workspace, 'deploy/admission'),
          shownDir: 'deploy/admission',
          formats: ['vap']
        }
      })
      expect(result.report.problems).toEqual([])
      expect(result.report.files).toEqual([
        'deploy/admission/validating-admission-policy/policies.yaml',
        'deploy/root.yaml'
      ])
      expect(existsSync(path.join(workspace, 'deploy/admission/gatekeeper/policies.yaml'))).toBe(false)
    } finally {
      rmSync(workspace, { recursive: true, force: true })
    }
  })
})

describe('kustomize and the admission export', () => {
  // An error path: the export fails (its folder is a committed link), so the stand-in kustomize
  // (/bin/true) only has to start.
  async function kustomizeAskedBeforeAFailedExport(exportDir: string) {
    const workspace = mkdtempSync(path.join(tmpdir(), 'k8s-run-order-'))
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'k8s-run-order-elsewhere-'))
    writeFiles(workspace, {
      'deploy/kustomization.yaml': 'resources: [root.yaml]\n',
      'deploy/root.yaml': ROOT_POD
    })
    symlinkSync(elsewhere, path.join(workspace, exportDir))
    let asked = 0
    try {
      const run = runIn(
        workspace,
        push,
        {
          export: { dir: path.join(workspace, exportDir, 'admission'), shownDir: exportDir, formats: ['vap'] }
        },
        {
          kustomizeBinary: () => {
            asked++
            return Promise.resolve('/bin/true')
          }
        }
      )
      await expect(run).rejects.toThrow(ConfigurationError)
      return asked
    } finally {
      rmSync(workspace, { recursive: true, force: true })
      rmSync(elsewhere, { recursive: true, force: true })
    }
  }

  it('kustomize starts before the export is written when the export could not change what it renders', async () => {
    expect(await kustomizeAskedBeforeAFailedExport('out')).toBe(1)
  })

  it('an export where the paths reach is written first, so kustomize waits for it', async () => {
    expect(await kustomizeAskedBeforeAFailedExport('deploy/out')).toBe(0)
  })
})

describe('exceptions of the policy file', () => {
  let workspace: string
  const namespaced = (namespace: string) =>
    ROOT_POD.replace('metadata: {name: root}', `metadata: {name: root, namespace: ${namespace}}`)
  beforeAll(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'k8s-run-exceptions-'))
    writeFiles(workspace, {
      'deploy/legacy.yaml': namespaced('legacy'),
      'deploy/shop.yaml': namespaced('shop'),
      '.github/secure-pipeline.yml':
        'exceptions:\n  - id: "*"\n    namespace: legacy\n    reason: being migrated\n    owner: platform\n    expires: 2026-12-31\n'
    })
  })
  afterAll(() => rmSync(workspace, { recursive: true, force: true }))

  const at = (day: string) =>
    runK8sPolicy(options(workspace), {
      logger: memoryLogger(),
      summary: new JobSummary(),
      writeLine: () => undefined,
      sarif: { write: () => undefined },
      context: push,
      kustomizeBinary: () => Promise.reject(new Error('no kustomize in this test')),
      now: () => new Date(`${day}T12:00:00Z`)
    })

  it('waives, as the gate does, the violations in the namespace an active exception names', async () => {
    const result = await at('2026-11-01')
    const where = (vs: readonly { namespace?: string }[]) => [...new Set(vs.map(v => v.namespace))]
    expect(where(result.report.violations)).toEqual(['legacy', 'shop'])
    expect(where(result.counted)).toEqual(['shop'])
    expect(result.failure).toMatch(/^\d+ Kubernetes policy violation\(s\) \(and \d+ waived by exceptions\)/)
  })

  it('refuses, as the gate does, a policy whose exception is dated past the horizon', async () => {
    // 2026-12-31 is 213 days after 2026-06-01; the default gate.max-exception-days is 90.
    await expect(at('2026-06-01')).rejects.toThrow(
      /exceptions\[0\] \(.*namespace legacy.*\) expires 2026-12-31: more than 90 days ahead/
    )
  })

  it('waives nothing once the exception has expired', async () => {
    const result = await at('2027-01-01')
    expect(result.counted).toEqual(result.report.violations)
  })
})

describe('a kustomize binary the pull request changed', () => {
  // A "kustomize" that renders nothing: run, the change's manifests would pass unchecked.
  const FAKE_KUSTOMIZE = '#!/bin/sh\ntouch ran\nexit 0\n'
  let checkout: ReturnType<typeof pullRequestCheckout>
  let pullRequest: ActionsContext
  beforeAll(() => {
    checkout = pullRequestCheckout({
      base: { 'deploy/README.md': 'manifests\n', 'tools/README.md': 'tools\n' },
      change: {
        'deploy/kustomization.yaml': 'resources: [root.yaml]\n',
        'deploy/root.yaml': ROOT_POD,
        'tools/kustomize': FAKE_KUSTOMIZE
      }
    })
    pullRequest = buildActionsContext(
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
        GITHUB_SHA: checkout.headSha
      },
      checkout.event.payload as Record<string, unknown>
    )
  })
  afterAll(() => rmSync(path.dirname(checkout.workspace), { recursive: true, force: true }))

  const refusal = (setting: string) =>
    `this pull_request changes tools/kustomize, which ${setting} (tools/kustomize) names: a change cannot bring the tool it is judged with`

  it("refuses it from 'kustomize-path' before anything renders, whatever the policy source", async () => {
    for (const source of ['base', 'head'] as const) {
      const failed = runIn(checkout.workspace, pullRequest, {
        kustomizePath: 'tools/kustomize',
        policy: { file: '.github/secure-pipeline.yml', explicit: false, source }
      })
      await expect(failed).rejects.toBeInstanceOf(BrokenInputError)
      await expect(failed).rejects.toThrow(refusal("input 'kustomize-path'"))
    }
    expect(existsSync(path.join(checkout.workspace, 'ran'))).toBe(false)
  })

  it('refuses it from SECURE_PIPELINE_KUSTOMIZE_PATH, which the installer honours as well', async () => {
    const failed = runIn(
      checkout.workspace,
      pullRequest,
      {},
      { env: { SECURE_PIPELINE_KUSTOMIZE_PATH: 'tools/kustomize' } }
    )
    await expect(failed).rejects.toThrow(refusal('SECURE_PIPELINE_KUSTOMIZE_PATH'))
  })

  it('asks for it on a push, where nothing is a change to judge', async () => {
    await expect(runIn(checkout.workspace, push, { kustomizePath: 'tools/kustomize' })).rejects.toThrow(
      'no kustomize in this test'
    )
  })

  it('asks for one in the workspace that the change leaves alone', async () => {
    await expect(
      runIn(checkout.workspace, pullRequest, { kustomizePath: 'tools/README.md' })
    ).rejects.toThrow('no kustomize in this test')
  })

  it('leaves it alone with kustomize off, which never runs it', async () => {
    const { kustomizeAsked } = await runIn(checkout.workspace, pullRequest, {
      kustomize: false,
      kustomizePath: 'tools/kustomize'
    })
    expect(kustomizeAsked).toBe(0)
  })
})
