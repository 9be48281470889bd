import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { K8S_RULES } from '@secure-pipeline/core/k8s'

const ACTION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const readme = readFileSync(path.join(ACTION_DIR, 'README.md'), 'utf8')
const metadata = parse(readFileSync(path.join(ACTION_DIR, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description?: string; default?: string }>
  outputs: Record<string, { description?: string }>
}

describe('k8s-policy documentation', () => {
  it('lists every rule with its id in the README rules table', () => {
    const rows = readme.split('\n').filter(line => line.startsWith('| `'))
    for (const rule of K8S_RULES) expect(rows.some(row => row.startsWith(`| \`${rule.id}\` |`))).toBe(true)
  })

  it('documents every input and output of action.yml', () => {
    const section = (name: string) =>
      readme.slice(readme.indexOf(`<!-- ${name}:start -->`), readme.indexOf(`<!-- ${name}:end -->`))
    for (const [name, input] of Object.entries(metadata.inputs)) {
      expect(input.description).toBeTruthy()
      expect(input.default).toBeDefined()
      expect(section('inputs')).toContain(`| \`${name}\` |`)
    }
    for (const name of Object.keys(metadata.outputs)) expect(section('outputs')).toContain(`| \`${name}\` |`)
  })
})
