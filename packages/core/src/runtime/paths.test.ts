import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from './errors.js'
import { readWorkspaceFile } from './paths.js'

describe('reading a file the pull request may have made', () => {
  const workspace = () => mkdtempSync(path.join(tmpdir(), 'sp-paths-'))

  it('reads a regular file, and finds none where there is none', () => {
    const ws = workspace()
    try {
      writeFileSync(path.join(ws, '.trivyignore'), 'CVE-2024-0001\n')
      expect(readWorkspaceFile(ws, '.trivyignore', 'ignore file')).toBe('CVE-2024-0001\n')
      expect(readWorkspaceFile(ws, 'missing/.trivyignore', 'ignore file')).toBeUndefined()
    } finally {
      rmSync(ws, { recursive: true, force: true })
    }
  })

  it('names the repository path and the error code, never where the runner keeps the workspace', () => {
    const ws = workspace()
    try {
      const tooLong = `${'n'.repeat(300)}.yml`
      let thrown: unknown
      try {
        readWorkspaceFile(ws, tooLong, 'policy file')
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(ConfigurationError)
      expect((thrown as Error).message).toBe(`policy file ${tooLong} cannot be read (ENAMETOOLONG).`)
      expect((thrown as Error).message).not.toContain(ws)
    } finally {
      rmSync(ws, { recursive: true, force: true })
    }
  })

  it('refuses a link in the file’s place without naming its target', () => {
    const ws = workspace()
    try {
      symlinkSync('/etc/passwd', path.join(ws, '.semgrepignore'))
      expect(() => readWorkspaceFile(ws, '.semgrepignore', 'ignore file')).toThrow(
        new ConfigurationError(
          'ignore file .semgrepignore is a symbolic link; it is read only as a regular file.'
        )
      )
    } finally {
      rmSync(ws, { recursive: true, force: true })
    }
  })
})
