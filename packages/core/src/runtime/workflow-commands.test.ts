import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as actionsCore from '@actions/core'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { captureStdout as captureLog } from './stdout.js'
import * as ours from './workflow-commands.js'

/** Strings that stress the grammar: command injection, escapes, newlines, unicode, property separators. */
const NASTY = [
  'plain',
  '',
  '::error::injected',
  'line1\nline2\r\nline3',
  '100% done, 50%0A encoded already',
  'a:b,c=d',
  '::add-mask::secret',
  'emoji ✓ ünïcödé',
  '  padded  '
]

/** What a call writes to the log: ours through the runtime's writer, @actions/core's through process.stdout. */
function captureStdout(fn: () => void): string {
  const original = process.stdout.write.bind(process.stdout)
  let text = ''
  process.stdout.write = ((chunk: string | Uint8Array) => {
    text += chunk.toString()
    return true
  }) as typeof process.stdout.write
  const restore = captureLog(chunk => {
    text += chunk
  })
  try {
    fn()
  } finally {
    process.stdout.write = original
    restore()
  }
  return text
}

// Theirs is a random UUID, ours the first number the value does not hold: the records are otherwise equal.
const sameDelimiters = (text: string) =>
  text.replace(/ghadelimiter_(?:[0-9a-f-]{36}|\d+x)/g, 'ghadelimiter_X')

/** GITHUB_OUTPUT read as the runner reads it: `name<<delimiter`, lines, a line that is the delimiter. */
function readOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const [name, delimiter] = lines[i]!.split('<<')
    if (!delimiter) continue
    const end = lines.indexOf(delimiter, i + 1)
    outputs[name!] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return outputs
}

describe('workflow commands: byte-for-byte what @actions/core writes', () => {
  let dir: string
  const saved = { ...process.env }
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sp-wfc-'))
  })
  afterEach(() => {
    process.env = { ...saved }
    process.exitCode = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  it.each(['info', 'debug', 'warning', 'error', 'startGroup', 'setSecret', 'setFailed'] as const)(
    '%s',
    name => {
      for (const message of NASTY) {
        const theirs = captureStdout(() => actionsCore[name](message))
        const mine = captureStdout(() => ours[name](message))
        expect(mine).toBe(theirs)
      }
      expect(captureStdout(() => ours.endGroup())).toBe(captureStdout(() => actionsCore.endGroup()))
    }
  )

  it('setFailed sets exit code 1', () => {
    captureStdout(() => ours.setFailed('x'))
    expect(process.exitCode).toBe(1)
  })

  it('getInput reads INPUT_<NAME> with spaces as underscores, trimmed', () => {
    process.env['INPUT_FAIL-ON'] = '  high \n'
    process.env['INPUT_MY_INPUT'] = 'v'
    for (const name of ['fail-on', 'my input', 'missing'])
      expect(ours.getInput(name)).toBe(actionsCore.getInput(name))
    expect(ours.getInput('fail-on')).toBe('high')
  })

  it('setOutput writes the same GITHUB_OUTPUT records, and the stdout fallback without the file', () => {
    const theirs = path.join(dir, 'theirs')
    const mine = path.join(dir, 'mine')
    writeFileSync(theirs, '')
    writeFileSync(mine, '')
    for (const [i, value] of NASTY.entries()) {
      process.env.GITHUB_OUTPUT = theirs
      actionsCore.setOutput(`out-${i}`, value)
      process.env.GITHUB_OUTPUT = mine
      ours.setOutput(`out-${i}`, value)
    }
    expect(sameDelimiters(readFileSync(mine, 'utf8'))).toBe(sameDelimiters(readFileSync(theirs, 'utf8')))
    delete process.env.GITHUB_OUTPUT
    for (const value of NASTY) {
      expect(captureStdout(() => ours.setOutput('o', value))).toBe(
        captureStdout(() => actionsCore.setOutput('o', value))
      )
    }
    process.env.GITHUB_OUTPUT = path.join(dir, 'absent')
    expect(() => ours.setOutput('o', 'v')).toThrow(/Missing file/)
  })

  it('setOutput picks a delimiter the value does not hold, so a value cannot end its record early', () => {
    const file = path.join(dir, 'outputs')
    writeFileSync(file, '')
    process.env.GITHUB_OUTPUT = file
    const hostile = 'a\nghadelimiter_0x\nevil<<E\nowned\nE\nGHADELIMITER_1X\nghadelimiter_2xz'
    ours.setOutput('first', hostile)
    ours.setOutput('second', 'b')
    expect(readOutputs(readFileSync(file, 'utf8'))).toEqual({ first: hostile, second: 'b' })
    expect(readFileSync(file, 'utf8')).toContain('first<<ghadelimiter_3x\n')
  })
})

describe('unusedToken', () => {
  it('is the first number after the prefix that no text holds, in any letter case', () => {
    expect(ours.unusedToken('sp-', 'plain')).toBe('sp-0x')
    expect(ours.unusedToken('sp-', '::sp-0x::', 'SP-1', 'sp-02 sp-3')).toBe('sp-2x')
    for (const text of ['sp-10x', 'sp-1', 'xsp-0'])
      expect(text.toLowerCase()).not.toContain(ours.unusedToken('sp-', text))
  })
})
