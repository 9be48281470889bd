import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parseDocument } from 'yaml'
import { REPO_ROOT } from '../../support/repo-root.js'

// What a platform engineer copies from the docs: every YAML snippet must parse, every pin of this
// repository must carry a version comment (Dependabot reads it), and every relative link must resolve.
const DOCS = [
  'README.md',
  'docs/adoption.md',
  ...readdirSync(path.join(REPO_ROOT, 'actions')).map(name => `actions/${name}/README.md`)
].filter(rel => existsSync(path.join(REPO_ROOT, rel)))

const read = (rel: string) => readFileSync(path.join(REPO_ROOT, rel), 'utf8')

/** Fenced YAML blocks, dedented (a step list may be shown at its indentation in a workflow). */
function yamlBlocks(text: string): { line: number; body: string }[] {
  const blocks: { line: number; body: string }[] = []
  for (const m of text.matchAll(/^( *)```ya?ml\n([\s\S]*?)^ *```/gm)) {
    const lines = m[2]!.split('\n')
    const indent = Math.min(...lines.filter(l => l.trim() !== '').map(l => /^ */.exec(l)![0].length))
    blocks.push({
      line: text.slice(0, m.index).split('\n').length,
      body: lines.map(l => l.slice(indent)).join('\n')
    })
  }
  return blocks
}

describe('the docs a new user copies from', () => {
  it('finds the documents and their snippets', () => {
    expect(DOCS).toContain('docs/adoption.md')
    expect(DOCS.flatMap(rel => yamlBlocks(read(rel))).length).toBeGreaterThan(20)
  })

  it('hold YAML snippets that parse', () => {
    const problems = DOCS.flatMap(rel =>
      yamlBlocks(read(rel)).flatMap(({ line, body }) => {
        const doc = parseDocument(body, { uniqueKeys: false })
        return doc.errors.map(e => `${rel}:${line}: ${e.message.split('\n')[0]}`)
      })
    )
    expect(problems).toEqual([])
  })

  it('pin this repository with a version comment in every snippet', () => {
    const problems = DOCS.flatMap(rel =>
      yamlBlocks(read(rel)).flatMap(({ line, body }) =>
        body
          .split('\n')
          .filter(text => /uses: +[\w.-]+\/secure-pipeline[^\s@]*@\S+/.test(text))
          .filter(text => !/#\s*v(\d+\.\d+\.\d+|X\.Y\.Z)\b/.test(text))
          .map(text => `${rel}:${line}: ${text.trim()}`)
      )
    )
    expect(problems).toEqual([])
  })

  it('link to files that exist', () => {
    const problems = DOCS.flatMap(rel =>
      [
        ...read(rel)
          .replace(/```[\s\S]*?```/g, '')
          .matchAll(/\]\(([^)\s#]+)(#[^)\s]*)?\)/g)
      ]
        .map(m => m[1]!)
        .filter(link => !/^[a-z]+:/i.test(link))
        .filter(link => !existsSync(path.join(REPO_ROOT, path.dirname(rel), link)))
        .map(link => `${rel}: ${link}`)
    )
    expect(problems).toEqual([])
  })
})
