import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import { childEnv, runProcess } from '../runtime/process.js'

/** What a registry login left behind. Never logged, never put on a command line or in a child's environment. */
export interface RegistryCredential {
  username?: string
  password?: string
  /** An OAuth2 refresh token (`identitytoken`), exchanged at the token endpoint. */
  identityToken?: string
  /** A bearer token to send as is (`registrytoken`). */
  registryToken?: string
}

/** The credential for a registry host (`ghcr.io`, `docker.io`, `localhost:5000`), or none: anonymous. */
export type CredentialSource = (registry: string) => Promise<RegistryCredential | undefined>

export const anonymous: CredentialSource = async () => undefined

interface DockerConfig {
  auths?: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }
  >
  credHelpers?: Record<string, string>
  credsStore?: string
}

/** Where docker, crane, trivy and grype look: $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
export function dockerConfigPath(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DOCKER_CONFIG?.trim()) return path.join(env.DOCKER_CONFIG.trim(), 'config.json')
  return env.HOME ? path.join(env.HOME, '.docker', 'config.json') : undefined
}

/** Docker Hub's credentials are stored under its old index URL. */
const DOCKER_HUB_KEYS = [
  'https://index.docker.io/v1/',
  'index.docker.io',
  'docker.io',
  'registry-1.docker.io'
]

/** `https://ghcr.io/v1/` → `ghcr.io`: config keys are written with and without scheme and path. */
function hostOfKey(key: string): string {
  return key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase()
}

function keysFor(registry: string): (key: string) => boolean {
  if (registry === 'docker.io')
    return key => DOCKER_HUB_KEYS.includes(key) || DOCKER_HUB_KEYS.includes(hostOfKey(key))
  return key => hostOfKey(key) === registry
}

function readConfig(file: string): DockerConfig | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ConfigurationError(
      `The docker credentials file ${file} cannot be read: ${(error as Error).message}`
    )
  }
  try {
    const parsed = JSON.parse(text) as unknown
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object')
    return parsed as DockerConfig
  } catch {
    throw new ConfigurationError(
      `The docker credentials file ${file} is not valid JSON; log in again or fix it.`
    )
  }
}

function fromAuthEntry(entry: NonNullable<DockerConfig['auths']>[string]): RegistryCredential | undefined {
  if (entry.registrytoken) return { registryToken: entry.registrytoken }
  if (entry.identitytoken) return { identityToken: entry.identitytoken, username: entry.username }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password }
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
  }
  return undefined
}

const HELPER_NAME = /^[a-z0-9][a-z0-9._-]*$/i

export type HelperRunner = (helper: string, serverUrl: string) => Promise<RegistryCredential | undefined>

/**
 * `docker-credential-<helper> get`, the server URL on stdin, as docker runs it. The helper gets the
 * allowlisted environment like every child; a helper that needs cloud credentials reads its own files.
 */
export const runCredentialHelper: HelperRunner = async (helper, serverUrl) => {
  if (!HELPER_NAME.test(helper))
    throw new ConfigurationError(`The docker credential helper name '${helper}' is not valid.`)
  const program = `docker-credential-${helper}`
  const outcome = await runProcess(program, ['get'], {
    cwd: process.cwd(),
    deadlineMs: 30_000,
    env: childEnv(),
    input: serverUrl,
    maxStdoutBytes: 64 * 1024
  })
  if (outcome.exitCode !== 0) {
    if (/credentials not found/i.test(outcome.stdout + outcome.stderr)) return undefined
    throw new ConfigurationError(
      `${program} failed for ${serverUrl} (exit ${outcome.exitCode ?? outcome.signal}); log in again.`
    )
  }
  let answer: { Username?: string; Secret?: string }
  try {
    answer = JSON.parse(outcome.stdout) as { Username?: string; Secret?: string }
  } catch {
    throw new ConfigurationError(`${program} answered something other than JSON for ${serverUrl}.`)
  }
  if (!answer.Secret) return undefined
  // Docker's convention: the user name `<token>` marks an identity token.
  if (answer.Username === '<token>') return { identityToken: answer.Secret }
  return { username: answer.Username, password: answer.Secret }
}

/**
 * The standard docker credentials: `auths` entries of the config file, then `credHelpers` for the host,
 * then `credsStore`. Read once per registry per run. Without a config file every registry is anonymous.
 */
export function dockerConfigCredentials(
  env: NodeJS.ProcessEnv = process.env,
  runHelper: HelperRunner = runCredentialHelper
): CredentialSource {
  const file = dockerConfigPath(env)
  let config: DockerConfig | undefined | null = null
  const seen = new Map<string, Promise<RegistryCredential | undefined>>()
  const lookup = async (registry: string): Promise<RegistryCredential | undefined> => {
    if (config === null) config = file ? readConfig(file) : undefined
    if (!config) return undefined
    const matches = keysFor(registry)
    const entry = Object.entries(config.auths ?? {}).find(([key]) => matches(key))?.[1]
    const fromFile = entry ? fromAuthEntry(entry) : undefined
    if (fromFile) return fromFile
    const helper =
      Object.entries(config.credHelpers ?? {}).find(([key]) => matches(key))?.[1] ?? config.credsStore
    if (!helper) return undefined
    return runHelper(helper, registry === 'docker.io' ? DOCKER_HUB_KEYS[0]! : registry)
  }
  return registry => {
    let answer = seen.get(registry)
    if (!answer) seen.set(registry, (answer = lookup(registry)))
    return answer
  }
}
