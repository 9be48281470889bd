import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One scripted misbehaviour, used up before the real file is served. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  /** Drops the TCP connection without answering, as a flaky proxy does. */
  | { kind: 'reset' }
  /** Sends headers and part of the body, then never finishes. */
  | { kind: 'stall' }

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
}

export interface HttpFileServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly origin: string
  readonly requests: RecordedRequest[]
  /** Serves `body` at `path` (exact match, query ignored). */
  setFile(path: string, body: Buffer | string): void
  /** Queues faults for `path`; each request to it consumes one until none are left. */
  failNext(path: string, ...faults: Fault[]): void
  url(path: string): string
  close(): Promise<void>
}

/** A loopback HTTP server that serves files from a map; unknown paths answer 404. */
export async function startHttpFileServer(
  files: Record<string, Buffer | string> = {}
): Promise<HttpFileServer> {
  const bodies = new Map(Object.entries(files).map(([path, body]) => [path, Buffer.from(body)]))
  const faults = new Map<string, Fault[]>()
  const requests: RecordedRequest[] = []

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://loopback').pathname
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers })
    const fault = faults.get(path)?.shift()
    if (fault?.kind === 'reset') {
      req.socket.destroy()
      return
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers })
      res.end(`scripted ${fault.status}\n`)
      return
    }
    const body = bodies.get(path)
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found\n')
      return
    }
    if (fault?.kind === 'stall') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length })
      res.write(body.subarray(0, Math.floor(body.length / 2)))
      return
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length })
    res.end(req.method === 'HEAD' ? undefined : body)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`

  return {
    origin,
    requests,
    setFile: (path, body) => void bodies.set(path, Buffer.from(body)),
    failNext: (path, ...more) => void faults.set(path, [...(faults.get(path) ?? []), ...more]),
    url: path => `${origin}${path}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close(error => (error ? reject(error) : resolve()))
      })
  }
}
