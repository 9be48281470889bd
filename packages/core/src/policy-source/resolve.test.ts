import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import { checkExceptionHorizon } from '../policy/exceptions.js'
import type { GatePolicy } from '../policy/policy.js'
import { fakeChangeBase } from '../../../../test/support/change-base.js'
import { RecordingGitHub } from '../../../../test/support/gate-ports.js'
import { centralPolicyFrom, type PolicyLocation } from './location.js'
import { resolvePolicySources, type PolicyContext } from './resolve.js'

const POLICY = '.github/secure-pipeline.yml'
const REVIEWED = 'gate:\n  fail-on: [critical, high]\n'
const WEAKENED = 'gate:\n  fail-on: []\n'

const root = mkdtempSync(path.join(tmpdir(), 'policy-sources-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let n = 0
function workspace(policy?: string): string {
  const ws = path.join(root, `ws-${n++}`)
  mkdirSync(path.join(ws, '.github'), { recursive: true })
  if (policy !== undefined) writeFileSync(path.join(ws, POLICY), policy)
  return ws
}

const location = (over: Partial<PolicyLocation> = {}): PolicyLocation => ({
  path: POLICY,
  explicit: false,
  source: 'base',
  inputName: 'policy',
  ...over
})
/** The gate's finishing step: the exception horizon as of a fixed day, and the warn-only input. */
const gateFinish =
  (warnOnly?: boolean) =>
  (policy: GatePolicy): GatePolicy => {
    checkExceptionHorizon(policy.exceptions, '2026-11-25', policy.maxExceptionDays)
    return warnOnly === undefined ? policy : { ...policy, warnOnly }
  }
const context = (
  ws: string,
  over: Partial<PolicyContext> & { github?: RecordingGitHub; warnOnly?: boolean } = {}
): PolicyContext => {
  const { github, warnOnly, ...rest } = over
  return {
    workspace: ws,
    base: undefined,
    finish: gateFinish(warnOnly),
    ...(github ? { readCentralFile: (r, p, ref) => github.readRepositoryFile(r, p, ref) } : {}),
    ...rest
  }
}

describe('the policy that decides a pull request', () => {
  it('is the merge-base version; the PR’s weakened version is only evaluated beside it', async () => {
    const base = fakeChangeBase({ [POLICY]: REVIEWED }, [POLICY])
    const s = await resolvePolicySources(location(), context(workspace(WEAKENED), { base }))
    expect(s.decidedBy).toBe('base')
    expect(s.deciding.origin).toBe('merge-base 0123456789ab')
    expect(s.deciding.policy.defaults.failOn).toEqual(['critical', 'high'])
    expect(s.deciding.policy.source).toBe(POLICY)
    expect(s.other).toMatchObject({ role: 'proposed', origin: 'this pull request' })
    expect(s.other?.policy?.defaults.failOn).toEqual([])
  })

  it('with source head, is the PR’s version, and the reviewed one is shown beside it', async () => {
    const base = fakeChangeBase({ [POLICY]: REVIEWED }, [POLICY])
    const s = await resolvePolicySources(location({ source: 'head' }), context(workspace(WEAKENED), { base }))
    expect(s.decidedBy).toBe('head')
    expect(s.deciding).toMatchObject({ origin: 'workspace' })
    expect(s.deciding.policy.defaults.failOn).toEqual([])
    expect(s.other).toMatchObject({ role: 'reviewed', origin: 'merge-base 0123456789ab' })
    expect(s.other?.policy?.defaults.failOn).toEqual(['critical', 'high'])
  })

  it('is the checkout on a push, with nothing beside it', async () => {
    const s = await resolvePolicySources(location(), context(workspace(WEAKENED)))
    expect(s).toMatchObject({ decidedBy: 'head', deciding: { origin: 'workspace' }, other: undefined })
    expect(s.deciding.policy.defaults.failOn).toEqual([])
  })

  it('is the built-in defaults while the base has no policy, even when the PR adds one at a named path', async () => {
    const base = fakeChangeBase({}, [POLICY])
    const s = await resolvePolicySources(location({ explicit: true }), context(workspace(WEAKENED), { base }))
    expect(s.deciding).toMatchObject({ origin: 'built-in defaults' })
    expect(s.deciding.policy.defaults.failOn).toEqual(['critical', 'high'])
    expect(s.other?.policy?.defaults.failOn).toEqual([])
  })

  it('shows a PR that deletes the policy as proposing the built-in defaults', async () => {
    const base = fakeChangeBase({ [POLICY]: 'gate:\n  fail-on: [critical, high, medium]\n' }, [])
    const s = await resolvePolicySources(location(), context(workspace(), { base }))
    expect(s.deciding.policy.defaults.failOn).toEqual(['critical', 'high', 'medium'])
    expect(s.other?.policy?.source).toBe('built-in defaults')
  })

  it('never reads a link the PR put in the policy’s place, and an invalid PR policy is shown, not thrown', async () => {
    const linked = workspace()
    symlinkSync('/etc/passwd', path.join(linked, POLICY))
    const base = fakeChangeBase({ [POLICY]: REVIEWED }, [POLICY])
    const viaLink = await resolvePolicySources(location(), context(linked, { base }))
    expect(viaLink.other).toMatchObject({ role: 'proposed', error: expect.stringMatching(/symbolic link/) })
    const tooFar = 'exceptions:\n  - id: "**"\n    reason: r\n    owner: o\n    expires: 2030-01-01\n'
    const invalid = await resolvePolicySources(location(), context(workspace(tooFar), { base }))
    expect(invalid.other?.error).toMatch(/more than 90 days ahead/)
    expect(invalid.deciding.policy.defaults.failOn).toEqual(['critical', 'high'])
    // 1 MB of nesting the parser would run out of memory on: measured, refused, shown.
    const bomb = await resolvePolicySources(
      location(),
      context(workspace(`gate:\n${'- '.repeat(500_000)}x\n`), { base })
    )
    expect(bomb.other?.error).toMatch(/was not parsed: it nests over 64 collections deep/)
    expect(bomb.deciding.policy.defaults.failOn).toEqual(['critical', 'high'])
  })

  it('refuses a named policy that exists nowhere, and an invalid deciding one', async () => {
    await expect(resolvePolicySources(location({ explicit: true }), context(workspace()))).rejects.toThrow(
      /Input 'policy': file \.github\/secure-pipeline\.yml does not exist/
    )
    await expect(
      resolvePolicySources(location(), context(workspace('gate: {failon: []}\n')))
    ).rejects.toThrow(ConfigurationError)
  })

  it('applies the warn-only input to both versions', async () => {
    const base = fakeChangeBase({ [POLICY]: REVIEWED }, [POLICY])
    const s = await resolvePolicySources(location(), context(workspace(WEAKENED), { base, warnOnly: true }))
    expect([s.deciding.policy.warnOnly, s.other?.policy?.warnOnly]).toEqual([true, true])
  })
})

describe('a central policy', () => {
  const central = { repository: { owner: 'octo-org', repo: 'policies' }, ref: 'v2' }

  it('decides whatever the pull request has, read through the token', async () => {
    const github = new RecordingGitHub()
    github.files.set('octo-org/policies:pipeline/secure-pipeline.yml', REVIEWED)
    const base = fakeChangeBase({ [POLICY]: WEAKENED }, [POLICY])
    const s = await resolvePolicySources(
      location({ path: 'pipeline/secure-pipeline.yml', central }),
      context(workspace(WEAKENED), { base, github })
    )
    expect(s.decidedBy).toBe('central')
    expect(s.other).toBeUndefined()
    expect(s.deciding.origin).toBe('octo-org/policies@v2:pipeline/secure-pipeline.yml')
    expect(s.deciding.policy.defaults.failOn).toEqual(['critical', 'high'])
    expect(github.calls).toEqual([
      { kind: 'read', repository: central.repository, path: 'pipeline/secure-pipeline.yml', ref: 'v2' }
    ])
  })

  it('needs a token and an existing file', async () => {
    await expect(resolvePolicySources(location({ central }), context(workspace()))).rejects.toThrow(
      /central policy octo-org\/policies is read with a token, and none was given/
    )
    await expect(
      resolvePolicySources(location({ central }), context(workspace(), { github: new RecordingGitHub() }))
    ).rejects.toThrow(/octo-org\/policies@v2:\.github\/secure-pipeline\.yml does not exist/)

    const named = centralPolicyFrom(
      { repository: 'octo-org/policies', ref: 'v2', path: 'pipeline/missing.yml' },
      { repository: 'policy-repository', ref: 'policy-ref', path: 'policy' }
    )
    await expect(
      resolvePolicySources(
        location({ path: 'pipeline/missing.yml', central: named }),
        context(workspace(), { github: new RecordingGitHub() })
      )
    ).rejects.toThrow(
      "Input 'policy': the central policy octo-org/policies@v2:pipeline/missing.yml does not exist; check 'policy-repository', 'policy-ref' and 'policy'."
    )
  })

  it('that the API cannot serve fails the run with one line naming it and the inputs', async () => {
    const named = centralPolicyFrom(
      { repository: 'octo-org/policies', ref: 'v2', path: 'pipeline/secure-pipeline.yml' },
      { repository: 'policy-repository', ref: 'policy-ref', path: 'policy' }
    )
    // What Octokit throws once its retries of a 502 (or a dropped connection) are spent.
    const unreachable = () => Promise.reject(new Error('Server Error'))
    await expect(
      resolvePolicySources(
        location({ path: 'pipeline/secure-pipeline.yml', central: named }),
        context(workspace(WEAKENED), { readCentralFile: unreachable })
      )
    ).rejects.toThrow(
      "Input 'policy': the central policy octo-org/policies@v2:pipeline/secure-pipeline.yml could not be read, and nothing is judged without it; check 'policy-repository', 'policy-ref' and 'policy', then re-run: Server Error"
    )
  })

  it('is named by inputs that are checked before anything is read', () => {
    const names = { repository: 'policy-repository', ref: 'policy-ref', path: 'policy' }
    expect(centralPolicyFrom({ path: POLICY }, names)).toBeUndefined()
    expect(centralPolicyFrom({ repository: 'octo-org/policies', ref: 'main', path: POLICY }, names)).toEqual({
      repository: { owner: 'octo-org', repo: 'policies' },
      ref: 'main',
      inputNames: { repository: 'policy-repository', ref: 'policy-ref' }
    })
    expect(() => centralPolicyFrom({ ref: 'main', path: POLICY }, names)).toThrow(
      /only read with 'policy-repository'/
    )
    expect(() => centralPolicyFrom({ repository: 'octo-org', path: POLICY }, names)).toThrow(/owner\/repo/)
    expect(() => centralPolicyFrom({ repository: 'a/b', ref: '../../x', path: POLICY }, names)).toThrow(
      /'policy-ref'/
    )
    expect(() => centralPolicyFrom({ repository: 'a/b', ref: '-x', path: POLICY }, names)).toThrow(
      /'policy-ref'/
    )
    expect(() => centralPolicyFrom({ repository: 'a/b', path: '../etc/passwd' }, names)).toThrow(/'policy'/)
    expect(() => centralPolicyFrom({ repository: 'a/b', path: '/etc/passwd' }, names)).toThrow(/'policy'/)
  })

  it('refuses a policy token without a repository to read it from', () => {
    const names = {
      repository: 'policy-repository',
      ref: 'policy-ref',
      path: 'policy',
      token: 'policy-token'
    }
    expect(() => centralPolicyFrom({ path: POLICY, token: 'ghs_reader' }, names)).toThrow(
      "Input 'policy-token' is set but 'policy-repository' is empty, so no central policy is read with it; set 'policy-repository' to the policy's owner/repo, or remove 'policy-token'."
    )
    expect(
      centralPolicyFrom({ repository: 'octo-org/policies', path: POLICY, token: 'ghs_reader' }, names)
    ).toEqual({
      repository: { owner: 'octo-org', repo: 'policies' },
      inputNames: { repository: 'policy-repository', ref: 'policy-ref' }
    })
  })
})
