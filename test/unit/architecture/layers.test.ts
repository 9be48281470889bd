import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { REPO_ROOT } from '../../support/repo-root.js'

const CORE = path.join(REPO_ROOT, 'packages', 'core', 'src')

/**
 * Core folders import only downward. A folder may import folders of a lower rank; folders of the same
 * rank do not import each other, except that `findings` is the model the others of its rank share.
 */
const RANK: Record<string, number> = {
  runtime: 0,
  images: 1,
  findings: 2,
  policy: 3,
  github: 3,
  tools: 3,
  sbom: 3,
  registry: 3,
  report: 4,
  'policy-source': 4,
  evidence: 3,
  gate: 5,
  sast: 5,
  k8s: 5,
  'image-scan': 5,
  manifests: 5,
  metrics: 5,
  sca: 5
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : []
  })
}

const folderOf = (file: string) => path.relative(CORE, file).split(path.sep)[0]!

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(m => m[1]!)
  return specifiers.map(s => path.resolve(path.dirname(file), s))
}

describe('packages/core layers', () => {
  const files = sourceFiles(CORE)

  it('knows the rank of every core folder', () => {
    const folders = [...new Set(files.map(folderOf))]
    expect(folders.filter(f => !(f in RANK))).toEqual([])
  })

  it('imports only downward, and domain folders never import each other', () => {
    const wrong: string[] = []
    for (const file of files) {
      const from = folderOf(file)
      for (const target of importsOf(file)) {
        const to = folderOf(target)
        if (to === from || target.startsWith('..')) continue
        const ok = RANK[to]! < RANK[from]! || (RANK[to] === RANK[from] && to === 'findings')
        if (!ok) wrong.push(`${path.relative(CORE, file)} imports ${path.relative(CORE, target)}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('has no import cycle between files', () => {
    const graph = new Map(
      files.map(f => [
        f,
        importsOf(f)
          .map(t => t.replace(/\.js$/, '.ts'))
          .filter(t => t.startsWith(CORE))
      ])
    )
    const cycles: string[] = []
    const state = new Map<string, 'open' | 'done'>()
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map(f => path.relative(CORE, f)).join(' → '))
        return
      }
      state.set(file, 'open')
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file])
      state.set(file, 'done')
    }
    for (const file of files) visit(file, [])
    expect(cycles).toEqual([])
  })
})
