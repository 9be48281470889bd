import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

/**
 * Runs `script` (an ES module, TypeScript imports allowed through tsx) in a Node process of its own, with
 * `args` as process.argv.slice(1). A process of its own: jest's process.env is a copy that children of this
 * process never see, and a server in this process can answer it while it runs.
 */
export async function runModuleScript(
  script: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}
): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, ...args],
    {
      encoding: 'utf8',
      timeout: options.timeoutMs ?? 30_000,
      ...(options.env ? { env: options.env } : {})
    }
  )
}
