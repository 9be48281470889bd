import { existsSync, readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'

export const REPO_ROOT = path.resolve(import.meta.dirname, '..')

export interface ActionInput {
  description?: string
  required?: boolean
  default?: string | number | boolean
  deprecationMessage?: string
}

export interface ActionMetadata {
  name: string
  description?: string
  inputs?: Record<string, ActionInput>
  outputs?: Record<string, { description?: string; value?: string }>
  runs?: { using?: string; main?: string; steps?: unknown[] }
}

export interface ActionFolder {
  name: string
  dir: string
  metadataFile: string
  text: string
  metadata: ActionMetadata
}

export function listActionFolders(root = REPO_ROOT): ActionFolder[] {
  const actionsDir = path.join(root, 'actions')
  if (!existsSync(actionsDir)) return []
  return readdirSync(actionsDir, { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => {
      const dir = path.join(actionsDir, entry.name)
      const metadataFile = path.join(dir, 'action.yml')
      const text = existsSync(metadataFile) ? readFileSync(metadataFile, 'utf8') : ''
      return { name: entry.name, dir, metadataFile, text, metadata: (parse(text) ?? {}) as ActionMetadata }
    })
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** Folders the metadata check requires: a check that finds nothing to check must fail, not pass. */
export const REQUIRED_FOLDERS = ['actions'] as const

export interface CompositeStep {
  name?: string
  id?: string
  if?: string
  run?: string
  uses?: string
  env?: Record<string, unknown>
}

/** What a composite step refers to: `inputs.<name>` and `steps.<id>` anywhere in its expressions. */
function references(text: string, context: 'inputs' | 'steps'): string[] {
  const found: string[] = []
  for (const expression of text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    for (const match of expression[1]!.matchAll(new RegExp(`\\b${context}\\.([\\w-]+)`, 'g')))
      found.push(match[1]!)
  }
  return found
}

/** `if:` may omit the `${{ }}` around its expression. */
function wrapped(condition: string | undefined): string {
  if (!condition) return ''
  return condition.includes('${{') ? condition : `\${{ ${condition} }}`
}

const BUNDLE = /\$GITHUB_ACTION_PATH\/dist\/([\w-]+)\/index\.js/

/** A step that runs a bundle may set only INPUT_* the bundle's action declares; others are silently ignored. */
function bundleInputProblems(
  where: string,
  run: string,
  env: readonly (readonly [string, string])[],
  actions: ActionFolder[]
): string[] {
  const bundle = BUNDLE.exec(run)?.[1]
  if (!bundle) return []
  const action = actions.find(a => a.name === bundle)
  if (!action) return [`${where}: runs dist/${bundle}, but there is no actions/${bundle}`]
  const declared = new Set(Object.keys(action.metadata.inputs ?? {}).map(n => n.toUpperCase()))
  return env
    .map(([key]) => key)
    .filter(key => key.startsWith('INPUT_') && !declared.has(key.slice('INPUT_'.length)))
    .map(key => `${where}: sets ${key}, which actions/${bundle} does not declare, so the bundle ignores it`)
}

/**
 * The root composite runs the bundles with `node`, so nothing checks its wiring at run time: an input
 * name with a typo is silently absent, and `${{ }}` in `run:` makes an input value shell code.
 */
export function compositeProblems(file: string, metadata: ActionMetadata, actions: ActionFolder[]): string[] {
  const problems: string[] = []
  if (metadata.runs?.using !== 'composite') return [`${file}: runs.using must be composite`]
  const inputs = new Set(Object.keys(metadata.inputs ?? {}))
  const steps = (metadata.runs.steps ?? []) as CompositeStep[]
  const ids: string[] = []
  const refer = (where: string, text: string, known: string[]) => {
    for (const name of references(text, 'inputs'))
      if (!inputs.has(name)) problems.push(`${where}: refers to inputs.${name}, which is not declared`)
    for (const id of references(text, 'steps'))
      if (!known.includes(id))
        problems.push(`${where}: refers to steps.${id}, which is not an earlier step id`)
  }
  for (const [index, step] of steps.entries()) {
    const where = `${file}: step '${step.name ?? step.id ?? index}'`
    if (step.uses?.startsWith('./'))
      problems.push(`${where}: uses: ./… resolves against the caller's workspace; run the bundle`)
    if (step.run?.includes('${{'))
      problems.push(`${where}: \${{ }} inside run: turns a value into shell code; pass it through env:`)
    const env = Object.entries(step.env ?? {}).map(([key, value]) => [key, String(value)] as const)
    refer(where, [wrapped(step.if), step.run ?? '', ...env.map(([, v]) => v)].join('\n'), ids)
    problems.push(...bundleInputProblems(where, step.run ?? '', env, actions))
    if (step.id) ids.push(step.id)
  }
  for (const [name, output] of Object.entries(metadata.outputs ?? {}))
    refer(`${file}: output '${name}'`, output.value ?? '', ids)
  return problems
}
