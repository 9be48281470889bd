import { describe, expect, it } from '@jest/globals'
import { BUMP_INPUT_NAMES, digestOf, TARGET_NAMES } from '../../../../test/support/bump.js'
import type { CommitInfo } from '../github/git-data.js'
import { ConfigurationError } from '../runtime/errors.js'
import { advanceParents, judgeHead, mayBeUpdateMerge, type HeadFacts } from './bump-head.js'
import { parseBumpTarget } from './target.js'

const IMAGE = 'ghcr.io/octo-org/app'
const BRANCH = 'secure-pipeline/bump/app'
const TARGET = parseBumpTarget({ image: IMAGE, tag: '1.4.0', digest: digestOf('4') }, TARGET_NAMES)
const OPTIONS = { inputNames: BUMP_INPUT_NAMES }

const sha = (ch: string) => ch.repeat(40)
/** The base head when the branch was last read; `OLD_BASE` one of its ancestors. */
const BASE = sha('b')
const OLD_BASE = sha('a')
const BUMP = sha('1')
const MERGE = sha('2')
const FOREIGN = sha('f')

const bumpMessage = (image: string, tag: string) =>
  `Bump ${image} to ${tag}\n\n<!-- secure-pipeline:bump ${JSON.stringify({ image, tag, digest: digestOf('3') })} -->\n`
const UPDATE_MESSAGE = `Merge branch 'main' into ${BRANCH}`

function commit(over: Partial<CommitInfo> & Pick<CommitInfo, 'sha' | 'parents'>): CommitInfo {
  return {
    tree: sha('e'),
    message: 'a commit',
    verified: true,
    verification: 'valid',
    author: 'octocat',
    ...over
  }
}

/** This action's earlier bump (1.3.0) on an older base head. */
const ourBump = commit({ sha: BUMP, parents: [OLD_BASE], message: bumpMessage(IMAGE, '1.3.0') })
/** What GitHub's "Update branch" button puts on the branch: the bump, then a base commit. */
const updateMerge = (second: string, over: Partial<CommitInfo> = {}) =>
  commit({ sha: MERGE, parents: [BUMP, second], message: UPDATE_MESSAGE, ...over })

function facts(head: CommitInfo, over: Partial<HeadFacts> = {}): HeadFacts {
  return { head, baseSha: BASE, ours: sha('c'), requireSigned: true, ...over }
}

const judge = (f: HeadFacts) => judgeHead(f, TARGET, OPTIONS, BRANCH)
const refusal = new RegExp(
  `^The branch ${BRANCH} already exists and its head ${MERGE.slice(0, 12)} is not a GitHub-signed bump of ${IMAGE.replace(/\./g, '\\.')} by this action.*delete that branch`
)

describe('judgeHead: a merge from GitHub\'s "Update branch" button', () => {
  it('advances a signed merge of the base head into a signed bump of this image', () => {
    const head = updateMerge(BASE)
    expect(judge(facts(head, { updateMerge: { firstParent: ourBump, secondParentInBase: true } }))).toEqual({
      kind: 'advance'
    })
  })

  it('advances a merge of an older base commit (the base moved on after the button was pressed)', () => {
    const head = updateMerge(OLD_BASE)
    expect(judge(facts(head, { updateMerge: { firstParent: ourBump, secondParentInBase: true } }))).toEqual({
      kind: 'advance'
    })
  })

  it('refuses a merge whose second parent is not in the base: it would bring someone else’s commits', () => {
    const head = updateMerge(FOREIGN)
    const call = () =>
      judge(facts(head, { updateMerge: { firstParent: ourBump, secondParentInBase: false } }))
    expect(call).toThrow(ConfigurationError)
    expect(call).toThrow(refusal)
  })

  it('refuses a merge whose first parent is not a bump of this image', () => {
    const head = updateMerge(BASE)
    const other = commit({
      sha: BUMP,
      parents: [OLD_BASE],
      message: bumpMessage('ghcr.io/octo-org/other', '9.0.0')
    })
    const plain = commit({ sha: BUMP, parents: [OLD_BASE], message: 'Add a file' })
    for (const firstParent of [other, plain])
      expect(() => judge(facts(head, { updateMerge: { firstParent, secondParentInBase: true } }))).toThrow(
        refusal
      )
  })

  it('refuses a merge GitHub did not sign when signatures are required, and takes it when they are not', () => {
    const head = updateMerge(BASE, { verified: false, verification: 'unsigned' })
    const updated = { firstParent: ourBump, secondParentInBase: true }
    expect(() => judge(facts(head, { updateMerge: updated }))).toThrow(refusal)
    expect(judge(facts(head, { updateMerge: updated, requireSigned: false }))).toEqual({ kind: 'advance' })
  })

  it('refuses a signed merge onto an unsigned bump when signatures are required', () => {
    const head = updateMerge(BASE)
    const unsigned = { ...ourBump, verified: false, verification: 'unsigned' }
    expect(() =>
      judge(facts(head, { updateMerge: { firstParent: unsigned, secondParentInBase: true } }))
    ).toThrow(refusal)
  })

  it('refuses facts about another commit than the head’s first parent', () => {
    const head = updateMerge(BASE)
    const elsewhere = { ...ourBump, sha: sha('9') }
    expect(() =>
      judge(facts(head, { updateMerge: { firstParent: elsewhere, secondParentInBase: true } }))
    ).toThrow(refusal)
  })

  it('refuses a merge when the publisher read no facts for it', () => {
    expect(() => judge(facts(updateMerge(BASE)))).toThrow(refusal)
  })
})

describe('mayBeUpdateMerge: the facts are read only for a head that could need them', () => {
  it('asks for a vouched two-parent head that does not name this image itself', () => {
    expect(mayBeUpdateMerge(updateMerge(BASE), BASE, TARGET, true)).toBe(true)
    expect(mayBeUpdateMerge(updateMerge(BASE, { verified: false }), BASE, TARGET, false)).toBe(true)
  })

  it('does not ask for no head, a one-parent head, an unsigned one when signatures are required, or one naming the image', () => {
    expect(mayBeUpdateMerge(undefined, BASE, TARGET, true)).toBe(false)
    expect(mayBeUpdateMerge(ourBump, BASE, TARGET, true)).toBe(false)
    expect(mayBeUpdateMerge(updateMerge(BASE, { verified: false }), BASE, TARGET, true)).toBe(false)
    expect(
      mayBeUpdateMerge(updateMerge(BASE, { message: bumpMessage(IMAGE, '1.3.0') }), BASE, TARGET, true)
    ).toBe(false)
  })
})

describe('advanceParents', () => {
  it('creates on the base, and fast-forwards a head that has the base as a parent', () => {
    expect(advanceParents(BASE, undefined)).toEqual([BASE])
    expect(advanceParents(BASE, commit({ sha: BASE, parents: [OLD_BASE] }))).toEqual([BASE])
    expect(advanceParents(BASE, commit({ sha: BUMP, parents: [BASE] }))).toEqual([BUMP])
    // "Update branch" merged the current base head: it holds the base already.
    expect(advanceParents(BASE, updateMerge(BASE))).toEqual([MERGE])
  })

  it('merges the base in first when the head does not stand on it', () => {
    expect(advanceParents(BASE, ourBump)).toEqual([BASE, BUMP])
    expect(advanceParents(BASE, updateMerge(OLD_BASE))).toEqual([BASE, MERGE])
  })
})
