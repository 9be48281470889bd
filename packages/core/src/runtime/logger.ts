import * as core from './workflow-commands.js'

/** Passed in rather than imported so pure code and tests can log without the runner. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
  error(message: string): void
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`
}

export const actionsLogger: Logger = {
  debug: message => core.debug(message),
  info: message => core.info(message),
  warning: message => core.warning(message),
  error: message => core.error(message),
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now()
    core.startGroup(title)
    try {
      return await fn()
    } finally {
      core.endGroup()
      core.info(`${title}: ${formatDuration(performance.now() - started)}`)
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
