import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import type { PullRequestBase } from '../github/pull-request-base.js'
import { ConfigurationError } from '../runtime/errors.js'
import { decideIgnoreRules, DEFAULT_SEMGREPIGNORE, ignorePatterns } from './ignore.js'

function workspaceWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sast-ignore-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return dir
}

/** A change whose merge-base holds `files` (what git would return for them). */
function baseWith(files: Record<string, string>, changed: string[] = []): PullRequestBase {
  return {
    event: 'pull_request',
    commit: 'b'.repeat(40),
    head: 'h'.repeat(40),
    changes: changed.map(file => ({ path: file, status: 'M' as const })),
    changed: file => changed.includes(file),
    read: async file => files[file]
  }
}

describe('ignorePatterns', () => {
  it('keeps patterns in order, drops comments and blanks, and expands :include from the same version', async () => {
    const read = async (file: string) => (file === '.gitignore' ? 'build/\n:include nested\n' : undefined)
    const text = '# ours\ngenerated/\n!generated/keep.py  \n\n:include .gitignore\n:include missing\n'
    expect(await ignorePatterns(text, read)).toEqual(['generated/', '!generated/keep.py', 'build/'])
  })
})

describe('decideIgnoreRules', () => {
  it('lets the merge-base version decide on a change, and shows what the change proposes', async () => {
    const workspace = workspaceWith({ '.semgrepignore': 'vendor/\nsrc/\n' })
    const rules = await decideIgnoreRules({
      workspace,
      source: 'base',
      base: baseWith({ '.semgrepignore': 'vendor/\ngenerated/\n' }, ['.semgrepignore'])
    })
    expect(rules.patterns).toEqual(['vendor/', 'generated/'])
    expect(rules.origin).toBe(`.semgrepignore (merge-base ${'b'.repeat(12)})`)
    expect(rules.proposed).toEqual({ origin: 'workspace', added: ['src/'], removed: ['generated/'] })
  })

  it("applies Semgrep's built-in list when the merge-base has no ignore file, whatever the change adds", async () => {
    const workspace = workspaceWith({ '.semgrepignore': '*\n' })
    const rules = await decideIgnoreRules({ workspace, source: 'base', base: baseWith({}) })
    expect(rules.patterns).toEqual(DEFAULT_SEMGREPIGNORE)
    expect(rules.proposed?.added).toEqual(['*'])
  })

  it('reads :include files from the merge-base too, never from the checkout', async () => {
    const workspace = workspaceWith({ '.semgrepignore': ':include .gitignore\n', '.gitignore': '*\n' })
    const rules = await decideIgnoreRules({
      workspace,
      source: 'base',
      base: baseWith({ '.semgrepignore': ':include .gitignore\n', '.gitignore': 'build/\n' })
    })
    expect(rules.patterns).toEqual(['build/'])
  })

  it('reads :include files at the base branch tip when that version decides, not at the older merge-base', async () => {
    // The branch forked before the base narrowed .gitignore; the tip's ignore file includes it.
    const tip = 'c'.repeat(40)
    const atTip: Record<string, string> = {
      '.semgrepignore': ':include .gitignore\n',
      '.gitignore': 'build/\n'
    }
    const base: PullRequestBase = {
      ...baseWith({ '.semgrepignore': ':include .gitignore\n', '.gitignore': 'src/\n' }),
      reviewed: { commit: tip, read: async file => atTip[file] }
    }
    const workspace = workspaceWith({ '.semgrepignore': ':include .gitignore\n', '.gitignore': 'src/\n' })
    const rules = await decideIgnoreRules({ workspace, source: 'base', base })
    expect(rules.origin).toBe(`.semgrepignore (base branch ${'c'.repeat(12)})`)
    expect(rules.patterns).toEqual(['build/'])
  })

  it('does not let a directory or a link in the ignore file’s place stop a change from being scanned', async () => {
    const workspace = workspaceWith({})
    mkdirSync(path.join(workspace, '.semgrepignore'))
    const rules = await decideIgnoreRules({ workspace, source: 'base', base: baseWith({}) })
    expect(rules.patterns).toEqual(DEFAULT_SEMGREPIGNORE)
    expect(rules.proposed?.unreadable).toMatch(/not a regular file/)
  })

  it('uses the checkout on push and with source head, and refuses a directory or a link there', async () => {
    const workspace = workspaceWith({ '.semgrepignore': 'docs/\n' })
    const head = await decideIgnoreRules({
      workspace,
      source: 'head',
      base: baseWith({ '.semgrepignore': 'x/\n' })
    })
    expect(head).toEqual({ patterns: ['docs/'], origin: '.semgrepignore (workspace)' })
    const push = await decideIgnoreRules({ workspace, source: 'base', base: undefined })
    expect(push.patterns).toEqual(['docs/'])
    const dir = workspaceWith({})
    mkdirSync(path.join(dir, '.semgrepignore'))
    await expect(decideIgnoreRules({ workspace: dir, source: 'base', base: undefined })).rejects.toThrow(
      new ConfigurationError('Ignore file .semgrepignore is not a regular file.')
    )
    const linked = workspaceWith({})
    symlinkSync('/etc/hostname', path.join(linked, '.semgrepignore'))
    await expect(decideIgnoreRules({ workspace: linked, source: 'base', base: undefined })).rejects.toThrow(
      /symbolic link/
    )
  })
})
