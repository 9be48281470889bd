import { writeSync } from 'node:fs'

/*
 * The step's log is fd 1, a pipe the runner reads. `process.stdout` on a pipe builds a net.Socket and
 * loads the stream and net modules on first use: 7 to 13 ms of every action's start-up (bench p1).
 * Synchronous writes to fd 1 cost nothing to set up and keep lines in order up to process exit.
 */

type Writer = (text: string) => void

let writer: Writer = writeToLog

/** Writes text to the step's log as it is: callers end their lines. */
export function writeStdout(text: string): void {
  writer(text)
}

/** Sends what would be written to the log to `capture` instead (in-process tests); returns the undo. */
export function captureStdout(capture: Writer): () => void {
  const previous = writer
  writer = capture
  return () => {
    writer = previous
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4))

function writeToLog(text: string): void {
  let pending = Buffer.from(text, 'utf8')
  while (pending.length > 0) {
    try {
      pending = pending.subarray(writeSync(1, pending))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // A parent may have left the pipe non-blocking: wait for the reader rather than drop a line.
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1)
      // Nobody reads the log any more; the outputs and the exit code still tell the runner.
      else if (code === 'EPIPE') return
      else throw error
    }
  }
}
