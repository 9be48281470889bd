// Every action must be valid metadata for GitHub's own parser, run on node24 and point to a
// committed bundle; an entry file may only call run().
import { existsSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { NoOperationTraceWriter } from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/index'
import { parseWorkflow } from '@actions/workflow-parser'
import { readdirSync } from 'node:fs'
import { listActionFolders, REPO_ROOT, type ActionFolder } from './action-metadata.js'

const problems: string[] = []

function parserErrors(file: string, content: string): string[] {
  const result = parseAction({ name: file, content }, new NoOperationTraceWriter())
  return result.context.errors.getErrors().map(e => `${file}: ${e.message}`)
}

function checkJavaScriptAction(action: ActionFolder): void {
  const rel = path.relative(REPO_ROOT, action.metadataFile)
  if (!existsSync(action.metadataFile)) {
    problems.push(`${rel}: missing`)
    return
  }
  problems.push(...parserErrors(rel, action.text))
  const runs = action.metadata.runs
  if (runs?.using !== 'node24') problems.push(`${rel}: runs.using must be node24, found ${runs?.using}`)
  const main = runs?.main ? path.resolve(action.dir, runs.main) : undefined
  const expected = path.join(REPO_ROOT, 'dist', action.name, 'index.js')
  if (main !== expected) problems.push(`${rel}: runs.main must be ../../dist/${action.name}/index.js`)
  else if (!existsSync(main))
    problems.push(`${rel}: bundle ${path.relative(REPO_ROOT, main)} does not exist (npm run build)`)
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
}

function checkRootAction(): void {
  const file = path.join(REPO_ROOT, 'action.yml')
  if (!existsSync(file)) {
    problems.push('action.yml: missing at the root')
    return
  }
  problems.push(...parserErrors('action.yml', readFileSync(file, 'utf8')))
}

function checkWorkflowTemplates(): void {
  const dir = path.join(REPO_ROOT, 'workflows-templates')
  if (!existsSync(dir)) return
  for (const name of readdirSync(dir).filter(f => /\.ya?ml$/.test(f))) {
    const content = readFileSync(path.join(dir, name), 'utf8')
    const result = parseWorkflow({ name, content }, new NoOperationTraceWriter())
    problems.push(...result.context.errors.getErrors().map(e => `workflows-templates/${name}: ${e.message}`))
  }
}

const actions = listActionFolders()
for (const action of actions) checkJavaScriptAction(action)
checkRootAction()
checkWorkflowTemplates()

if (problems.length > 0) {
  for (const p of problems) console.log(`::error::${p}`)
  process.exit(1)
}
console.log(`action metadata OK: ${actions.map(a => a.name).join(', ')} + root action.yml`)
