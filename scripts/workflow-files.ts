// The workflows, starter templates and action metadata of this repository, and the checks on them that
// need no tool: every `uses:` pinned by a full commit SHA with its version in a comment (the same action
// and SHA always with the same version), and every template's `.properties.json` in GitHub's format.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'

export interface YamlFile {
  /** Repository-relative, with forward slashes. */
  rel: string
  text: string
}

export const WORKFLOW_DIRS = ['.github/workflows', 'workflows-templates'] as const

function yamlFilesIn(root: string, dir: string): YamlFile[] {
  const abs = path.join(root, dir)
  if (!existsSync(abs)) return []
  return readdirSync(abs)
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .map(name => ({ rel: `${dir}/${name}`, text: readFileSync(path.join(abs, name), 'utf8') }))
}

export function workflowFiles(root: string): YamlFile[] {
  return WORKFLOW_DIRS.flatMap(dir => yamlFilesIn(root, dir))
}

/** The root composite and every `actions/<name>/action.yml`. */
export function actionFiles(root: string): YamlFile[] {
  const actions = existsSync(path.join(root, 'actions'))
    ? readdirSync(path.join(root, 'actions'))
        .sort()
        .map(name => `actions/${name}/action.yml`)
    : []
  return ['action.yml', ...actions]
    .filter(rel => existsSync(path.join(root, rel)))
    .map(rel => ({ rel, text: readFileSync(path.join(root, rel), 'utf8') }))
}

export interface UsesLine {
  file: string
  line: number
  ref: string
  comment: string
}

const USES = /^\s*(?:-\s+)?uses:\s*(['"]?)([^\s'"#]+)\1\s*(?:#\s*(.*?))?\s*$/
const PINNED = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)(\/[^@\s]+)?@([0-9a-f]{40})$/
const VERSION = /^v\d+(\.\d+){0,2}$/
/** A step of this repository's own CI may run the actions of the commit under test. */
const LOCAL = /^\.\/[A-Za-z0-9_./-]*$/

export function usesLines(file: YamlFile): UsesLine[] {
  const found: UsesLine[] = []
  for (const [index, line] of file.text.split('\n').entries()) {
    if (/^\s*#/.test(line)) continue
    const m = USES.exec(line)
    if (m) found.push({ file: file.rel, line: index + 1, ref: m[2]!, comment: (m[3] ?? '').trim() })
  }
  return found
}

/**
 * Why the `uses:` lines of these files are not pinned as required; empty when they are. `localAllowed`
 * names the files that may use `./…` (this repository's CI, which tests its own commit).
 */
export function pinProblems(files: YamlFile[], localAllowed: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = []
  const versionOf = new Map<string, { version: string; where: string }>()
  const shaOf = new Map<string, { sha: string; where: string }>()
  for (const use of files.flatMap(usesLines)) {
    const where = `${use.file}:${use.line}`
    if (LOCAL.test(use.ref)) {
      if (!localAllowed.has(use.file))
        problems.push(`${where}: ${use.ref} resolves against the caller's checkout; pin owner/repo@<sha>`)
      continue
    }
    const m = PINNED.exec(use.ref)
    if (!m) {
      problems.push(`${where}: ${use.ref} is not pinned by a full 40-hex commit SHA`)
      continue
    }
    const version = /^(\S+)/.exec(use.comment)?.[1] ?? ''
    if (!VERSION.test(version)) {
      problems.push(`${where}: ${use.ref} has no version comment (# vX.Y.Z)`)
      continue
    }
    const [, repo, subpath, sha] = m as unknown as [string, string, string | undefined, string]
    const seen = versionOf.get(`${repo}@${sha}`)
    if (seen && seen.version !== version)
      problems.push(`${where}: ${repo}@${sha} is ${version} here but ${seen.version} at ${seen.where}`)
    else versionOf.set(`${repo}@${sha}`, { version, where })
    // A repository's actions all at one SHA, its reusable workflows all at one SHA: a release pins its
    // workflows one commit after its actions (docs/adoption.md, Pinning), so the two may differ.
    const kind = subpath?.startsWith('/.github/workflows/') ? 'reusable workflows' : 'actions'
    const pinned = shaOf.get(`${repo} ${kind}`)
    if (pinned && pinned.sha !== sha)
      problems.push(
        `${where}: ${repo}${kind === 'actions' ? '' : ` (${kind})`} is pinned to ${sha} here but ${pinned.sha} at ${pinned.where}`
      )
    else shaOf.set(`${repo} ${kind}`, { sha, where })
  }
  return problems
}

const PROPERTY_KEYS = new Set([
  'name',
  'description',
  'iconName',
  'categories',
  'filePatterns',
  'creator',
  'labels'
])

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every(item => typeof item === 'string' && item.trim() !== '')

/** A starter template's metadata, in the format GitHub reads from `<template>.properties.json`. */
export function propertiesProblems(dir: string, template: string): string[] {
  const rel = `${path.basename(dir)}/${template.replace(/\.ya?ml$/, '.properties.json')}`
  const file = path.join(dir, path.basename(rel))
  if (!existsSync(file)) return [`${rel}: missing`]
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    return [`${rel}: not JSON (${(error as Error).message})`]
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [`${rel}: not a JSON object`]
  const props = json as Record<string, unknown>
  const problems = Object.keys(props)
    .filter(key => !PROPERTY_KEYS.has(key))
    .map(key => `${rel}: unknown key ${key}`)
  for (const key of ['name', 'description', 'iconName'])
    if (typeof props[key] !== 'string' || (props[key] as string).trim() === '')
      problems.push(`${rel}: ${key} must be a non-empty string`)
  if (!isStringArray(props.categories) || props.categories.length === 0)
    problems.push(`${rel}: categories must be a non-empty array of strings`)
  if (props.filePatterns !== undefined) {
    if (!isStringArray(props.filePatterns)) problems.push(`${rel}: filePatterns must be an array of strings`)
    else
      for (const pattern of props.filePatterns) {
        try {
          new RegExp(pattern)
        } catch {
          problems.push(`${rel}: filePatterns entry ${pattern} is not a regular expression`)
        }
      }
  }
  if (typeof props.iconName === 'string' && !existsSync(path.join(dir, `${props.iconName}.svg`)))
    problems.push(`${rel}: icon ${props.iconName}.svg is missing beside it`)
  return problems
}

// GitHub reads owner and repository names in any case: Octo-Org/Secure-Pipeline is this repository too.
const SELF_PIN = /^octo-org\/secure-pipeline(?:\/([^@\s]+))?@([0-9a-f]{40})$/i

/** What a pin of this repository needs at its commit to run: the action and its bundle, or the workflow. */
function pinnedNeeds(subpath: string | undefined): string[] {
  if (!subpath) return ['action.yml', 'dist/sast/index.js', 'dist/gate/index.js']
  const action = /^actions\/([^/]+)$/.exec(subpath)
  if (action) return [`${subpath}/action.yml`, `dist/${action[1]}/index.js`]
  return [subpath]
}

/**
 * Pins of this repository's own actions and workflows that a user could not run: the commit is not in
 * this repository's history, or it lacks the action, its bundle or the workflow the pin names.
 * `hasPath(commit, path)` answers from git (`git cat-file -e <commit>:<path>`).
 */
export function selfPinProblems(
  files: YamlFile[],
  hasPath: (commit: string, file: string) => boolean
): string[] {
  const problems: string[] = []
  for (const use of files.flatMap(usesLines)) {
    const m = SELF_PIN.exec(use.ref)
    if (!m) continue
    const missing = pinnedNeeds(m[1]).filter(file => !hasPath(m[2]!, file))
    if (missing.length > 0)
      problems.push(
        `${use.file}:${use.line}: ${use.ref} names a commit without ${missing.join(', ')}; re-pin with scripts/pin-self.ts`
      )
  }
  return problems
}

type Mapping = Record<string, unknown>
const mapping = (value: unknown): Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Mapping) : {}

/** The names a pinned action or reusable workflow accepts, as its metadata at that commit declares them. */
function acceptedNames(subpath: string | undefined, metadata: Mapping): Set<string> {
  if (subpath?.startsWith('.github/workflows/')) {
    const call = mapping(mapping(mapping(metadata.on).workflow_call))
    return new Set([...Object.keys(mapping(call.inputs)), ...Object.keys(mapping(call.secrets))])
  }
  return new Set(Object.keys(mapping(metadata.inputs)))
}

/**
 * `with:` and `secrets:` keys given to a pinned action or workflow of this repository that its metadata
 * at the pinned commit does not declare: the runner would ignore or refuse them, so a pin to an older
 * commit silently drops an input. `readAt(commit, path)` returns the file's text at that commit.
 */
export function selfPinInputProblems(
  files: YamlFile[],
  readAt: (commit: string, file: string) => string | undefined
): string[] {
  const problems: string[] = []
  for (const file of files) {
    const jobs = mapping(mapping(parse(file.text)).jobs)
    for (const [jobName, job] of Object.entries(jobs)) {
      const steps = Array.isArray(mapping(job).steps) ? (mapping(job).steps as unknown[]) : []
      for (const user of [mapping(job), ...steps.map(mapping)]) {
        const m = typeof user.uses === 'string' ? SELF_PIN.exec(user.uses) : null
        if (!m) continue
        const metadataPath = m[1]?.startsWith('.github/workflows/')
          ? m[1]
          : `${m[1] ? `${m[1]}/` : ''}action.yml`
        const text = readAt(m[2]!, metadataPath)
        if (text === undefined) continue // selfPinProblems reports the missing file
        const accepted = acceptedNames(m[1], mapping(parse(text)))
        const given = [...Object.keys(mapping(user.with)), ...Object.keys(mapping(user.secrets))]
        const unknown = given.filter(name => !accepted.has(name))
        if (unknown.length > 0)
          problems.push(
            `${file.rel} (job ${jobName}): ${user.uses} does not declare ${unknown.join(', ')} at that commit`
          )
      }
    }
  }
  return problems
}

/** The files whose equality makes two commits run the same actions: the composite, the actions, their bundles, the rules. */
export const ACTION_CODE = ['action.yml', 'actions', 'dist', 'rules'] as const

export interface PinHistory {
  /** The file's text at that commit (`git show <commit>:<file>`), undefined when it has none. */
  readAt(commit: string, file: string): string | undefined
  /** Whether the two commits hold the same ACTION_CODE (`git diff --quiet a b -- ACTION_CODE`). */
  sameCode(a: string, b: string): boolean
}

export interface SelfPin {
  /** The path after owner/repo: undefined for the root composite, actions/<x> or .github/workflows/<x>.yml. */
  subpath: string | undefined
  commit: string
  isWorkflow: boolean
}

export function selfPinOf(ref: string): SelfPin | undefined {
  const m = SELF_PIN.exec(ref)
  if (!m) return undefined
  return { subpath: m[1], commit: m[2]!, isWorkflow: m[1]?.startsWith('.github/workflows/') === true }
}

/** The text with every pin of this repository's commit SHA and version comment blanked, to compare two files but for their pins. */
export function withoutSelfPins(text: string): string {
  return text.replace(
    /(octo-org\/secure-pipeline(?:\/[^@\s]+)?)@[0-9a-f]{40}(\s*#\s*v\d+(?:\.\d+){0,2})?/g,
    '$1@<sha>'
  )
}

/**
 * Pins of this repository that would run other code than the release they belong to. A pin of an action
 * (or the composite) runs the ACTION_CODE of its commit; a pin of a reusable workflow runs that
 * workflow as it is at its commit, which pins actions and workflows of its own: followed recursively,
 * every action reached must hold the same ACTION_CODE as `current`. Without `current` (between
 * releases, when the code has moved on), every pin must reach the same code as the others: the code of
 * the first action pin, or of the commit of the first workflow pin. With `current` (the release check,
 * `current` the tag), each workflow reached must also be, but for its own pins, the one at `current`.
 * This is the check that a release made in two commits failed: its workflows, called at the second
 * commit, still pinned the previous release's actions.
 */
export function selfPinReachProblems(files: YamlFile[], history: PinHistory, current?: string): string[] {
  const problems: string[] = []
  const top = files.flatMap(usesLines).flatMap(use => {
    const pin = selfPinOf(use.ref)
    return pin ? [{ use, pin }] : []
  })
  const first = top.find(t => !t.pin.isWorkflow) ?? top[0]
  const root = current ?? first?.pin.commit
  if (root === undefined) return problems
  const rootName = current ? `${current} (the release)` : `${root} (the code the first pin runs)`
  const walk = (workflow: string, commit: string, chain: string, depth: number): void => {
    if (depth > 5) {
      problems.push(`${chain}: reusable workflows call each other more than 5 deep`)
      return
    }
    const text = history.readAt(commit, workflow)
    if (text === undefined) return // selfPinProblems reports a commit without the workflow
    if (current) {
      const now = history.readAt(current, workflow)
      if (now === undefined || withoutSelfPins(now) !== withoutSelfPins(text))
        problems.push(
          `${chain}: ${workflow} at ${commit} is not the release's ${workflow} (other than in its pins); re-pin the workflows (scripts/pin-self.ts workflows)`
        )
    }
    for (const use of usesLines({ rel: workflow, text })) {
      const pin = selfPinOf(use.ref)
      if (!pin) continue
      const next = `${chain} -> ${workflow}@${commit.slice(0, 7)}:${use.line}`
      if (pin.isWorkflow) walk(pin.subpath!, pin.commit, next, depth + 1)
      else if (!history.sameCode(pin.commit, root))
        problems.push(
          `${next}: runs ${use.ref}, whose ${ACTION_CODE.join(', ')} differ from ${rootName}; re-pin (scripts/pin-self.ts actions, then workflows)`
        )
    }
  }
  for (const { use, pin } of top) {
    const where = `${use.file}:${use.line}`
    if (pin.isWorkflow) walk(pin.subpath!, pin.commit, where, 1)
    else if (!history.sameCode(pin.commit, root))
      problems.push(
        `${where}: ${use.ref} holds other ${ACTION_CODE.join(', ')} than ${rootName}; re-pin (scripts/pin-self.ts actions)`
      )
  }
  return problems
}
