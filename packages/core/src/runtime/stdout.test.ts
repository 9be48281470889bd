import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const STDOUT_MODULE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'stdout.ts')
const REPO = path.resolve(path.dirname(STDOUT_MODULE), '../../../..')

/** Runs `body` in a child whose fd 1 is a pipe this test reads slowly, as a busy runner would. */
function runChild(body: string): Promise<{ stdout: Buffer; code: number | null; stderr: string }> {
  const script = `import { writeStdout } from ${JSON.stringify(STDOUT_MODULE)}\n${body}`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const chunks: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      // Reading slower than the child writes fills the pipe, so its writes must wait.
      child.stdout.pause()
      setTimeout(() => child.stdout.resume(), 2)
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', code => resolve({ stdout: Buffer.concat(chunks), code, stderr }))
  })
}

const LINES = 40_000
const expectedLog = Array.from({ length: LINES }, (_, i) => `line ${i} ✓ ${'x'.repeat(i % 97)}\n`).join('')
const writeLines = `for (let i = 0; i < ${LINES}; i++) writeStdout(\`line \${i} ✓ \${'x'.repeat(i % 97)}\\n\`)`

describe('writeStdout', () => {
  it('delivers every line in order through a full pipe, multi-byte characters intact', async () => {
    const run = await runChild(writeLines)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout.toString('utf8')).toBe(expectedLog)
  })

  it('waits, never drops, when the pipe was left non-blocking (EAGAIN)', async () => {
    // Touching process.stdout makes libuv switch fd 1 to non-blocking mode, as a Node parent might.
    const run = await runChild(`void process.stdout.fd\n${writeLines}`)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout.toString('utf8')).toBe(expectedLog)
  })

  it('ends quietly when nobody reads the log any more (EPIPE), so the exit code still decides', async () => {
    const script = `import { writeStdout } from ${JSON.stringify(STDOUT_MODULE)}
process.on('SIGPIPE', () => {})
for (let i = 0; i < 100000; i++) writeStdout('x'.repeat(1000) + '\\n')
process.exitCode = 3`
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'inherit']
      })
      child.stdout.once('data', () => child.stdout.destroy())
      child.on('error', reject)
      child.on('close', resolve)
    })
    expect(code).toBe(3)
  })
})
