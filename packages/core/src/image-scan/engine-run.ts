import { readFile, stat } from 'node:fs/promises'
import { BrokenInputError } from '../runtime/errors.js'
import { lastWords, runProcess, type ChildEnv } from '../runtime/process.js'
import type { JsonObject } from '../findings/json.js'
import { DEFAULT_MAX_REPORT_BYTES as MAX_REPORT_BYTES } from '../findings/read-report.js'

export interface EngineCall {
  engine: string
  binary: string
  args: string[]
  /** A private, empty directory: no trivy.yaml, .trivyignore or .grype.yaml a pull request left is read. */
  cwd: string
  env: ChildEnv
  deadlineMs: number
  echo?: (text: string) => void
}

/** Runs an engine once; any exit but 0, a timeout or a signal fails the scan with its last words. */
export async function runEngine(call: EngineCall): Promise<void> {
  const outcome = await runProcess(call.binary, call.args, {
    cwd: call.cwd,
    deadlineMs: call.deadlineMs,
    env: call.env,
    maxStdoutBytes: 4 * 1024 * 1024
  })
  const said = `${outcome.stdout}${outcome.stderr}`.trim()
  if (said) call.echo?.(said)
  if (outcome.timedOut)
    throw new BrokenInputError(
      call.engine,
      `did not finish within ${Math.round(call.deadlineMs / 60_000)} min and was stopped; the scan is incomplete.`
    )
  if (outcome.exitCode !== 0) {
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited ${outcome.exitCode}`
    throw new BrokenInputError(call.engine, `${how}: ${lastWords(outcome) || 'no output'}`)
  }
}

/** What an engine writes as JSON, as its messages name it. */
const WRITTEN = { report: 'a report', SBOM: 'an SBOM' } as const

/** A JSON file the engine wrote: present, under the size cap, and an object; with its text. */
async function readEngineJson(
  engine: string,
  file: string,
  noun: keyof typeof WRITTEN
): Promise<{ json: JsonObject; text: string }> {
  const what = WRITTEN[noun]
  const info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) throw new BrokenInputError(engine, `exited 0 but wrote no ${noun}.`)
  if (info.size > MAX_REPORT_BYTES)
    throw new BrokenInputError(
      engine,
      `wrote ${what} of ${info.size} bytes, over the ${MAX_REPORT_BYTES}-byte limit.`
    )
  let text: string
  let json: unknown
  try {
    text = await readFile(file, 'utf8')
    json = JSON.parse(text)
  } catch {
    throw new BrokenInputError(engine, `wrote ${what} that is not JSON (cut short?).`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new BrokenInputError(engine, `wrote ${what} that is not a JSON object.`)
  return { json: json as JsonObject, text }
}

/** The engine's JSON report. */
export async function readEngineReport(engine: string, file: string): Promise<JsonObject> {
  return (await readEngineJson(engine, file, 'report')).json
}

/**
 * The CycloneDX SBOM the engine wrote beside its report (Grype), checked as the report is before it
 * becomes the action's `sbom-file`: one cut short or missing fails the scan, never ships as the SBOM.
 */
export async function readEngineSbom(engine: string, file: string): Promise<string> {
  const { json, text } = await readEngineJson(engine, file, 'SBOM')
  if (json.bomFormat !== 'CycloneDX')
    throw new BrokenInputError(engine, 'wrote an SBOM that is not CycloneDX (no bomFormat CycloneDX).')
  return text
}
