import { constants } from 'node:fs'
import { access, realpath, stat } from 'node:fs/promises'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'

export const MIRROR_ENV = 'SECURE_PIPELINE_TOOLS_MIRROR'

/** `SECURE_PIPELINE_OSV_SCANNER_PATH` for `osv-scanner`. */
export function preProvisionedEnvName(tool: string): string {
  return `SECURE_PIPELINE_${tool.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PATH`
}

/** A pre-provisioned binary the workflow gave, and the setting that named it. */
export interface GivenBinary {
  path: string
  /** As a message names it mid-sentence: "input 'engine-path'", or the variable, e.g. SECURE_PIPELINE_TRIVY_PATH. */
  setting: string
}

/**
 * The binary installTool runs instead of the pinned release: the input's `value`, else
 * SECURE_PIPELINE_<TOOL>_PATH. Undefined when neither is set.
 */
export function givenBinary(
  tool: string,
  value: string | undefined,
  env: NodeJS.ProcessEnv,
  inputName?: string
): GivenBinary | undefined {
  const fromInput = value?.trim()
  const variable = preProvisionedEnvName(tool)
  const given = fromInput || env[variable]?.trim()
  if (!given) return undefined
  if (!fromInput) return { path: given, setting: variable }
  return { path: given, setting: inputName ? `input '${inputName}'` : `the pre-provisioned ${tool} path` }
}

/** How a message names a setting: the caller's input when it named one, else what the setting is. */
export function settingName(inputName: string | undefined, what: string): string {
  return inputName ? `Input '${inputName}'` : what
}

/**
 * Swaps the `https://github.com` origin of a release-asset URL for a mirror (GHES, an air-gapped
 * artifact store), keeping the path. Integrity does not depend on the mirror: hashes come from the catalog.
 */
export function applyMirror(assetUrl: string, mirror: string | undefined, setting = MIRROR_ENV): string {
  const base = mirror?.trim()
  if (!base) return assetUrl
  let parsed: URL
  try {
    parsed = new URL(base)
  } catch {
    throw new ConfigurationError(
      `${setting} must be an http(s) URL such as https://mirror.example.com/github, got ${JSON.stringify(base)}.`
    )
  }
  if (!['https:', 'http:'].includes(parsed.protocol) || parsed.search || parsed.hash || parsed.username) {
    throw new ConfigurationError(
      `${setting} must be a plain http(s) base URL without credentials, query or fragment, got ${JSON.stringify(base)}.`
    )
  }
  const original = new URL(assetUrl)
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}${original.pathname}`
}

/**
 * A binary the runner image or operator already provides. It is used as is: there is no pinned
 * hash for a file we did not download, so the caller must say where it came from in the log.
 */
export async function checkPreProvisioned(tool: string, given: string, origin: string): Promise<string> {
  const absolute = path.resolve(given)
  const problem = await whyNotExecutable(absolute)
  if (problem) {
    throw new ConfigurationError(
      `${origin} points at ${absolute}, which ${problem}; give the absolute path of an executable ${tool} binary or unset it to download the pinned release.`
    )
  }
  return realpath(absolute)
}

async function whyNotExecutable(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file)
    if (!info.isFile()) return 'is not a regular file'
  } catch {
    return 'does not exist'
  }
  try {
    await access(file, process.platform === 'win32' ? constants.R_OK : constants.X_OK)
  } catch {
    return 'is not executable'
  }
  return undefined
}
