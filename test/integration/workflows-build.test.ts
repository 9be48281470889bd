import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import { REPO_ROOT } from '../support/repo-root.js'

/**
 * The image jobs' build step on a runner that keeps its disk (self-hosted): the checkout is the pull
 * request's, so `secure-pipeline` or `secure-pipeline/oci` may be a committed link to somewhere else, and
 * the step's `rm -rf` and `tar -x` must not follow it. The step runs as the runner runs it (bash -eo
 * pipefail) with `docker` a stand-in that writes a one-file OCI tarball where `--output` says.
 */

type Step = { id?: string; run: string }
const scratch: string[] = []
afterAll(() => scratch.forEach(dir => rmSync(dir, { recursive: true, force: true })))

function buildStep(workflow: string): Step {
  const parsed = parse(readFileSync(path.join(REPO_ROOT, '.github/workflows', workflow), 'utf8')) as {
    jobs: Record<string, { steps: Step[] }>
  }
  return parsed.jobs.image!.steps.find(step => step.id === 'build')!
}

const DOCKER = `#!/bin/bash
for arg in "$@"; do
  case "$arg" in
    type=oci,dest=*) dest=\${arg#type=oci,dest=}; dir=$(mktemp -d); echo '{}' > "$dir/index.json"; tar -cf "$dest" -C "$dir" index.json ;;
  esac
done
`

function runBuild(workflow: string, link: 'secure-pipeline' | 'secure-pipeline/oci') {
  const root = mkdtempSync(path.join(tmpdir(), 'workflows-build-'))
  scratch.push(root)
  const [workspace, outside, bin, temp] = ['ws', 'outside', 'bin', 'temp'].map(d => path.join(root, d))
  for (const dir of [workspace!, bin!, temp!, path.join(outside!, 'oci', 'web'), path.join(outside!, 'web')])
    mkdirSync(dir, { recursive: true })
  // What the build would delete, wherever the link leads.
  writeFileSync(path.join(outside!, 'oci', 'web', 'keep'), 'runner file')
  writeFileSync(path.join(outside!, 'web', 'keep'), 'runner file')
  if (link === 'secure-pipeline') symlinkSync(outside!, path.join(workspace!, 'secure-pipeline'))
  else {
    mkdirSync(path.join(workspace!, 'secure-pipeline'))
    symlinkSync(outside!, path.join(workspace!, 'secure-pipeline', 'oci'))
  }
  writeFileSync(path.join(bin!, 'docker'), DOCKER)
  chmodSync(path.join(bin!, 'docker'), 0o755)
  const output = path.join(temp!, 'output')
  writeFileSync(output, '')
  const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', buildStep(workflow).run], {
    cwd: workspace,
    encoding: 'utf8',
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      RUNNER_TEMP: temp,
      GITHUB_OUTPUT: output,
      IMAGE_ID: 'web',
      IMAGE_NAME: 'ghcr.io/octo-org/web',
      IMAGE_CONTEXT: '',
      IMAGE_DOCKERFILE: ''
    }
  })
  return { run, workspace: workspace!, outside: outside!, output: readFileSync(output, 'utf8') }
}

describe.each(['pipeline.yml', 'pull-request.yml'])('%s image build step', workflow => {
  it.each(['secure-pipeline', 'secure-pipeline/oci'] as const)(
    'removes a committed %s link instead of deleting and writing through it',
    link => {
      const { run, workspace, outside, output } = runBuild(workflow, link)
      expect(run.status).toBe(0)
      expect(run.stdout).toContain(`::warning::${link} is a symbolic link; it is removed`)
      expect(readFileSync(path.join(outside, 'oci', 'web', 'keep'), 'utf8')).toBe('runner file')
      expect(readFileSync(path.join(outside, 'web', 'keep'), 'utf8')).toBe('runner file')
      expect(existsSync(path.join(outside, 'oci', 'web', 'index.json'))).toBe(false)
      expect(existsSync(path.join(outside, 'web', 'index.json'))).toBe(false)
      const layout = path.join(workspace, 'secure-pipeline', 'oci', 'web')
      expect(lstatSync(path.join(workspace, 'secure-pipeline')).isDirectory()).toBe(true)
      expect(lstatSync(path.join(workspace, 'secure-pipeline', 'oci')).isDirectory()).toBe(true)
      expect(readFileSync(path.join(layout, 'index.json'), 'utf8')).toBe('{}\n')
      expect(output).toBe('layout=secure-pipeline/oci/web\n')
    }
  )
})
