import type { Worker } from 'node:worker_threads'
import type { Finding } from './finding.js'
import { fingerprintKey, fingerprintOfKey, type FingerprintInput } from './fingerprint.js'
import { sha256HexOfBytes } from './sha256.js'

/*
 * sha256 on a second core for large reports. Hashing is a large part of reading a 100,000-result report
 * (1 µs a fingerprint, 35 ms for the file's digest) and none of it has to wait: the file is hashed while it
 * is decoded, fingerprints while the next results are converted. Either thread can do any job: the main
 * thread does every job the worker has not started by the time it needs the result, so a slow, busy or
 * failed worker costs time, never a wrong or missing value.
 */

/** Fingerprints per job: small enough that the worker is never far behind, large enough to post rarely. */
const BATCH = 4096
/** How long the main thread waits on a job the worker has started before doing it again itself (4 ms of work). */
const STALL_MS = 1000

const FREE = 0
const CLAIMED = 1
const DONE = 2

// The worker's whole program, plain CommonJS. It writes exactly what hashJob writes.
const PROGRAM = `
const { parentPort } = require('node:worker_threads')
const crypto = require('node:crypto')
const sha256 = crypto.hash
  ? text => crypto.hash('sha256', text, 'hex')
  : text => crypto.createHash('sha256').update(text).digest('hex')
parentPort.on('message', ({ state, out, input }) => {
  if (Atomics.compareExchange(state, 0, ${FREE}, ${CLAIMED}) !== ${FREE}) return
  try {
    const view = Buffer.from(out.buffer)
    if (!Array.isArray(input)) view.write(crypto.createHash('sha256').update(input).digest('hex'), 0, 64, 'latin1')
    else for (let i = 0; i < input.length; i++) view.write(sha256(input[i]), i * 32, 32, 'latin1')
    Atomics.store(state, 0, ${DONE})
  } catch {
    Atomics.store(state, 0, ${FREE})
  }
  Atomics.notify(state, 0)
})
`

/** Bytes to digest (64 hex characters out), or fingerprint keys (32 each). Dropped once done. */
interface Job {
  state: Int32Array
  out: Uint8Array
  input?: Uint8Array | string[]
}

function newJob(input: Uint8Array | string[]): Job {
  const outBytes = Array.isArray(input) ? input.length * 32 : 64
  return {
    state: new Int32Array(new SharedArrayBuffer(4)),
    out: new Uint8Array(new SharedArrayBuffer(outBytes)),
    input
  }
}

function hashJob(input: Uint8Array | string[], out: Buffer): void {
  if (!Array.isArray(input)) out.write(sha256HexOfBytes(input), 0, 64, 'latin1')
  else input.forEach((key, i) => out.write(fingerprintOfKey(key), i * 32, 32, 'latin1'))
}

const isDone = (job: Job) => Atomics.load(job.state, 0) === DONE

/** Blocks until the job is done, doing it here if the worker has not started it (or stalls on it). */
function complete(job: Job): Buffer {
  const out = Buffer.from(job.out.buffer)
  if (Atomics.compareExchange(job.state, 0, FREE, CLAIMED) === FREE) hashJob(job.input!, out)
  else {
    const deadline = Date.now() + STALL_MS
    while (Atomics.load(job.state, 0) === CLAIMED && Date.now() < deadline)
      Atomics.wait(job.state, 0, CLAIMED, deadline - Date.now())
    if (!isDone(job)) hashJob(job.input!, out)
  }
  Atomics.store(job.state, 0, DONE)
  job.input = undefined
  return out
}

/** A second thread hashing for one large report; stop() it when the report is read. */
export class HashOffload {
  private readonly pending: { job: Job; findings: Finding[] }[] = []
  private findings: Finding[] = []
  private keys: string[] = []

  private constructor(private readonly worker: Worker) {}

  /** Undefined when no thread can be started: everything is then hashed on this one, as for small reports. */
  static start(): HashOffload | undefined {
    try {
      // Loaded here: only a large report starts a thread.
      const { Worker } = process.getBuiltinModule('node:worker_threads')
      const worker = new Worker(PROGRAM, { eval: true })
      // Never what keeps the process alive, nor an uncaught error: its jobs fall back to this thread.
      worker.unref()
      worker.on('error', () => undefined)
      return new HashOffload(worker)
    } catch {
      return undefined
    }
  }

  /** Starts the sha256 of `bytes` (on a SharedArrayBuffer); the function returns it, in hex. */
  digest(bytes: Uint8Array): () => string {
    const job = this.post(bytes)
    return () => complete(job).toString('latin1', 0, 64)
  }

  /** Queues the fingerprint of `finding`, set on it by finish(). */
  fingerprint(finding: Finding & FingerprintInput, context?: string): void {
    this.findings.push(finding)
    this.keys.push(fingerprintKey(finding, context))
    if (this.keys.length >= BATCH) this.postKeys()
  }

  /** Sets every queued fingerprint, the last jobs done here while the worker finishes its own. */
  finish(): void {
    this.postKeys()
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const { job, findings } = this.pending[i]!
      // One string holds a job's fingerprints; each finding keeps a 32-character slice of it.
      const hex = complete(job).toString('latin1', 0, findings.length * 32)
      findings.forEach((finding, j) => (finding.fingerprint = hex.slice(j * 32, j * 32 + 32)))
    }
    this.pending.length = 0
  }

  stop(): void {
    void this.worker.terminate()
  }

  private postKeys(): void {
    if (this.keys.length === 0) return
    // Keys the worker has hashed are not kept alive until finish(): 100,000 of them are 10 MB.
    for (const { job } of this.pending) if (job.input && isDone(job)) job.input = undefined
    this.pending.push({ job: this.post(this.keys), findings: this.findings })
    this.findings = []
    this.keys = []
  }

  private post(input: Uint8Array | string[]): Job {
    const job = newJob(input)
    this.worker.postMessage({ state: job.state, out: job.out, input })
    return job
  }
}
