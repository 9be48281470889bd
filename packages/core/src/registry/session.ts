import type { HttpResponse } from '../runtime/http.js'
import { parseChallenge, type Challenge } from './challenge.js'
import type { CredentialSource, RegistryCredential } from './credentials.js'
import { registryBaseUrl } from './endpoint.js'
import { RegistryError } from './errors.js'
import {
  attemptSignal,
  discard,
  exchange,
  mayLeadTo,
  readCapped,
  withRetries,
  type TransportDeps
} from './transport.js'

const MAX_TOKEN_BYTES = 1024 * 1024
/** The distribution spec's default when a token answer gives no lifetime. */
const DEFAULT_TOKEN_SECONDS = 60

export interface SessionRequest {
  method: 'GET' | 'HEAD'
  /** Path under the registry's base URL, `/v2/…`. */
  path: string
  accept?: string
  /** `repository:<name>:pull`: what a bearer token is asked for. */
  scope: string
  /** The reference named in errors and logs. */
  reference: string
  what: string
}

type Authorization = { header: string; expires: number }

/**
 * Everything spoken with one registry: its base URL, the credential from the docker config, and the
 * tokens the bearer flow gave for each scope. A request is sent anonymously first (or with a token
 * already held); a 401 with a challenge gets one handshake (Bearer: a token from the realm, with the
 * credential when there is one; Basic: the credential) and one more try.
 */
export class RegistrySession {
  private readonly base: string
  private readonly tokens = new Map<string, Authorization>()
  private basic: string | undefined

  constructor(
    readonly registry: string,
    private readonly credentials: CredentialSource,
    private readonly deps: TransportDeps
  ) {
    this.base = registryBaseUrl(registry)
  }

  /**
   * Sends a request, with retries, redirects and authentication, and gives a 2xx answer to `read`,
   * inside the same attempt: a body cut short is retried like a 503. 401/403 are `unauthorized`,
   * 404 `not-found`, any other answer `invalid`.
   */
  request<T>(request: SessionRequest, read: (response: HttpResponse) => Promise<T>): Promise<T> {
    return withRetries(request.reference, request.what, this.deps, async () => {
      const signal = attemptSignal(this.deps)
      let response = await this.send(request, signal)
      if (response.status === 401) {
        const challenge = parseChallenge(response.headers.get('www-authenticate'))
        await discard(response)
        if (!(await this.authenticate(challenge, request, signal))) throw this.failure(request, 401)
        response = await this.send(request, signal)
      }
      if (response.ok) return read(response)
      await discard(response)
      throw this.failure(request, response.status)
    })
  }

  private send(request: SessionRequest, signal: AbortSignal): Promise<HttpResponse> {
    const headers: Record<string, string> = { 'user-agent': 'secure-pipeline' }
    if (request.accept) headers.accept = request.accept
    const auth = this.authorizationFor(request.scope)
    if (auth) headers.authorization = auth
    return exchange(`${this.base}${request.path}`, { method: request.method, headers }, this.deps, signal)
  }

  private authorizationFor(scope: string): string | undefined {
    const token = this.tokens.get(scope)
    if (token && token.expires > Date.now()) return token.header
    return this.basic
  }

  private failure(request: SessionRequest, status: number): RegistryError {
    const where = `${request.what} (${this.registry})`
    if (status === 401)
      return new RegistryError(
        request.reference,
        'unauthorized',
        `${where}: HTTP 401, the credentials were refused or none were found; log in to ${this.registry} (docker login) or check DOCKER_CONFIG.`,
        status
      )
    if (status === 403)
      return new RegistryError(
        request.reference,
        'unauthorized',
        `${where}: HTTP 403, access denied for these credentials.`,
        status
      )
    if (status === 404)
      return new RegistryError(request.reference, 'not-found', `${where}: HTTP 404, not found.`, status)
    return new RegistryError(request.reference, 'invalid', `${where}: unexpected HTTP ${status}.`, status)
  }

  /** Answers a challenge; false when there is nothing to answer it with. */
  private async authenticate(
    challenge: Challenge | undefined,
    request: SessionRequest,
    signal: AbortSignal
  ): Promise<boolean> {
    const credential = await this.credentials(this.registry)
    if (challenge?.scheme === 'basic') {
      if (!credential?.username || credential.password === undefined || this.basic) return false
      this.basic = basicHeader(credential)
      return true
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) return false
    if (credential?.registryToken) {
      this.tokens.set(request.scope, { header: `Bearer ${credential.registryToken}`, expires: Infinity })
      return true
    }
    this.tokens.set(request.scope, await this.fetchToken(challenge, request, credential, signal))
    return true
  }

  private async fetchToken(
    challenge: Challenge,
    request: SessionRequest,
    credential: RegistryCredential | undefined,
    signal: AbortSignal
  ): Promise<Authorization> {
    let realm: URL
    try {
      realm = new URL(challenge.params.realm!)
    } catch {
      throw new RegistryError(
        request.reference,
        'invalid',
        `${this.registry} names a token endpoint that is no URL.`
      )
    }
    // The token and whatever credential goes with it only travel over TLS (or stay on this machine).
    if (!mayLeadTo(new URL(this.base), realm))
      throw new RegistryError(
        request.reference,
        'unauthorized',
        `${this.registry} sends clients to ${realm.protocol}//${realm.host} for a token; refusing a token endpoint without https, or on this machine for a registry that is not.`
      )
    const scope = challenge.params.scope ?? request.scope
    const headers: Record<string, string> = { 'user-agent': 'secure-pipeline', accept: 'application/json' }
    let response: HttpResponse
    if (credential?.identityToken) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credential.identityToken,
        client_id: 'secure-pipeline',
        scope
      })
      if (challenge.params.service) form.set('service', challenge.params.service)
      headers['content-type'] = 'application/x-www-form-urlencoded'
      response = await exchange(
        realm.href,
        { method: 'POST', headers, body: form.toString() },
        this.deps,
        signal
      )
    } else {
      if (challenge.params.service) realm.searchParams.set('service', challenge.params.service)
      realm.searchParams.set('scope', scope)
      if (credential?.username && credential.password !== undefined)
        headers.authorization = basicHeader(credential)
      response = await exchange(realm.href, { method: 'GET', headers }, this.deps, signal)
    }
    if (!response.ok) {
      await discard(response)
      throw new RegistryError(
        request.reference,
        'unauthorized',
        `the token endpoint of ${this.registry} answered HTTP ${response.status}${credential ? ' to the stored credentials' : ' to an anonymous request'}; log in (docker login) or check DOCKER_CONFIG.`,
        response.status
      )
    }
    const body = await readCapped(response, MAX_TOKEN_BYTES, 'the token answer')
    const answer = parseTokenAnswer(body)
    if (!answer)
      throw new RegistryError(
        request.reference,
        'invalid',
        `the token endpoint of ${this.registry} gave no token.`
      )
    return { header: `Bearer ${answer.token}`, expires: Date.now() + (answer.seconds - 5) * 1000 }
  }
}

function basicHeader(credential: RegistryCredential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`
}

function parseTokenAnswer(body: Buffer): { token: string; seconds: number } | undefined {
  try {
    const json = JSON.parse(body.toString('utf8')) as {
      token?: unknown
      access_token?: unknown
      expires_in?: unknown
    }
    const token = typeof json.token === 'string' && json.token ? json.token : json.access_token
    if (typeof token !== 'string' || !token || /[\r\n]/.test(token)) return undefined
    const seconds =
      typeof json.expires_in === 'number' && json.expires_in > 5 ? json.expires_in : DEFAULT_TOKEN_SECONDS
    return { token, seconds }
  } catch {
    return undefined
  }
}
