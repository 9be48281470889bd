import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import { REPO_ROOT } from '../support/repo-root.js'
import { interpolate, parseFileCommands, type Evaluation } from '../support/run-composite.js'

/**
 * pipeline.yml's push step on a self-hosted runner that is not wiped between jobs (`runs-on` is an
 * input): the registry login must not outlive the step (skopeo's default auth file,
 * ${XDG_RUNTIME_DIR:-~/.config}/containers/auth.json, does), also when the push fails or the run is
 * cancelled half-way, and the registry password and the workflow token must reach only `skopeo login`,
 * on stdin: never the environment or the arguments of any command the step runs.
 *
 * The step runs as the runner runs it (`${{ }}` evaluated in `env:`, then bash -eo pipefail), with
 * `skopeo` a stand-in that keeps credentials where the real one does (--authfile, else
 * REGISTRY_AUTH_FILE, else the default file) and refuses a copy or inspect without them; every other
 * command the step runs goes through a wrapper that records its environment first.
 */

type Step = { id?: string; run: string; env: Record<string, string> }
const workflow = parse(readFileSync(path.join(REPO_ROOT, '.github/workflows/pipeline.yml'), 'utf8')) as {
  jobs: Record<string, { steps: Step[] }>
}
const push = workflow.jobs.image!.steps.find(step => step.id === 'push')!

const PASSWORD = 'registry-pw-5f2a9c'
const TOKEN = 'ghs_workflowToken7d41e0'
const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}'
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`

const SKOPEO = `#!/bin/bash
log=$STUB_LOG
n=$(date +%s%N)-$$
env > "$log/$n.env"
printf '%s\\n' "skopeo $*" > "$log/$n.args"
cmd=$1; shift
authfile=\${REGISTRY_AUTH_FILE:-\${XDG_RUNTIME_DIR:-$HOME/.config}/containers/auth.json}
[ -n "$XDG_RUNTIME_DIR" ] || authfile=\${REGISTRY_AUTH_FILE:-$HOME/.config/containers/auth.json}
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --authfile) authfile=$2; shift 2 ;;
    --authfile=*) authfile=\${1#--authfile=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
printf '%s\\n' "$authfile" > "$log/$n.authfile"
case "$cmd" in
  login)
    password=$(cat)
    printf '%s' "$password" > "$log/$n.stdin"
    mkdir -p "$(dirname "$authfile")"
    [ ! -e "$authfile" ] || jq -e . "$authfile" > /dev/null || { echo "skopeo: $authfile is not JSON" >&2; exit 1; }
    printf '{"auths":{"%s":{"auth":"%s"}}}\\n' "\${args[-1]}" "$(printf 'u:%s' "$password" | base64 -w0)" > "$authfile"
    ;;
  copy)
    grep -q auths "$authfile" 2>/dev/null || { echo "skopeo: unauthorized" >&2; exit 1; }
    [ -z "$STUB_COPY" ] || eval "$STUB_COPY"
    ;;
  inspect)
    grep -q auths "$authfile" 2>/dev/null || { echo "skopeo: unauthorized" >&2; exit 1; }
    printf '%s' '${MANIFEST}'
    ;;
esac
`

/** A wrapper that records the environment of `name`, then runs the real one. */
const wrapper = (name: string, real: string) => `#!/bin/bash
n=$(date +%s%N)-$$
env > "$STUB_LOG/$n.env"
printf '%s\\n' "${name} $*" > "$STUB_LOG/$n.args"
exec ${real} "$@"
`

interface Push {
  status: number | null
  stdout: string
  /** One entry per command the step ran through the stand-ins, in the order they started. */
  calls: { args: string; env: string; authfile?: string; stdin?: string }[]
  temp: string
  home: string
  xdg: string
  /** What the step wrote to $GITHUB_OUTPUT. */
  outputs: Record<string, string>
}

function bin(scratch: string): string {
  const dir = path.join(scratch, 'bin')
  mkdirSync(dir)
  writeFileSync(path.join(dir, 'skopeo'), SKOPEO)
  for (const name of ['jq', 'sha256sum', 'cut', 'mkdir', 'mktemp', 'rm', 'base64', 'cat', 'grep', 'dirname'])
    writeFileSync(path.join(dir, name), wrapper(name, `/usr/bin/${name}`))
  for (const name of readdirSync(dir)) chmodSync(path.join(dir, name), 0o755)
  return dir
}

/** Runs the push step; `copy` is a script the stand-in runs on `skopeo copy` (fail, hang). */
async function runPush(options: {
  password?: string
  name?: string
  copy?: string
  signal?: NodeJS.Signals
  slot?: unknown
  username?: string
}): Promise<Push> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'workflows-push-'))
  const [temp, home, xdg, log, workspace] = ['temp', 'home', 'xdg', 'log', 'ws'].map(d => {
    mkdirSync(path.join(scratch, d))
    return path.join(scratch, d)
  }) as [string, string, string, string, string]
  const name = options.name ?? 'ghcr.io/octo-org/web'
  const evaluation: Evaluation = {
    contexts: {
      github: { token: TOKEN, actor: 'octocat' },
      matrix: { image: { id: 'web', name, slot: 'slot' in options ? options.slot : 0 } },
      inputs: { tag: '1.2.3' },
      secrets: { 'registry-password': options.password ?? '', 'registry-username': options.username ?? '' },
      steps: {
        build: { outputs: { layout: 'secure-pipeline/oci/web' } },
        scan: { outputs: { digest: DIGEST } }
      }
    },
    failed: false
  }
  const env = Object.fromEntries(Object.entries(push.env).map(([k, v]) => [k, interpolate(v, evaluation)]))
  const file = path.join(scratch, 'step.sh')
  writeFileSync(file, push.run)
  const child = spawn('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
    cwd: workspace,
    env: {
      PATH: `${bin(scratch)}:/usr/bin:/bin`,
      HOME: home,
      XDG_RUNTIME_DIR: xdg,
      RUNNER_TEMP: temp,
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_OUTPUT: path.join(scratch, 'output'),
      STUB_LOG: log,
      STUB_COPY: options.copy ?? '',
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  if (options.signal) {
    // Once the copy has started (the stand-in marks it), as the runner signals a cancelled step.
    const started = path.join(log, 'copy-started')
    for (let i = 0; i < 200 && !existsSync(started); i++) await new Promise(r => setTimeout(r, 25))
    child.kill(options.signal)
  }
  const status = await new Promise<number | null>(resolve => child.on('close', code => resolve(code)))
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined)
  const outputs = parseFileCommands(read(path.join(scratch, 'output')) ?? '')
  const calls = readdirSync(log)
    .filter(f => f.endsWith('.args'))
    .map(f => f.slice(0, -'.args'.length))
    .sort()
    .map(n => ({
      args: read(path.join(log, `${n}.args`))!.trim(),
      env: read(path.join(log, `${n}.env`)) ?? '',
      authfile: read(path.join(log, `${n}.authfile`))?.trim(),
      stdin: read(path.join(log, `${n}.stdin`))
    }))
  return { status, stdout, calls, temp, home, xdg, outputs }
}

/** Every file below `dir` whose bytes hold the secret, raw or as base64 of user:secret. */
function filesHolding(dir: string, secret: string): string[] {
  const found: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name)
      if (statSync(full).isDirectory()) walk(full)
      else {
        const text = readFileSync(full, 'utf8')
        const encoded = Buffer.from(`u:${secret}`).toString('base64')
        if (text.includes(secret) || text.includes(encoded)) found.push(full)
      }
    }
  }
  walk(dir)
  return found
}

function expectNoCredentialLeft(run: Push, secret: string): void {
  for (const dir of [run.temp, run.home, run.xdg]) expect([dir, filesHolding(dir, secret)]).toEqual([dir, []])
}

describe('pipeline.yml push: the registry credential', () => {
  it.each([
    [
      'the registry-password secret',
      { password: PASSWORD, name: 'registry.example.com/octo-org/web' },
      PASSWORD
    ],
    ['the workflow token (ghcr.io)', { password: '', name: 'ghcr.io/octo-org/web' }, TOKEN]
  ])(
    'with %s: logs in on stdin to a file of the step under RUNNER_TEMP, used by the push, then removed',
    async (_label, options, secret) => {
      const run = await runPush(options)
      expect(run.status).toBe(0)
      const skopeo = run.calls.filter(c => c.args.startsWith('skopeo '))
      expect(skopeo.map(c => c.args.split(' ')[1])).toEqual(['login', 'copy', 'inspect'])
      expect(skopeo[0]!.stdin).toBe(secret)
      // One auth file for login, copy and inspect: the step's own, under RUNNER_TEMP.
      const authfiles = new Set(skopeo.map(c => c.authfile))
      expect(authfiles.size).toBe(1)
      expect([...authfiles][0]).toMatch(new RegExp(`^${run.temp}/`))
      expectNoCredentialLeft(run, secret)
      // The push record is the step's output pushed-<slot>, one line of JSON, and nothing else.
      expect(Object.keys(run.outputs)).toEqual(['pushed-0'])
      expect(JSON.parse(run.outputs['pushed-0']!)).toEqual({
        name: options.name ?? 'ghcr.io/octo-org/web',
        tag: '1.2.3',
        digest: DIGEST
      })
    }
  )

  it.each([
    ['the registry-password secret', { password: PASSWORD, name: 'registry.example.com/octo-org/web' }],
    ['the workflow token (ghcr.io)', { password: '', name: 'ghcr.io/octo-org/web' }]
  ])(
    'with %s: no command the step runs has a secret in its environment or arguments',
    async (_label, options) => {
      const run = await runPush(options)
      expect(run.status).toBe(0)
      expect(run.calls.length).toBeGreaterThanOrEqual(6)
      for (const call of run.calls) {
        for (const secret of [PASSWORD, TOKEN]) {
          expect([call.args, call.env.includes(secret)]).toEqual([call.args, false])
          expect(call.args).not.toContain(secret)
        }
      }
    }
  )

  it('removes the login when the push fails', async () => {
    const run = await runPush({
      password: PASSWORD,
      name: 'registry.example.com/octo-org/web',
      copy: 'exit 1'
    })
    expect(run.status).not.toBe(0)
    expect(run.calls.map(c => c.args)).toContainEqual(expect.stringMatching(/^skopeo copy /))
    expectNoCredentialLeft(run, PASSWORD)
  })

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'removes the login when the step gets %s half-way (a cancelled run)',
    async signal => {
      const run = await runPush({
        password: PASSWORD,
        name: 'registry.example.com/octo-org/web',
        copy: 'touch "$STUB_LOG/copy-started"; sleep 2',
        signal
      })
      expect(run.status).not.toBe(0)
      expect(run.calls.map(c => c.args)).not.toContainEqual(expect.stringMatching(/^skopeo inspect /))
      expectNoCredentialLeft(run, PASSWORD)
    }
  )

  it('sends nothing for a registry other than ghcr.io without its own credentials', async () => {
    const run = await runPush({ name: 'registry.example.com/octo-org/web' })
    expect(run.status).not.toBe(0)
    expect(run.stdout).toMatch(/^::error::registry\.example\.com is not ghcr\.io: /m)
    expect(run.calls.filter(c => c.args.startsWith('skopeo '))).toEqual([])
  })

  it('records the push under its own slot', async () => {
    const run = await runPush({ password: PASSWORD, name: 'registry.example.com/octo-org/web', slot: 31 })
    expect(run.status).toBe(0)
    expect(Object.keys(run.outputs)).toEqual(['pushed-31'])
  })

  it('warns when the record holds the registry-username secret (the runner drops such an output)', async () => {
    const run = await runPush({
      password: PASSWORD,
      name: 'registry.example.com/octo-org/web',
      username: 'octo-org'
    })
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^::warning::the push record of image web holds the registry-username secret/m)
    const plain = await runPush({
      password: PASSWORD,
      name: 'registry.example.com/octo-org/web',
      username: 'bot'
    })
    expect(plain.stdout).not.toMatch(/::warning::/)
  })

  it.each([[32], [''], ['1x'], [-1], ['0\npushed-1={}'], [undefined]])(
    'refuses a slot that is no output of the image job (%j) before anything is sent',
    async slot => {
      const run = await runPush({ password: PASSWORD, name: 'registry.example.com/octo-org/web', slot })
      expect(run.status).not.toBe(0)
      expect(run.stdout).toMatch(/^::error::[^\n]+\n$/)
      expect(run.calls.filter(c => c.args.startsWith('skopeo '))).toEqual([])
      expect(run.outputs).toEqual({})
    }
  )
})
