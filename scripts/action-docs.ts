// Regenerates the inputs/outputs tables in each action's README from its action.yml.
// `--check` fails instead of writing, so CI catches a README that drifted from the metadata.
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import * as path from 'node:path'
import { listActionFolders, type ActionMetadata } from './action-metadata.js'

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim()
}

export function inputsTable(metadata: ActionMetadata): string {
  const rows = Object.entries(metadata.inputs ?? {}).map(([name, input]) => {
    const fallback =
      input.default === undefined || input.default === '' ? '' : `\`${cell(String(input.default))}\``
    return `| \`${name}\` | ${cell(input.description ?? '')} | ${input.required ? 'yes' : 'no'} | ${fallback} |`
  })
  return ['| input | description | required | default |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

export function outputsTable(metadata: ActionMetadata): string {
  const rows = Object.entries(metadata.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description ?? '')} |`
  )
  return ['| output | description |', '| --- | --- |', ...rows].join('\n')
}

export function replaceBetween(text: string, marker: string, body: string): string | undefined {
  const start = `<!-- ${marker}:start -->`
  const end = `<!-- ${marker}:end -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from < 0 || to < from) return undefined
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`
}

const check = process.argv.includes('--check')
const problems: string[] = []
for (const action of listActionFolders()) {
  const readme = path.join(action.dir, 'README.md')
  if (!existsSync(readme)) {
    problems.push(`actions/${action.name}/README.md is missing`)
    continue
  }
  const before = readFileSync(readme, 'utf8')
  let after: string | undefined = before
  for (const [marker, table] of [
    ['inputs', inputsTable(action.metadata)],
    ['outputs', outputsTable(action.metadata)]
  ] as const) {
    after = after === undefined ? undefined : replaceBetween(after, marker, table)
    if (after === undefined)
      problems.push(`actions/${action.name}/README.md lacks <!-- ${marker}:start/end --> markers`)
  }
  if (after === undefined || after === before) continue
  if (check) problems.push(`actions/${action.name}/README.md tables are out of date: run 'npm run docs'`)
  else {
    writeFileSync(readme, after)
    console.log(`updated actions/${action.name}/README.md`)
  }
}
if (problems.length > 0) {
  for (const p of problems) console.log(`::error::${p}`)
  process.exit(1)
}
if (check) console.log('action READMEs match their action.yml')
