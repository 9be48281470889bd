// Pins this repository's own actions and reusable workflows in .github/workflows and
// workflows-templates, for a release (docs/adoption.md, "Pinning"). A release is three commits, because a
// pin can only name a commit that already exists, and a reusable workflow runs the actions that it pins
// at the commit it is called at:
//   C1  the code and its dist/ (pins as they were);
//   C2  `pin-self.ts actions C1 vX.Y.Z`: every pin of an action or of the root composite names C1;
//   C3  `pin-self.ts workflows C2 vX.Y.Z`: every pin of a reusable workflow names C2, whose workflows
//       pin C1. The tag goes on C3, whose action code is C1's.
// `pin-self.ts check [<commit>]` follows every pin recursively (selfPinReachProblems) and fails unless
// each reaches the action code of <commit> (default HEAD), and each workflow reached is <commit>'s.
//   node --import tsx scripts/pin-self.ts actions|workflows <commit> <vX.Y.Z>
//   node --import tsx scripts/pin-self.ts check [<commit>]
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  ACTION_CODE,
  selfPinOf,
  selfPinProblems,
  selfPinReachProblems,
  usesLines,
  workflowFiles,
  type PinHistory
} from './workflow-files.js'

const SELF = /(octo-org\/secure-pipeline(?:\/[^@\s]+)?)@[0-9a-f]{40}(\s*#\s*)v\d+(?:\.\d+){0,2}/gi

/** Which pins to move: those of actions and the root composite, those of reusable workflows, or both. */
export type PinKind = 'actions' | 'workflows' | 'all'

export function pinSelf(text: string, commit: string, version: string, kind: PinKind = 'all'): string {
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`not a full commit SHA: ${commit}`)
  if (!/^v\d+\.\d+\.\d+$/.test(version)) throw new Error(`not a release version vX.Y.Z: ${version}`)
  return text.replace(SELF, (whole, ref: string, gap: string) => {
    const isWorkflow = ref.startsWith('octo-org/secure-pipeline/.github/workflows/')
    if (kind === 'actions' && isWorkflow) return whole
    if (kind === 'workflows' && !isWorkflow) return whole
    return `${ref}@${commit}${gap}${version}`
  })
}

/** PinHistory from git, in `root`. */
export function gitHistory(root: string): PinHistory {
  const same = new Map<string, boolean>()
  return {
    readAt(commit, file) {
      try {
        return execFileSync('git', ['show', `${commit}:${file}`], {
          cwd: root,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
          maxBuffer: 64 * 1024 * 1024
        })
      } catch {
        return undefined
      }
    },
    sameCode(a, b) {
      const key = `${a} ${b}`
      let result = same.get(key)
      if (result === undefined) {
        try {
          execFileSync('git', ['diff', '--quiet', a, b, '--', ...ACTION_CODE], { cwd: root, stdio: 'ignore' })
          result = true
        } catch {
          result = false
        }
        same.set(key, result)
      }
      return result
    }
  }
}

function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()
}

function fail(message: string): never {
  console.error(`pin-self: ${message}`)
  process.exit(1)
}

function check(root: string, current: string): void {
  const files = workflowFiles(root)
  const history = gitHistory(root)
  const inHistory = (commit: string, file: string): boolean => {
    try {
      execFileSync('git', ['merge-base', '--is-ancestor', commit, current], { cwd: root, stdio: 'ignore' })
    } catch {
      return false
    }
    return history.readAt(commit, file) !== undefined
  }
  const problems = [...selfPinProblems(files, inHistory), ...selfPinReachProblems(files, history, current)]
  for (const problem of problems) console.error(`::error::${problem}`)
  if (problems.length > 0) process.exit(1)
  console.log(`pin-self: every pin reaches the actions and workflows of ${current}`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [mode = '', commitArg = '', version = ''] = process.argv.slice(2)
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  if (mode === 'check') {
    check(root, git(root, 'rev-parse', '--verify', `${commitArg || 'HEAD'}^{commit}`))
  } else if (mode === 'actions' || mode === 'workflows') {
    const commit = git(root, 'rev-parse', '--verify', `${commitArg}^{commit}`)
    if (commit !== commitArg) fail(`give the full commit SHA (${commitArg} is ${commit})`)
    if (git(root, 'status', '--porcelain', '--', ...ACTION_CODE) !== '')
      fail(`${ACTION_CODE.join(', ')} have uncommitted changes; commit the code first`)
    const history = gitHistory(root)
    if (!history.sameCode(commit, 'HEAD'))
      fail(`${commit} holds other ${ACTION_CODE.join(', ')} than HEAD; pin the commit that holds this code`)
    if (mode === 'workflows') {
      // The files at <commit> must already pin actions with this code (step C2 before C3): a workflow
      // called at <commit> runs the actions it pins there.
      const stale = workflowFiles(root).flatMap(file => {
        const text = history.readAt(commit, file.rel)
        if (text === undefined) return []
        return usesLines({ rel: file.rel, text }).filter(use => {
          const pin = selfPinOf(use.ref)
          return pin !== undefined && !pin.isWorkflow && !history.sameCode(pin.commit, 'HEAD')
        })
      })
      if (stale.length > 0)
        fail(
          `at ${commit}, ${stale.map(use => `${use.file}:${use.line} ${use.ref}`).join(', ')} run other code than HEAD; run pin-self.ts actions first`
        )
    }
    for (const file of workflowFiles(root)) {
      const abs = path.join(root, file.rel)
      const pinned = pinSelf(readFileSync(abs, 'utf8'), commit, version, mode)
      if (pinned !== file.text) {
        writeFileSync(abs, pinned)
        console.log(`pinned ${file.rel}`)
      }
    }
  } else {
    fail('usage: pin-self.ts actions|workflows <commit> <vX.Y.Z>, or pin-self.ts check [<commit>]')
  }
}
