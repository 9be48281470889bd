import {
  getOptionalInput,
  parseBoolean,
  parseEnum,
  parseList,
  runAction,
  workflow,
  workspaceRoot,
  ConfigurationError
} from '@secure-pipeline/core/runtime'
import { assertRef, parseRepositoryInput, readActionsContext } from '@secure-pipeline/core/github'
import {
  loadBumpGitHub,
  parseBumpTarget,
  parseHelmKey,
  runBump,
  STRATEGIES,
  type BumpRunOptions,
  type BumpResult,
  type Strategy
} from '@secure-pipeline/core/manifests'

export const DEFAULT_PATHS = ['**/*.yaml', '**/*.yml', '**/Kustomization']
export const DEFAULT_DIFF_FILE = 'secure-pipeline/bump.diff'

const input = (name: string) => getOptionalInput(name)
const flag = (name: string, fallback: boolean) => parseBoolean(name, input(name), fallback)

function refInput(name: string): string | undefined {
  const value = input(name)
  if (value !== undefined) assertRef(value, name)
  return value
}

function autoMergeInput(name: string): BumpRunOptions['autoMerge'] {
  const value = parseEnum(name, input(name), ['false', 'true', 'merge', 'squash', 'rebase'], 'false')
  return value === 'false' ? undefined : value === 'true' ? 'squash' : value
}

function reviewersInput(name: string): string[] {
  const reviewers = parseList(input(name))
  for (const reviewer of reviewers)
    if (!/^[A-Za-z0-9-]+(?:\/[A-Za-z0-9_.-]+)?$/.test(reviewer))
      throw new ConfigurationError(`Input '${name}' entry '${reviewer}' is not a user login or an org/team.`)
  return reviewers
}

/** Every input, parsed and validated once. */
export function readInputs(workspace = workspaceRoot()): BumpRunOptions {
  const helmKey = input('helm-key')
  const strategy = parseEnum<'auto' | Strategy>(
    'strategy',
    input('strategy'),
    ['auto', ...STRATEGIES],
    'auto'
  )
  if (helmKey !== undefined && strategy !== 'auto' && strategy !== 'helm')
    throw new ConfigurationError(`Input 'helm-key' applies to strategy helm (or auto), not ${strategy}.`)
  const fluxPolicies = parseList(input('flux-policy'))
  for (const policy of fluxPolicies)
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(policy))
      throw new ConfigurationError(
        `Input 'flux-policy' entry '${policy}' is not an ImagePolicy written namespace:name.`
      )
  const image = input('image')
  if (image === undefined)
    throw new ConfigurationError("Input 'image' is required: the image name to pin, e.g. ghcr.io/org/app.")
  const labels = parseList(input('labels'))
  return {
    workspace,
    target: parseBumpTarget(
      { image, tag: input('tag'), digest: input('digest') },
      { image: 'image', tag: 'tag', digest: 'digest' }
    ),
    strategy,
    ...(helmKey !== undefined ? { helmKey: parseHelmKey(helmKey, 'helm-key') } : {}),
    fluxPolicies,
    paths: input('paths') ? parseList(input('paths')) : DEFAULT_PATHS,
    repository: input('repository') ? parseRepositoryInput(input('repository')!, 'repository') : undefined,
    base: refInput('base'),
    branch: refInput('branch'),
    title: input('title'),
    labels,
    reviewers: reviewersInput('reviewers'),
    autoMerge: autoMergeInput('auto-merge'),
    dryRun: flag('dry-run', false),
    workingDirectory: input('working-directory'),
    push: parseEnum('push-mode', input('push-mode'), ['api', 'git'], 'api'),
    resolveDigest: flag('resolve-digest', true),
    requireVerified: flag('require-signed', true),
    allowDowngrade: flag('allow-downgrade', false),
    gate: input('gate-outcome'),
    diffFile: input('diff-file') ?? DEFAULT_DIFF_FILE,
    inputNames: {
      token: 'token',
      paths: 'paths',
      workingDirectory: 'working-directory',
      digest: 'digest',
      resolveDigest: 'resolve-digest',
      requireVerified: 'require-signed',
      allowDowngrade: 'allow-downgrade',
      branch: 'branch',
      diffFile: 'diff-file',
      gate: 'gate-outcome',
      autoMerge: 'auto-merge'
    }
  }
}

function writeOutputs(result: BumpResult, options: BumpRunOptions): void {
  const changes = result.plan.edits.flatMap(e => e.changes)
  workflow.setOutput('operation', result.operation)
  workflow.setOutput('branch', result.branch)
  workflow.setOutput('commit', result.commit?.sha ?? '')
  workflow.setOutput('verified', String(result.commit?.verified ?? false))
  workflow.setOutput('pull-request-number', result.pullRequest ? String(result.pullRequest.number) : '')
  workflow.setOutput('pull-request-url', result.pullRequest?.url ?? '')
  workflow.setOutput('changed-files', JSON.stringify(result.plan.edits.map(e => e.file)))
  workflow.setOutput('changes', String(changes.length))
  workflow.setOutput('digest', result.target.digest ?? '')
  workflow.setOutput('diff-file', options.diffFile)
}

export async function run(): Promise<void> {
  await runAction('bump-manifest-pr', async ({ logger, summary }) => {
    const options = readInputs()
    const token = input('token')
    const needsApi = !options.dryRun && (options.push === 'api' || token !== undefined)
    const result = await runBump(options, {
      logger,
      summary,
      context: readActionsContext(),
      // The registry client is loaded by a run that looks a digest up, not by one given the digest.
      resolveDigest: async reference => {
        const { resolveDigest } = await import('@secure-pipeline/core/registry')
        return (await resolveDigest(reference, { env: process.env, logger })).digest
      },
      ...(needsApi && token
        ? { gitData: await loadBumpGitHub({ token, tokenInput: 'token', env: process.env, logger }) }
        : {})
    })
    writeOutputs(result, options)
  })
}
