import { appendFileSync, existsSync } from 'node:fs'
import { EOL } from 'node:os'
import { writeStdout } from './stdout.js'

/*
 * The runner's workflow-command protocol (stdout lines and the GITHUB_OUTPUT file), written here rather
 * than taken from @actions/core: version 3 of that package loads undici for OIDC tokens at import, about
 * 35 ms of every action's start, and these actions never ask for a token. The output is byte-for-byte what
 * @actions/core writes (checked by workflow-commands.test.ts against the real package).
 */

/** Escaping per the workflow-command grammar: data and property values differ. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export function issueCommand(command: string, message = ''): void {
  writeStdout(`::${command}::${escapeData(message)}${EOL}`)
}

/** `INPUT_<NAME>` as the runner sets it (spaces become `_`), trimmed; '' when unset. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

/**
 * `<prefix><n>x`, with the smallest n for which the texts hold it in no letter case. A token the text
 * cannot hold ends a heredoc or resumes workflow commands only where we write it; being absent is
 * what protects, so it needs no randomness (and no node:crypto, 8–12 ms of every action's start).
 */
export function unusedToken(prefix: string, ...texts: string[]): string {
  const used = new Set<string>()
  // Prefixes are our own letters, digits, - and _: nothing a regular expression reads otherwise.
  const pattern = new RegExp(`${prefix}(\\d+)`, 'gi')
  for (const text of texts) for (const match of text.matchAll(pattern)) used.add(match[1]!)
  let n = 0
  while (used.has(String(n))) n++
  return `${prefix}${n}x`
}

/** Appends `name<<delimiter` … to GITHUB_OUTPUT, with a delimiter the value does not contain. */
export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT
  if (!file) {
    writeStdout(EOL)
    writeStdout(`::set-output name=${escapeProperty(name)}::${escapeData(value)}${EOL}`)
    return
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  const delimiter = unusedToken('ghadelimiter_', name, value)
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8')
}

export const info = (message: string): void => void writeStdout(`${message}${EOL}`)
export const debug = (message: string): void => issueCommand('debug', message)
export const warning = (message: string): void => issueCommand('warning', message)
export const error = (message: string): void => issueCommand('error', message)
export const startGroup = (title: string): void => issueCommand('group', title)
export const endGroup = (): void => issueCommand('endgroup')
export const setSecret = (secret: string): void => issueCommand('add-mask', secret)

export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}
