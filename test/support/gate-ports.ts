import type { RepoRef } from '../../packages/core/src/github/context.js'
import type { PullRequestBase } from '../../packages/core/src/github/pull-request-base.js'
import { JobSummary } from '../../packages/core/src/runtime/job-summary.js'
import { memoryLogger } from '../../packages/core/src/runtime/logger.js'
import type { RepositoryFile } from '../../packages/core/src/github/contents.js'
import type {
  GateConfig,
  GateGitHub,
  GatePorts,
  ReportingStatus
} from '../../packages/core/src/gate/ports.js'

export type GitHubCall =
  | { kind: 'comment'; body: string }
  | { kind: 'upload'; sarif: string }
  | { kind: 'read'; repository: RepoRef; path: string; ref?: string }

/**
 * A GateGitHub that records every call and answers as told: the gate's comment and upload branches
 * are tested against it without a network, the API double covers the real client.
 */
export class RecordingGitHub implements GateGitHub {
  readonly calls: GitHubCall[] = []
  canComment: boolean
  commentAnswer: ReportingStatus = { status: 'done', detail: 'created https://github.test/c/1' }
  uploadAnswer: ReportingStatus = { status: 'done', detail: 'uploaded as 1' }
  files = new Map<string, string>()

  constructor(options: { canComment?: boolean } = {}) {
    this.canComment = options.canComment ?? true
  }

  async upsertComment(body: string): Promise<ReportingStatus> {
    this.calls.push({ kind: 'comment', body })
    return this.commentAnswer
  }

  async uploadSarif(sarif: string): Promise<ReportingStatus> {
    this.calls.push({ kind: 'upload', sarif })
    return this.uploadAnswer
  }

  async readRepositoryFile(
    repository: RepoRef,
    path: string,
    ref: string | undefined
  ): Promise<RepositoryFile> {
    this.calls.push({ kind: 'read', repository, path, ref })
    const origin = `${repository.owner}/${repository.repo}${ref ? `@${ref}` : ''}:${path}`
    return { text: this.files.get(`${repository.owner}/${repository.repo}:${path}`), origin }
  }

  of<K extends GitHubCall['kind']>(kind: K): Extract<GitHubCall, { kind: K }>[] {
    return this.calls.filter((c): c is Extract<GitHubCall, { kind: K }> => c.kind === kind)
  }
}

/** A run at a fixed instant, with a memory logger and summary; no GitHub and no change base unless given. */
export function testPorts(over: Partial<GatePorts> & { base?: PullRequestBase } = {}) {
  const logger = memoryLogger()
  const lines: string[] = []
  const { base, ...rest } = over
  const ports: GatePorts = {
    logger,
    summary: new JobSummary(),
    writeLine: line => void lines.push(line),
    run: {},
    now: () => new Date('2026-11-25T12:00:00Z'),
    changeBase: async () => base,
    committedFiles: async () => new Set(),
    ...rest
  }
  return { ports, logger, lines }
}

export function testConfig(workspace: string, over: Partial<GateConfig> = {}): GateConfig {
  return {
    workspace,
    reports: ['reports/*'],
    baseline: [],
    policy: { path: '.github/secure-pipeline.yml', explicit: false, source: 'base', inputName: 'policy' },
    upload: 'false',
    comment: 'false',
    annotations: false,
    outputDir: `${workspace}/out`,
    inSourceSuppressions: 'honour',
    ...over
  }
}
