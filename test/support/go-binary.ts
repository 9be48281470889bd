// Stand-ins for Go release binaries: a shell script that does what a test needs, followed by the Go build
// information a real release carries, so a check that reads the version from the bytes sees that release.
import { chmodSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1')
const SENTINEL_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex')
const SENTINEL_END = Buffer.from('f932433186182072008242104116d8f2', 'hex')

function varint(n: number): Buffer {
  const bytes: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n > 0) byte |= 0x80
    bytes.push(byte)
  } while (n > 0)
  return Buffer.from(bytes)
}

/** The `.go.buildinfo` block Go ≥ 1.18 writes: header, Go version, module info between sentinels. */
export function goBuildInfo(module: string, version: string, ldflags?: string): Buffer {
  const lines = [`path\t${module}/cmd/x`, `mod\t${module}\t${version}\th1:AAAA=`, 'build\t-compiler=gc']
  if (ldflags) lines.push(`build\t-ldflags="${ldflags}"`)
  const modInfo = Buffer.concat([SENTINEL_START, Buffer.from(lines.join('\n') + '\n'), SENTINEL_END])
  const goVersion = Buffer.from('go1.25.3')
  const header = Buffer.alloc(32)
  MAGIC.copy(header)
  header[14] = 8
  header[15] = 2
  return Buffer.concat([header, varint(goVersion.length), goVersion, varint(modInfo.length), modInfo])
}

/**
 * An executable at `file`: `script` (sh) runs, then `exit`; after it, 16-byte aligned as in a real
 * binary, the build information of `module` at `version`. The shell never reads past the exit.
 */
export function fakeGoBinary(file: string, script: string, module: string, version: string): string {
  const head = Buffer.from(`#!/bin/sh\n${script}\nexit $?\n`)
  const pad = Buffer.alloc((16 - (head.length % 16)) % 16, 0x0a)
  writeFileSync(file, Buffer.concat([head, pad, goBuildInfo(module, version)]))
  chmodSync(file, 0o755)
  return file
}

/** A `trivy` in `dir` that runs `script` and carries the build information of trivy `version`. */
export function fakeTrivy(dir: string, script: string, version = 'v0.74.0'): string {
  return fakeGoBinary(path.join(dir, 'trivy'), script, 'github.com/aquasecurity/trivy', version)
}
