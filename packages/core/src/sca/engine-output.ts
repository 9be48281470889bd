import { asObject, type JsonObject } from '../findings/json.js'
import { BrokenInputError } from '../runtime/errors.js'
import { DEFAULT_STDOUT_CAP_BYTES, lastWords, type ProcessOutcome } from '../runtime/process.js'

/**
 * The engine's stdout as its JSON report: whole, and an object. A report past the bytes kept of stdout
 * has lost its start, so it says that rather than "not JSON".
 */
export function stdoutReport(engine: string, outcome: ProcessOutcome): JsonObject {
  if (outcome.stdoutTruncated)
    throw new BrokenInputError(
      engine,
      `its JSON report passed the ${DEFAULT_STDOUT_CAP_BYTES / 1024 / 1024} MiB this action reads, so it was not read; scan fewer dependency files per step`
    )
  let report: JsonObject | undefined
  try {
    report = asObject(JSON.parse(outcome.stdout))
  } catch {
    report = undefined
  }
  if (!report) throw new BrokenInputError(engine, `its output is not a JSON report: ${lastWords(outcome)}`)
  return report
}
