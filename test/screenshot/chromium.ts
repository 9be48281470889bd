import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'

/** Debian's chromium, as scripts/chromium.sh installs it; CHROMIUM_PATH overrides. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, 'chromium', 'chromium-browser'].filter(Boolean) as string[]
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 15_000 })
    if (probe.status === 0 && /chromium/i.test(probe.stdout)) return candidate
  }
  return undefined
}

/** Headless, no sandbox (root in CI), and nothing that reaches the network on its own. */
const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--hide-scrollbars'
]

export interface ChromiumRun {
  stdout: string
  stderr: string
}

/**
 * Runs chromium on a local HTML file with a fresh profile, killing its whole process group at the
 * deadline: a hung renderer must fail the test, not stall the suite.
 */
export async function runChromium(
  binary: string,
  htmlFile: string,
  flags: string[],
  deadlineMs = 60_000
): Promise<ChromiumRun> {
  const profile = mkdtempSync(path.join(tmpdir(), 'sp-chromium-profile-'))
  const args = [...BASE_FLAGS, `--user-data-dir=${profile}`, ...flags, pathToFileURL(htmlFile).href]
  try {
    return await new Promise<ChromiumRun>((resolve, reject) => {
      const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (b: Buffer) => out.push(b))
      child.stderr.on('data', (b: Buffer) => err.push(b))
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL')
        } catch {
          // Already gone.
        }
        reject(new Error(`chromium ${flags.join(' ')} did not finish within ${deadlineMs} ms`))
      }, deadlineMs)
      child.on('error', error => {
        clearTimeout(timer)
        reject(error)
      })
      child.on('close', code => {
        clearTimeout(timer)
        const result = {
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8')
        }
        if (code === 0) resolve(result)
        else reject(new Error(`chromium exited with ${code}: ${result.stderr.slice(-2000)}`))
      })
    })
  } finally {
    rmSync(profile, { recursive: true, force: true })
  }
}

export async function screenshot(
  binary: string,
  htmlFile: string,
  pngFile: string,
  size: { width: number; height: number }
): Promise<void> {
  await runChromium(binary, htmlFile, [
    `--window-size=${size.width},${size.height}`,
    `--screenshot=${pngFile}`
  ])
}

export async function dumpDom(binary: string, htmlFile: string): Promise<string> {
  return (await runChromium(binary, htmlFile, ['--dump-dom'])).stdout
}
