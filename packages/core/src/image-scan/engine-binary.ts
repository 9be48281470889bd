import { ConfigurationError } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { COMPROMISED_RELEASES, defaultCatalog } from '../tools/catalog.js'
import { installTool } from '../tools/install.js'
import { preProvisionedEnvName } from '../tools/locate.js'
import { readGoBuildInfo, versionOf, type GoBuildInfo } from './go-buildinfo.js'

export type EngineName = 'trivy' | 'grype'
export const ENGINES: readonly EngineName[] = ['trivy', 'grype']

/**
 * Where each engine's release build stamps its version (`-X …=0.74.0`), besides the module version:
 * Trivy's goreleaser sets `pkg/version/app.ver`, Grype's sets `main.version` in cmd/grype.
 */
const VERSION_STAMP: Record<EngineName, RegExp> = {
  trivy: /github\.com\/aquasecurity\/trivy\/pkg\/version\/app\.ver=v?([\w.+-]+)/,
  grype: /(?:^|\s)-X[= ]?main\.version=v?([\w.+-]+)/
}

/** The engine release a binary's build information names, if any. */
export const engineVersionOf = (engine: EngineName, info: GoBuildInfo) =>
  versionOf(info, VERSION_STAMP[engine])

export interface EngineBinary {
  engine: EngineName
  path: string
  version: string
  source: 'download' | 'cache' | 'pre-provisioned'
}

export interface EngineBinaryOptions {
  engine: EngineName
  version?: string
  path?: string
  inputs: { version: string; path: string }
  logger: Logger
  env: NodeJS.ProcessEnv
  /** Calls the download off when the scan has already failed elsewhere. */
  cancel?: AbortSignal
}

/**
 * A binary given to us is checked before it ever runs: its version is read from the Go build info in
 * its bytes, and a release known to be compromised (trivy 0.69.4 to 0.69.6) is refused. Asking the
 * binary for its version would already be running it.
 */
export async function checkGivenBinary(engine: EngineName, file: string, origin: string): Promise<string> {
  const info = await readGoBuildInfo(file)
  const version = info ? engineVersionOf(engine, info) : undefined
  if (!version)
    throw new ConfigurationError(
      `${origin} points at ${file}, whose Go build information names no ${engine} release, so it cannot be checked without running it; use the pinned download (leave ${origin.replace(/^Input /, 'input ')} empty) or a release build of ${engine}.`
    )
  if (COMPROMISED_RELEASES[engine]?.includes(version))
    throw new ConfigurationError(
      `${origin} points at ${file}, which is ${engine} ${version}, a known-compromised release (malicious binaries were published under it); it was not run. Use ${defaultCatalog().tools[engine]?.default ?? 'the pinned version'}.`
    )
  return version
}

/** The engine: the pinned release (sha256-checked) or the user's binary (checked statically, see above). */
export async function engineBinary(options: EngineBinaryOptions): Promise<EngineBinary> {
  const installed = await installTool({
    tool: options.engine,
    version: options.version,
    preProvisionedPath: options.path,
    inputs: options.inputs,
    logger: options.logger,
    env: options.env,
    cancel: options.cancel
  })
  if (installed.source !== 'pre-provisioned') return { engine: options.engine, ...installed }
  const origin = options.path?.trim()
    ? `Input '${options.inputs.path}'`
    : preProvisionedEnvName(options.engine)
  const version = await checkGivenBinary(options.engine, installed.path, origin)
  options.logger.info(
    `${options.engine}: the given binary is ${options.engine} ${version} by its build information.`
  )
  return { engine: options.engine, path: installed.path, version, source: installed.source }
}
