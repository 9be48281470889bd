import { describe, expect, it } from '@jest/globals'
import { BUMP_INPUT_NAMES, digestOf, TARGET_NAMES } from '../../../../test/support/bump.js'
import type { CommitInfo } from '../github/git-data.js'
import { ConfigurationError } from '../runtime/errors.js'
import {
  advanceParents,
  judgeHead,
  MAX_UPDATE_MERGES,
  mayBeUpdateMerge,
  readUpdateMerges,
  type HeadFacts,
  type UpdateMerge
} from './bump-head.js'
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

/** The facts of one merge under the head: what it stands on, and whether its second parent is in the base. */
const under = (head: CommitInfo, firstParent: CommitInfo, secondParentInBase: boolean): UpdateMerge => ({
  merges: [{ commit: head, secondParentInBase }],
  firstParent
})

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
    expect(judge(facts(head, { updateMerge: under(head, ourBump, true) }))).toEqual({
      kind: 'advance'
    })
  })

  it('advances a merge of an older base commit (the base moved on after the button was pressed)', () => {
    const head = updateMerge(OLD_BASE)
    expect(judge(facts(head, { updateMerge: under(head, ourBump, true) }))).toEqual({
      kind: 'advance'
    })
  })

  it('refuses a merge whose second parent is not in the base: it would bring someone else’s commits', () => {
    const head = updateMerge(FOREIGN)
    const call = () => judge(facts(head, { updateMerge: under(head, ourBump, false) }))
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
      expect(() => judge(facts(head, { updateMerge: under(head, firstParent, true) }))).toThrow(refusal)
  })

  it('refuses a merge GitHub did not sign when signatures are required, and takes it when they are not', () => {
    const head = updateMerge(BASE, { verified: false, verification: 'unsigned' })
    const updated = under(head, ourBump, true)
    expect(() => judge(facts(head, { updateMerge: updated }))).toThrow(refusal)
    expect(judge(facts(head, { updateMerge: updated, requireSigned: false }))).toEqual({ kind: 'advance' })
  })

  it('refuses a signed merge onto an unsigned bump when signatures are required', () => {
    const head = updateMerge(BASE)
    const unsigned = { ...ourBump, verified: false, verification: 'unsigned' }
    expect(() => judge(facts(head, { updateMerge: under(head, unsigned, true) }))).toThrow(refusal)
  })

  it('refuses facts about another commit than the head’s first parent', () => {
    const head = updateMerge(BASE)
    const elsewhere = { ...ourBump, sha: sha('9') }
    expect(() => judge(facts(head, { updateMerge: under(head, elsewhere, true) }))).toThrow(refusal)
  })

  it('refuses a merge when the publisher read no facts for it', () => {
    expect(() => judge(facts(updateMerge(BASE)))).toThrow(refusal)
  })
})

describe('"Update branch" pressed again before the next run: merges on merges', () => {
  const M1 = sha('3')
  const M2 = sha('4')
  const M3 = sha('5')
  const mergeOf = (at: string, first: string, second: string, over: Partial<CommitInfo> = {}) =>
    commit({ sha: at, parents: [first, second], message: UPDATE_MESSAGE, ...over })
  /** The branch as the button leaves it pressed twice: bump, merge of OLD_BASE, merge of BASE. */
  const lower = mergeOf(M1, BUMP, OLD_BASE)
  const upper = mergeOf(M2, M1, BASE)
  const commits = new Map([ourBump, lower, upper].map(c => [c.sha, c]))
  const inBase = new Set([BASE, OLD_BASE])

  function reader(known = commits, base = inBase) {
    const asked: string[] = []
    return {
      asked,
      reads: {
        commit: (at: string) => (asked.push(`commit ${at[0]}`), Promise.resolve(known.get(at)!)),
        inBase: (at: string) => (asked.push(`inBase ${at[0]}`), Promise.resolve(base.has(at)))
      }
    }
  }
  const read = (head: CommitInfo, reads: ReturnType<typeof reader>['reads'], requireSigned = true) =>
    readUpdateMerges(
      head as CommitInfo & { parents: [string, string] },
      { baseSha: BASE, target: TARGET, requireSigned },
      reads
    )

  it('reads down to the bump and advances two merges of base commits', async () => {
    const { asked, reads } = reader()
    const updateMerge = await read(upper, reads)
    expect(asked).toEqual(['inBase b', 'commit 3', 'inBase a', 'commit 1'])
    expect(updateMerge).toEqual({
      merges: [
        { commit: upper, secondParentInBase: true },
        { commit: lower, secondParentInBase: true }
      ],
      firstParent: ourBump
    })
    expect(judge(facts(upper, { updateMerge }))).toEqual({ kind: 'advance' })
  })

  it('refuses two merges when either brings in a commit outside the base, and stops reading there', async () => {
    const { asked, reads } = reader(commits, new Set([BASE]))
    const updateMerge = await read(upper, reads)
    expect(asked).toEqual(['inBase b', 'commit 3', 'inBase a', 'commit 1'])
    const foreignTop = mergeOf(M2, M1, FOREIGN)
    const top = reader(new Map([...commits, [M2, foreignTop]]))
    const stopped = await read(foreignTop, top.reads)
    expect(top.asked).toEqual(['inBase f', 'commit 3'])
    const refused = (head: CommitInfo) =>
      new RegExp(`^The branch ${BRANCH} already exists and its head ${head.sha.slice(0, 12)} is not`)
    expect(() => judge(facts(upper, { updateMerge }))).toThrow(refused(upper))
    expect(() => judge(facts(foreignTop, { updateMerge: stopped }))).toThrow(refused(foreignTop))
  })

  it('refuses an unsigned merge anywhere in the chain when signatures are required', async () => {
    const unsignedLower = { ...lower, verified: false, verification: 'unsigned' }
    const known = new Map([...commits, [M1, unsignedLower]])
    // Read as what mayBeUpdateMerge stops at: an unsigned commit under the top merge.
    const updateMerge = await read(upper, reader(known).reads)
    expect(updateMerge.firstParent).toBe(unsignedLower)
    expect(() => judge(facts(upper, { updateMerge }))).toThrow(/is not a GitHub-signed bump/)
    const forged = {
      merges: [...updateMerge.merges, { commit: unsignedLower, secondParentInBase: true }],
      firstParent: ourBump
    }
    expect(() => judge(facts(upper, { updateMerge: forged }))).toThrow(/is not a GitHub-signed bump/)
  })

  it('refuses facts whose merges do not link first parent to first parent', () => {
    const stray = mergeOf(M3, BUMP, OLD_BASE)
    const updateMerge = {
      merges: [
        { commit: upper, secondParentInBase: true },
        { commit: stray, secondParentInBase: true }
      ],
      firstParent: ourBump
    }
    expect(() => judge(facts(upper, { updateMerge }))).toThrow(/is not a GitHub-signed bump/)
  })

  it(`reads at most ${MAX_UPDATE_MERGES} merges, and refuses a longer chain`, async () => {
    const chain = [ourBump]
    for (let i = 0; i <= MAX_UPDATE_MERGES; i++)
      chain.push(mergeOf(String(i).repeat(39) + 'm', chain.at(-1)!.sha, BASE))
    const { asked, reads } = reader(new Map(chain.map(c => [c.sha, c])))
    const updateMerge = await read(chain.at(-1)!, reads)
    expect(updateMerge.merges).toHaveLength(MAX_UPDATE_MERGES)
    expect(asked.filter(a => a.startsWith('commit'))).toHaveLength(MAX_UPDATE_MERGES)
    expect(() => judge(facts(chain.at(-1)!, { updateMerge }))).toThrow(/is not a GitHub-signed bump/)
    const shorter = chain.slice(0, MAX_UPDATE_MERGES + 1)
    const fits = await read(shorter.at(-1)!, reader(new Map(shorter.map(c => [c.sha, c]))).reads)
    expect(judge(facts(shorter.at(-1)!, { updateMerge: fits }))).toEqual({ kind: 'advance' })
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
  })

  it('merges the base in first when the head does not stand on it', () => {
    expect(advanceParents(BASE, ourBump)).toEqual([BASE, BUMP])
    expect(advanceParents(BASE, updateMerge(OLD_BASE), true)).toEqual([BASE, MERGE])
  })

  it('puts the base first over "Update branch" merges, even one of the base head: their trees are unchecked', () => {
    // Otherwise the bump commit's own diff would undo whatever else the merge changed.
    expect(advanceParents(BASE, updateMerge(BASE), true)).toEqual([BASE, MERGE])
  })
})
