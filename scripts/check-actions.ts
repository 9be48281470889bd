// Every action must be valid metadata for GitHub's own parser, run on node24 and point to a
// committed bundle; an entry file may only call run(). The root composite must wire the bundles
// to inputs they declare, through env: only. A folder the check expects and cannot find is a
// failure: a check that found nothing to check has not passed.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/index'
import { parse } from 'yaml'
import {
  compositeProblems,
  listActionFolders,
  REPO_ROOT,
  REQUIRED_FOLDERS,
  type ActionFolder,
  type ActionMetadata
} from './action-metadata.js'
import { actionFiles, pinProblems, propertiesProblems, workflowFiles } from './workflow-files.js'

export interface MetadataCheck {
  problems: string[]
  /** What was checked, for the success line: it never claims a folder it did not see. */
  checked: string[]
}

function parserErrors(file: string, content: string): string[] {
  const result = parseAction({ name: file, content }, new NoOperationTraceWriter())
  return result.context.errors.getErrors().map(e => `${file}: ${e.message}`)
}

function javaScriptActionProblems(root: string, action: ActionFolder): string[] {
  const rel = path.relative(root, action.metadataFile)
  if (!existsSync(action.metadataFile)) return [`${rel}: missing`]
  const problems = parserErrors(rel, action.text)
  const runs = action.metadata.runs
  if (runs?.using !== 'node24') problems.push(`${rel}: runs.using must be node24, found ${runs?.using}`)
  const main = runs?.main ? path.resolve(action.dir, runs.main) : undefined
  const expected = path.join(root, 'dist', action.name, 'index.js')
  if (main !== expected) problems.push(`${rel}: runs.main must be ../../dist/${action.name}/index.js`)
  else if (!existsSync(main))
    problems.push(`${rel}: bundle ${path.relative(root, main)} does not exist (npm run build)`)
  for (const file of ['README.md', 'src/main.ts', 'src/index.ts', 'tsconfig.json']) {
    if (!existsSync(path.join(action.dir, file))) problems.push(`actions/${action.name}/${file}: missing`)
  }
  const index = path.join(action.dir, 'src', 'index.ts')
  if (existsSync(index)) {
    const code = readFileSync(index, 'utf8')
      .split('\n')
      .filter(line => line.trim() !== '' && !line.trim().startsWith('//'))
    const allowed = [/^import \{ run \} from '\.\/main\.js'$/, /^(void |await )?run\(\)$/]
    if (code.length !== 2 || !code.every((line, i) => allowed[i]?.test(line.trim())))
      problems.push(`actions/${action.name}/src/index.ts: must only import and call run()`)
  }
  for (const [name, input] of Object.entries(action.metadata.inputs ?? {})) {
    if (!input.description) problems.push(`${rel}: input '${name}' has no description`)
  }
  return problems
}

function rootActionProblems(root: string, actions: ActionFolder[]): string[] {
  const file = path.join(root, 'action.yml')
  if (!existsSync(file)) return ['action.yml: missing at the root']
  const text = readFileSync(file, 'utf8')
  return [
    ...parserErrors('action.yml', text),
    ...compositeProblems('action.yml', parse(text) as ActionMetadata, actions)
  ]
}

/** GitHub's own workflow parser over every `.yml` of a folder; a template also needs its properties. */
function workflowProblems(root: string, folder: string): string[] {
  const dir = path.join(root, folder)
  const names = readdirSync(dir).filter(f => /\.ya?ml$/.test(f))
  if (names.length === 0) return [`${folder}/: holds no workflow`]
  return names.flatMap(name => {
    const content = readFileSync(path.join(dir, name), 'utf8')
    const result = parseWorkflow({ name, content }, new NoOperationTraceWriter())
    return [
      ...result.context.errors.getErrors().map(e => `${folder}/${name}: ${e.message}`),
      ...(folder === 'workflows-templates' ? propertiesProblems(dir, name) : [])
    ]
  })
}

/** This repository's CI runs the actions of the commit it tests, by path; nothing else may. */
const LOCAL_USES_ALLOWED = new Set(['.github/workflows/ci.yml'])

export function checkActionMetadata(root = REPO_ROOT): MetadataCheck {
  const problems: string[] = []
  for (const folder of REQUIRED_FOLDERS) {
    if (!existsSync(path.join(root, folder))) problems.push(`${folder}/: missing; nothing would be checked`)
  }
  const actions = listActionFolders(root)
  if (existsSync(path.join(root, 'actions')) && actions.length === 0)
    problems.push('actions/: holds no action')
  for (const action of actions) problems.push(...javaScriptActionProblems(root, action))
  problems.push(...rootActionProblems(root, actions))
  const checked = [`actions/ (${actions.map(a => a.name).join(', ')})`, 'root action.yml']
  for (const folder of ['.github/workflows', 'workflows-templates']) {
    if (!existsSync(path.join(root, folder))) continue
    problems.push(...workflowProblems(root, folder))
    checked.push(`${folder}/`)
  }
  problems.push(...pinProblems([...workflowFiles(root), ...actionFiles(root)], LOCAL_USES_ALLOWED))
  checked.push('uses: pins')
  return { problems, checked }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { problems, checked } = checkActionMetadata()
  for (const problem of problems) console.log(`::error::${problem}`)
  if (problems.length > 0) process.exit(1)
  console.log(`action metadata OK: ${checked.join(', ')}`)
}
