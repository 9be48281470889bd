import * as core from './workflow-commands.js'

/** Passed in rather than imported so pure code and tests can log without the runner. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
  error(message: string): void
  /** `tookMs`: the duration to report instead of the time `fn` takes (a group written out after it ran). */
  group<T>(title: string, fn: () => Promise<T>, tookMs?: number): Promise<T>
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`
}

/**
 * `::` after leading white space as JavaScript or .NET sees it: the runner trims with .NET's TrimStart,
 * which also drops U+0085 (JavaScript's \s does not match it).
 */
const LEADS_TO_COMMAND = /^[\s\u0085]*::/

/**
 * A log line built from data (file names, tool output, report text) as one harmless line: CR and LF
 * become a visible `⏎`, and a line that would start with `::` gets a zero-width space first, so a
 * report named `x\n::add-mask::…` can neither start a workflow command nor split the line. The runner
 * also obeys the legacy `##[command]` form anywhere in a line (actions/runner ActionCommand.TryParse),
 * so every `##[` gets one too.
 */
export function logLine(message: string): string {
  const flat = message.replace(/\r\n|\r|\n/g, '⏎').replace(/##\[/g, '##\u200b[')
  return LEADS_TO_COMMAND.test(flat) ? `\u200b${flat}` : flat
}

export const actionsLogger: Logger = {
  debug: message => core.debug(message),
  info: message => core.info(logLine(message)),
  warning: message => core.warning(message),
  error: message => core.error(message),
  async group<T>(title: string, fn: () => Promise<T>, tookMs?: number): Promise<T> {
    const started = Date.now()
    core.startGroup(title)
    try {
      return await fn()
    } finally {
      core.endGroup()
      core.info(logLine(`${title}: ${formatDuration(tookMs ?? Date.now() - started)}`))
    }
  }
}

export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: m => void lines.push(`debug: ${m}`),
    info: m => void lines.push(m),
    warning: m => void lines.push(`warning: ${m}`),
    error: m => void lines.push(`error: ${m}`),
    async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
      lines.push(`[${title}]`)
      return fn()
    }
  }
}
