"use strict";
exports.id = 449;
exports.ids = [449];
exports.modules = {

/***/ 6449:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createGateGitHub: () => (/* binding */ createGateGitHub),
  gateCommentMarker: () => (/* binding */ gateCommentMarker)
});

// EXTERNAL MODULE: ./packages/core/src/runtime/errors.ts
var runtime_errors = __webpack_require__(7115);
// EXTERNAL MODULE: ./packages/core/src/runtime/workflow-commands.ts
var workflow_commands = __webpack_require__(9096);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
// EXTERNAL MODULE: ./node_modules/@octokit/rest/dist-src/index.js + 21 modules
var dist_src = __webpack_require__(9988);
// EXTERNAL MODULE: ./node_modules/bottleneck/light.js
var light = __webpack_require__(3251);
var light_default = /*#__PURE__*/__webpack_require__.n(light);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./packages/core/src/runtime/loopback.ts

const LOOPBACK = new external_node_net_.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
/**
 * localhost, 127.0.0.0/8 and ::1 (a URL's hostname, with or without IPv6 brackets): this machine, the
 * only place spoken to over plain http and never through a proxy.
 */
function isLoopbackName(hostname) {
    const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const family = (0,external_node_net_.isIP)(host);
    if (family === 0)
        return host === 'localhost';
    return LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
/** The same for `host[:port]`: a URL's host, or a registry's name. */
function isLoopbackHost(hostWithPort) {
    const host = hostWithPort.startsWith('[')
        ? hostWithPort.slice(0, hostWithPort.indexOf(']') + 1)
        : hostWithPort.replace(/:\d+$/, '');
    return isLoopbackName(host);
}
/** A URL credentials or tokens may be sent to: https, or http on the loopback interface. */
function isSafeUrl(url) {
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackName(url.hostname));
}

;// CONCATENATED MODULE: ./packages/core/src/runtime/proxy.ts



function proxyFor(target, env) {
    if (target.protocol !== 'https:' && target.protocol !== 'http:')
        return undefined;
    const scheme = target.protocol.slice(0, -1);
    const variable = firstSet(env, `${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`);
    if (!variable)
        return undefined;
    // Parsed before NO_PROXY is read: a malformed value fails every request alike, not only some.
    const url = parseProxyUrl(variable, env[variable]);
    const host = normalHost(target.hostname);
    if (isLoopbackName(host))
        return undefined;
    const noProxy = firstSet(env, 'no_proxy', 'NO_PROXY');
    if (noProxy && bypasses(host, portOf(target), env[noProxy]))
        return undefined;
    return { url, variable };
}
function firstSet(env, ...names) {
    return names.find(name => (env[name] ?? '').trim() !== '');
}
/**
 * `http://` or `https://`, or a bare `host:port`, read as http:// as curl and Go read it. Anything
 * else (socks5://, a path, garbage) is the user's to fix, named by its variable, credentials hidden.
 */
function parseProxyUrl(variable, value) {
    const raw = value.trim();
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
    const url = URL.parse(withScheme);
    const shown = `'${(0,runtime_errors/* escapeLineBreaks */.yO)(redactUserinfo(raw))}'`;
    // A path, query or fragment is no part of a proxy's address; one here is mostly an unencoded / ? or #
    // in the password, which made the parser read part of the password as the host or port.
    const addressOnly = url && ['', '/'].includes(url.pathname) && url.search === '' && url.hash === '';
    if (!url || url.hostname === '' || !addressOnly || !decodable(url))
        throw new runtime_errors/* ConfigurationError */.j1(`${variable} ${shown} is not a proxy URL: set it like http://proxy.example:3128`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new runtime_errors/* ConfigurationError */.j1(`${variable} ${shown} names a ${url.protocol.slice(0, -1)} proxy: only http:// and https:// proxies are supported`);
    return url;
}
/** Whether Proxy-Authorization can be built (runtime/http-proxy.ts decodes the userinfo). */
function decodable(url) {
    try {
        decodeURIComponent(url.username);
        decodeURIComponent(url.password);
        return true;
    }
    catch {
        return false;
    }
}
/** A URL (or what should have been one) with its `user:password@` shown as `***@`. */
function redactUserinfo(text) {
    // Up to the last @ anywhere: a password may hold an unencoded @ : / ? or #, and a proxy URL has no
    // path or query an @ could belong to.
    return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, '$1***@');
}
function normalHost(hostname) {
    return hostname
        .toLowerCase()
        .replace(/^\[(.*)\]$/, '$1')
        .replace(/\.$/, '');
}
function portOf(url) {
    return url.port || (url.protocol === 'https:' ? '443' : '80');
}
/** Whether `host` (normalised) on `port` is reached directly under this NO_PROXY value. */
function bypasses(host, port, noProxy) {
    const family = (0,external_node_net_.isIP)(host);
    return noProxy
        .split(/[\s,]+/)
        .filter(entry => entry !== '')
        .some(entry => {
        if (entry === '*')
            return true;
        const parsed = parseEntry(entry.toLowerCase());
        if (!parsed || (parsed.port !== undefined && parsed.port !== port))
            return false;
        if (family === 0)
            return parsed.kind === 'name' && matchesName(host, parsed.name);
        if (parsed.kind === 'name')
            return false;
        const list = new external_node_net_.BlockList();
        const type = parsed.family === 4 ? 'ipv4' : 'ipv6';
        if (parsed.prefix === undefined)
            list.addAddress(parsed.address, type);
        else
            list.addSubnet(parsed.address, parsed.prefix, type);
        return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
    });
}
/** One NO_PROXY entry, or undefined for one that can match nothing (`:1`, `10.0.0.0/99`). */
function parseEntry(entry) {
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
        const family = (0,external_node_net_.isIP)(cidr[1]);
        const prefix = Number(cidr[2]);
        if (family === 0 || prefix > (family === 4 ? 32 : 128))
            return undefined;
        return { kind: 'ip', address: cidr[1], family, prefix };
    }
    if ((0,external_node_net_.isIP)(entry) === 6)
        return { kind: 'ip', address: entry, family: 6 };
    const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!hostPort)
        return undefined;
    const host = normalHost(hostPort[1]);
    const port = hostPort[2];
    const family = (0,external_node_net_.isIP)(host);
    if (family !== 0)
        return { kind: 'ip', address: host, family, ...(port ? { port } : {}) };
    if (host === '' || host === '.' || host === '*.')
        return undefined;
    return { kind: 'name', name: host.replace(/^\*\./, '.'), ...(port ? { port } : {}) };
}
function matchesName(host, name) {
    if (name.startsWith('.'))
        return host.endsWith(name);
    return host === name || host.endsWith(`.${name}`);
}

;// CONCATENATED MODULE: ./packages/core/src/runtime/http.ts

/**
 * One HTTP(S) request through node:http, redirects not followed (the caller decides where they may
 * lead), through the proxy the environment names for this URL (runtime/proxy.ts). Node's global fetch
 * loads undici and compiles its HTTP parser on first use, 25 to 40 ms of a run that asks a registry one
 * or two questions; node:http is already half loaded. The proxy code is loaded only when a proxy is
 * used. Aborting the signal fails the request, or the body read, with the signal's reason.
 */
async function httpRequest(url, init) {
    return responseOf(await httpMessage(url, init), init.signal);
}
/** `httpRequest`'s answer as node:http gives it (status, raw headers, body stream), for adapters. */
async function httpMessage(url, init) {
    const proxy = proxyFor(url, init.env ?? process.env);
    if (proxy) {
        const { proxiedRequest } = await __webpack_require__.e(/* import() */ 53).then(__webpack_require__.bind(__webpack_require__, 4053));
        return send(proxiedRequest(url, init, proxy), init);
    }
    const transport = process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http');
    return send(transport.request(url, { method: init.method, headers: init.headers, signal: init.signal }), init);
}
/** Sends the body and resolves with the answer's head; the body is read from the message. */
function send(request, init) {
    return new Promise((resolve, reject) => {
        // Kept for the request's life: an error after the answer came (a reset) must not go unheard.
        // An aborted request fails with the signal's reason (TimeoutError for a deadline), as fetch's does:
        // Node's own AbortError is one Octokit's retry plugin never retries.
        request.on('error', error => reject(init.signal?.aborted ? init.signal.reason : error));
        request.once('response', (message) => {
            // A body nobody reads holds its socket, and the socket holds the process: HEAD answers have none.
            if (init.method === 'HEAD')
                message.resume();
            resolve(message);
        });
        request.end(init.body);
    });
}
/** The body as `signal` ends it: an aborted read fails with the signal's reason, as fetch's does. */
async function* bodyOf(message, signal) {
    try {
        yield* message;
    }
    catch (error) {
        // An aborted request resets the socket; say why, as fetch does (AbortError, TimeoutError).
        throw signal?.aborted ? signal.reason : error;
    }
}
function responseOf(message, signal) {
    const status = message.statusCode ?? 0;
    return {
        status,
        ok: status >= 200 && status < 300,
        headers: {
            get(name) {
                const value = message.headers[name.toLowerCase()];
                if (value === undefined)
                    return null;
                return Array.isArray(value) ? value.join(', ') : value;
            }
        },
        body: {
            [Symbol.asyncIterator]: () => bodyOf(message, signal),
            cancel() {
                message.destroy();
                return Promise.resolve();
            }
        }
    };
}

;// CONCATENATED MODULE: ./packages/core/src/runtime/http-fetch.ts


/**
 * `fetch` for clients that want one (Octokit, downloads), over `httpRequest`: the same proxy handling
 * for every HTTP call this repository makes. Node's own fetch ignores https_proxy unless the process
 * was started with NODE_USE_ENV_PROXY, which a runner does not do.
 *
 * What callers here use of fetch, and no more: a URL (not a Request), a string or byte body, `redirect`
 * 'follow' (at most 20, as fetch), 'manual' (the 3xx returned as it came) or 'error'. Following drops
 * Authorization and Cookie on a change of origin, as fetch does, and refuses https to plain http off
 * the loopback interface, which fetch would follow. The answer is a standard Response.
 */
function createHttpFetch(env) {
    return (input, init) => httpFetch(input, init, env);
}
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Statuses a Response may not carry a body with. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
async function httpFetch(input, init = {}, env) {
    // Duck-typed: a URL from another realm (jest's) fails instanceof. A Request has `url`, not `href`.
    const href = typeof input === 'string' ? input : input.href;
    if (typeof href !== 'string')
        throw new TypeError('httpFetch takes a URL, not a Request');
    let url = withoutCredentials(new URL(href));
    let method = (init.method ?? 'GET').toUpperCase();
    let headers = headerRecord(init.headers);
    let body = bytesOf(init.body);
    const signal = init.signal ?? undefined;
    for (let hop = 0;; hop++) {
        const message = await httpMessage(url, { method, headers, signal, env, ...(body ? { body } : {}) });
        const location = message.headers.location;
        const status = message.statusCode ?? 0;
        if (!REDIRECTS.has(status) || !location || init.redirect === 'manual')
            return http_fetch_responseOf(message, url, method, signal);
        message.destroy();
        if (init.redirect === 'error')
            throw new TypeError(`${url.host} redirects, and redirect is 'error'`);
        // Hosts only in messages: a signed URL's query (an artifact's `sig=`) is a credential.
        if (hop >= MAX_REDIRECTS)
            throw new TypeError(`more than ${MAX_REDIRECTS} redirects from ${url.host}`);
        const next = nextUrl(url, location);
        // fetch: a 303, or a 301/302 answering a POST, is followed with a GET and no body.
        if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
            headers = without(headers, /^content-/);
        }
        if (next.origin !== url.origin)
            headers = without(headers, /^(authorization|cookie)$/);
        url = next;
    }
}
function nextUrl(from, location) {
    const next = URL.parse(location, from.href);
    if (!next || (next.protocol !== 'https:' && next.protocol !== 'http:'))
        throw new TypeError(`${from.host} redirects to ${next?.protocol ?? 'an invalid URL'}, which is no http(s) URL`);
    if (from.protocol === 'https:' && next.protocol === 'http:' && !isLoopbackName(next.hostname))
        throw new TypeError(`refusing a redirect from https://${from.host} to http://${next.host}`);
    return withoutCredentials(next);
}
/**
 * fetch refuses a URL with `user:password@`; node:http would send it as Authorization: Basic, also
 * where a redirect put it, to whatever host that redirect names.
 */
function withoutCredentials(url) {
    if (url.username !== '' || url.password !== '')
        throw new TypeError(`refusing a URL with credentials in it (for ${url.host})`);
    return url;
}
function headerRecord(headers) {
    const record = {};
    if (!headers)
        return record;
    const pairs = Array.isArray(headers) || typeof headers.entries === 'function'
        ? [...headers]
        : Object.entries(headers);
    for (const [name, value] of pairs)
        record[name.toLowerCase()] = String(value);
    return record;
}
function without(headers, names) {
    return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.test(name)));
}
function bytesOf(body) {
    if (body === undefined || body === null || typeof body === 'string')
        return body ?? undefined;
    if (body instanceof Uint8Array)
        return body;
    if (body instanceof ArrayBuffer)
        return new Uint8Array(body);
    if (ArrayBuffer.isView(body))
        return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    throw new TypeError('httpFetch sends string and byte bodies only');
}
function http_fetch_responseOf(message, url, method, signal) {
    const status = message.statusCode ?? 0;
    const headers = new Headers();
    for (let i = 0; i + 1 < message.rawHeaders.length; i += 2)
        headers.append(message.rawHeaders[i], message.rawHeaders[i + 1]);
    const empty = method === 'HEAD' || NULL_BODY.has(status);
    if (empty)
        message.resume();
    const body = empty ? null : ReadableStream.from(bodyOf(message, signal));
    const response = new Response(body, { status, statusText: message.statusMessage ?? '', headers });
    // A constructed Response has no URL; Octokit reports it, and after redirects it is the last one.
    Object.defineProperty(response, 'url', { value: url.href });
    return response;
}

;// CONCATENATED MODULE: ./packages/core/src/github/octokit.ts
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the bundler (ncc, ts-loader) compiles from the entry and sees no ambient declaration tsconfig includes
/// <reference path="./bottleneck-light.d.ts" />








const GitHubOctokit = dist_src/* Octokit */.E.plugin(attemptLog, dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
const PRIMARY_RATE_LIMIT_RETRIES = 2;
const SECONDARY_RATE_LIMIT_RETRIES = 1;
/** 429 is left to the throttling plugin, which reads retry-after; retrying it here as well would double the attempts. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];
function resolveApiBaseUrl(explicit, env) {
    const raw = explicit?.trim() || env.GITHUB_API_URL?.trim() || 'https://api.github.com';
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        throw new runtime_errors/* ConfigurationError */.j1(`GitHub API URL '${raw}' is not a URL; set GITHUB_API_URL like https://ghe.example.com/api/v3`);
    }
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        throw new runtime_errors/* ConfigurationError */.j1(`GitHub API URL '${raw}' must use https so the token is never sent in clear text`);
    }
    return url.toString().replace(/\/+$/, '');
}
function describe(options) {
    return `${options.method ?? 'GET'} ${options.url ?? ''}`;
}
/**
 * Logs every failed attempt, so retries and their causes are visible in the job log. Registered before
 * retry and throttling, its error hook is the innermost one and sees each attempt, retried or not.
 */
function attemptLog(octokit, options) {
    const logger = options.attemptLogger;
    octokit.hook.error('request', (error, request) => {
        const status = error.status;
        logger?.debug(`GitHub API ${describe(request)} failed with ${status ?? 'no status'}: ${error.message}`);
        // Octokit wraps whatever fetch throws as a status-500 RequestError, which the retry plugin retries;
        // a proxy refusing the credentials (runtime/http-proxy.ts) is the user's to fix, and no retry will.
        const cause = error.cause;
        if (cause instanceof runtime_errors/* ConfigurationError */.j1)
            throw cause;
        throw error;
    });
}
function createOctokit(options) {
    const token = options.token.trim();
    if (token.length === 0) {
        const where = options.tokenInput ? `Input '${options.tokenInput}' is empty` : 'The GitHub token is empty';
        throw new runtime_errors/* ConfigurationError */.j1(`${where}: pass a token, such as \${{ github.token }}.`);
    }
    ;
    (options.registerSecret ?? workflow_commands/* setSecret */.Pq)(token);
    const { logger } = options;
    const unit = options.timeUnitMs ?? 1000;
    const maxWait = options.maxRateLimitWaitSeconds ?? 300;
    const timeoutMs = options.requestTimeoutMs ?? 60_000;
    const env = options.env ?? process.env;
    const baseUrl = resolveApiBaseUrl(options.baseUrl, env);
    // A malformed proxy variable is the user's to fix: said once now, not after every retry of a call.
    proxyFor(new URL(baseUrl), env);
    // Over httpRequest, not Node's fetch, so GitHub calls use the runner's proxy as every other call does.
    const httpFetch = createHttpFetch(env);
    const timedFetch = (input, init) => {
        const deadline = AbortSignal.timeout(timeoutMs);
        return httpFetch(input, {
            ...init,
            signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline
        });
    };
    return new GitHubOctokit({
        attemptLogger: logger,
        auth: token,
        baseUrl,
        userAgent: options.userAgent ?? 'secure-pipeline',
        request: { fetch: timedFetch },
        log: {
            debug: message => logger.debug(message),
            info: message => logger.debug(message),
            warn: message => logger.warning(message),
            // Octokit logs every failed request as an error, including the 404/403 callers handle and the
            // attempts that a retry fixes: an error annotation for those would be false.
            error: message => logger.debug(message)
        },
        retry: { retries: options.retries ?? 3, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: unit },
        throttle: {
            // GitHub asks for a second between writes (secondary rate limits), more before a request that
            // notifies people or searches: the plugin's groups keep that spacing; on another time scale, the
            // same spacing in its units.
            ...(unit === 1000 ? {} : spacedGroups(unit)),
            retryAfterBaseValue: unit,
            // GitHub: without retry-after, wait at least one minute after a secondary limit.
            fallbackSecondaryRateRetryAfter: 60,
            onRateLimit: (retryAfter, request, _octokit, retryCount) => {
                const what = describe(request);
                if (retryCount >= PRIMARY_RATE_LIMIT_RETRIES) {
                    logger.warning(`GitHub API rate limit still exhausted for ${what} after ${retryCount} retries; giving up`);
                    return false;
                }
                if (retryAfter > maxWait) {
                    logger.warning(`GitHub API rate limit for ${what} resets in ${retryAfter} s (> ${maxWait} s); not waiting`);
                    return false;
                }
                logger.warning(`GitHub API rate limit hit for ${what}; retrying in ${retryAfter} s`);
                return true;
            },
            onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
                const what = describe(request);
                if (retryCount >= SECONDARY_RATE_LIMIT_RETRIES) {
                    logger.warning(`GitHub API secondary rate limit hit again for ${what}; giving up`);
                    return false;
                }
                logger.warning(`GitHub API secondary rate limit hit for ${what}; retrying once in ${retryAfter} s`);
                return true;
            }
        }
    });
}
/** The HTTP status of an Octokit RequestError, if it is one. */
function httpStatusOf(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}
/** GitHub's own explanation from an error response (`message`), falling back to the error text. */
function apiMessageOf(error) {
    const data = error?.response?.data;
    if (data && typeof data.message === 'string')
        return data.message;
    return error instanceof Error ? error.message : String(error);
}
/** Per-request option for a create that `createAtMostOnce` retries itself. */
const NO_RETRY = { retries: 0 };
/**
 * A create that is not idempotent (a comment, a pull request). GitHub may have made it although the
 * answer was a 5xx or never came, and the retry plugin would then make a second one. Sent with
 * `NO_RETRY`; after a server error `find` looks for what it made, and only when nothing is there is it
 * sent again. The last attempt is looked for too: its 5xx may also have made it.
 */
async function createAtMostOnce(create, find, attempts = 3) {
    for (let attempt = 1;; attempt++) {
        try {
            return await create();
        }
        catch (error) {
            const status = httpStatusOf(error);
            if (status === undefined || status < 500)
                throw error;
            const made = await find();
            if (made !== undefined)
                return made;
            if (attempt >= attempts)
                throw error;
        }
    }
}
/** A 403 caused by rate limiting is not a permission problem and must not be treated as one. */
function isRateLimitError(error) {
    const message = apiMessageOf(error);
    const headers = error?.response?.headers;
    return /rate limit/i.test(message) || headers?.['x-ratelimit-remaining'] === '0';
}
/** The plugin's spacing (1 s between writes, 2 s between searches, 3 s before a notifying request), scaled to `unit`. */
let spaced;
function spacedGroups(unit) {
    // Shared by every client of the process, as the plugin shares its own groups.
    if (spaced?.unit !== unit) {
        const group = (id, seconds) => new (light_default()).Group({ id: `octokit-${id}`, maxConcurrent: 1, minTime: seconds * unit });
        spaced = {
            unit,
            groups: {
                write: group('write', 1),
                search: group('search', 2),
                notifications: group('notifications', 3)
            }
        };
    }
    return spaced.groups;
}

;// CONCATENATED MODULE: ./packages/core/src/github/code-scanning.ts


/** Code scanning refuses uploads above 10 MB once gzip-compressed. */
const MAX_SARIF_GZIP_BYTES = 10 * 1024 * 1024;
/** Seconds between processing-status polls; codeql-action's schedule (upload-lib.ts). */
const DEFAULT_POLL_DELAYS_MS = [5_000, 15_000, 35_000, 75_000, 155_000];
/** Parses the log and fills in the category; a log that is not SARIF-shaped JSON is refused, not uploaded. */
function prepareSarif(text, category, logger) {
    let log;
    try {
        log = JSON.parse(text);
    }
    catch (error) {
        throw new runtime_errors/* BrokenInputError */.YU('SARIF', `not JSON: ${(0,runtime_errors/* getErrorMessage */.u1)(error)}`);
    }
    if (!log || typeof log !== 'object' || !Array.isArray(log.runs))
        throw new runtime_errors/* BrokenInputError */.YU('SARIF', 'has no runs array');
    if (category === undefined)
        return text;
    const id = category.endsWith('/') ? category : `${category}/`;
    for (const run of log.runs) {
        const details = run.automationDetails;
        if (details?.id === undefined)
            run.automationDetails = { ...details, id };
        else if (details.id !== id)
            logger.warning(`SARIF run keeps its own category '${String(details.id)}' (asked: '${id}')`);
    }
    return JSON.stringify(log);
}
function unavailable(error) {
    const status = httpStatusOf(error);
    if ((status !== 403 && status !== 404) || isRateLimitError(error))
        return undefined;
    const message = apiMessageOf(error);
    if (/advanced security|code security|code scanning is not enabled/i.test(message)) {
        return `Code scanning is not available here (${status}: ${message}). Private repositories need GitHub Code Security / Advanced Security; the results stay in the job summary and artifact.`;
    }
    return `GitHub refused the SARIF upload (${status}: ${message}). The job needs 'permissions: security-events: write' (and 'actions: read' on private repositories); fork pull requests get a read-only token.`;
}
const defaultSleep = (ms) => new Promise(resolve => setTimeout(resolve, ms));
/**
 * Uploads SARIF to code scanning (gzip, then base64). Missing GHAS or permissions degrade to
 * `unavailable` with the reason; every other failure throws.
 */
async function uploadSarif(options) {
    const { octokit, owner, repo, logger } = options;
    if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(options.commitSha)) {
        throw new runtime_errors/* ConfigurationError */.j1(`commit SHA '${options.commitSha}' for the SARIF upload is not a full commit SHA`);
    }
    if (!/^refs\/(heads|tags|pull)\/.+/.test(options.ref)) {
        throw new runtime_errors/* ConfigurationError */.j1(`ref '${options.ref}' for the SARIF upload must look like refs/heads/<branch> or refs/pull/<n>/merge`);
    }
    // Loaded when uploading only: zlib brings Node's streams, 5 ms of every gate's start.
    const { gzipSync } = process.getBuiltinModule('node:zlib');
    const gzipped = gzipSync(Buffer.from(prepareSarif(options.sarif, options.category, logger), 'utf8'));
    if (gzipped.length > MAX_SARIF_GZIP_BYTES) {
        throw new runtime_errors/* BrokenInputError */.YU('SARIF', `is ${(gzipped.length / 1048576).toFixed(1)} MB gzip-compressed; code scanning accepts at most 10 MB. Reduce or split the results first.`);
    }
    let sarifId;
    let url;
    try {
        const { data } = await octokit.rest.codeScanning.uploadSarif({
            owner,
            repo,
            commit_sha: options.commitSha,
            ref: options.ref,
            sarif: gzipped.toString('base64'),
            ...(options.checkoutUri ? { checkout_uri: options.checkoutUri } : {}),
            ...(options.toolName ? { tool_name: options.toolName } : {})
        });
        if (!data.id)
            throw new Error('GitHub accepted the SARIF upload but returned no id');
        sarifId = data.id;
        url = data.url;
    }
    catch (error) {
        const reason = unavailable(error);
        if (!reason)
            throw error;
        logger.warning(reason);
        return { status: 'unavailable', reason };
    }
    logger.info(`Uploaded SARIF (${gzipped.length} bytes gzip-compressed) as ${sarifId}`);
    if (!options.waitForProcessing)
        return { status: 'uploaded', sarifId, url };
    return { status: 'uploaded', sarifId, url, processing: await waitForProcessing(options, sarifId) };
}
async function waitForProcessing(options, sarifId) {
    const { octokit, owner, repo, logger } = options;
    const sleep = options.sleep ?? defaultSleep;
    for (const delay of options.pollDelaysMs ?? DEFAULT_POLL_DELAYS_MS) {
        await sleep(delay);
        const { data } = await octokit.rest.codeScanning.getSarif({ owner, repo, sarif_id: sarifId });
        if (data.processing_status === 'complete') {
            logger.info(`Code scanning processed SARIF ${sarifId}`);
            return 'complete';
        }
        if (data.processing_status === 'failed') {
            const errors = data.errors?.join('; ') || 'no reason given';
            throw new runtime_errors/* BrokenInputError */.YU('SARIF', `code scanning could not process upload ${sarifId}: ${errors}`);
        }
    }
    logger.warning(`Code scanning is still processing SARIF ${sarifId}; not waiting any longer`);
    return 'pending';
}

// EXTERNAL MODULE: ./packages/core/src/github/context.ts
var github_context = __webpack_require__(9594);
// EXTERNAL MODULE: ./packages/core/src/github/git.ts + 2 modules
var git = __webpack_require__(5504);
;// CONCATENATED MODULE: ./packages/core/src/github/comment-body.ts

/** GitHub refuses issue comments longer than this many characters. */
const MAX_COMMENT_LENGTH = 65_536;
function commentMarker(marker) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(marker)) {
        throw new runtime_errors/* ConfigurationError */.j1(`Comment marker '${marker}' may only hold letters, digits, '.', '_' and '-'`);
    }
    return `<!-- secure-pipeline:${marker} -->`;
}
/**
 * What is still open at the end of `text`: a code fence (its exact opening, since only the same
 * character, at least as long, closes it) and `<details>` blocks outside fences. Left open, a
 * `<details>` folds the truncation note into a collapsed block nobody opens.
 */
function openBlocks(text) {
    let fence;
    let details = 0;
    for (const line of text.split('\n')) {
        const [, run = '', info = ''] = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line) ?? [];
        if (fence) {
            if (run[0] === fence[0] && run.length >= fence.length && !info.trim())
                fence = undefined;
        }
        else if (run && !(run[0] === '`' && info.includes('`'))) {
            fence = run;
        }
        else {
            details += (line.match(/<details[\s>]/gi) ?? []).length;
            details -= (line.match(/<\/details\s*>/gi) ?? []).length;
        }
    }
    return { fence, details: Math.max(0, details) };
}
/** What closes the blocks `kept` leaves open, innermost (the fence) first. */
function closing(kept) {
    const open = openBlocks(kept);
    return (open.fence ? `\n${open.fence}` : '') + '\n\n</details>'.repeat(open.details);
}
/**
 * The first `room` characters of `body`, cut at a line break when one is in the second half: a cut
 * mid-line can split an HTML tag, an entity or a table row. Never splits a surrogate pair.
 */
function cut(body, room) {
    let keep = room;
    const code = body.charCodeAt(keep - 1);
    if (code >= 0xd800 && code <= 0xdbff)
        keep -= 1;
    const lineBreak = body.lastIndexOf('\n', keep - 1);
    return body.slice(0, lineBreak > keep / 2 ? lineBreak : keep);
}
/**
 * Marker line + body, cut to GitHub's limit. The cut closes a code fence and `<details>` blocks left
 * open, so the truncated comment still renders and the note shows.
 */
function composeCommentBody(marker, body, note = 'see the job summary for the full report') {
    const head = `${commentMarker(marker)}\n`;
    const full = head + body;
    if (full.length <= MAX_COMMENT_LENGTH)
        return { text: full, truncated: false };
    const tail = (omitted) => `\n\n---\n_Truncated: ${omitted.toLocaleString('en-US')} characters omitted; ${note}._`;
    // Room for the tail with the largest omitted count it could show; the closings are paid for below.
    const room = MAX_COMMENT_LENGTH - head.length - tail(body.length).length;
    for (let keep = room;;) {
        if (keep < 0)
            throw new runtime_errors/* ConfigurationError */.j1('The truncation note is longer than a whole GitHub comment');
        const kept = cut(body, keep);
        const text = kept + closing(kept);
        if (text.length <= room)
            return { text: head + text + tail(body.length - kept.length), truncated: true };
        keep -= text.length - room;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/github/pr-comment.ts



/** GITHUB_TOKEN's identity: preferred among bots, since it is the token the actions default to. */
const GITHUB_ACTIONS_BOT = 'github-actions[bot]';
async function resolveCommentAuthor(octokit) {
    try {
        const { data } = await octokit.rest.users.getAuthenticated();
        return { kind: 'user', login: data.login };
    }
    catch (error) {
        if (httpStatusOf(error) === 403 && !isRateLimitError(error))
            return { kind: 'app' };
        throw error;
    }
}
/** A comment only our own identity could have written; a person who pastes our marker never qualifies. */
function writtenBy(user, author) {
    if (!user?.login)
        return false;
    if (author.kind === 'user')
        return user.login.toLowerCase() === author.login.toLowerCase();
    return user.type === 'Bot' && user.login.endsWith('[bot]');
}
function permissionProblem(error) {
    if (httpStatusOf(error) !== 403 || isRateLimitError(error))
        return undefined;
    return (`GitHub refused the PR comment (403: ${apiMessageOf(error)}). A fork pull request or a workflow without ` +
        "'permissions: pull-requests: write' gets a read-only token; the report is still in the job summary.");
}
/**
 * Two runs that both found no comment each create one; afterwards only the first would be edited,
 * and the other would show its old verdict (a stale "Passed") for ever. Only comments with our marker
 * by the very account of the one we keep go; a failure to remove one only warns.
 */
async function removeTwins(options, twins) {
    for (const twin of twins) {
        try {
            await options.octokit.rest.issues.deleteComment({
                owner: options.owner,
                repo: options.repo,
                comment_id: twin.id
            });
            options.logger.info(`Removed duplicate PR comment ${twin.html_url}`);
        }
        catch (error) {
            options.logger.warning(`Could not remove duplicate PR comment ${twin.html_url}: ${apiMessageOf(error)}`);
        }
    }
}
/**
 * The edited comment, or undefined when it is gone (404): someone deleted it after the list was read,
 * and failing there would leave the pull request with no verdict at all.
 */
async function updateUnlessDeleted(options, commentId, body) {
    try {
        const { data } = await options.octokit.rest.issues.updateComment({
            owner: options.owner,
            repo: options.repo,
            comment_id: commentId,
            body
        });
        return data;
    }
    catch (error) {
        if (httpStatusOf(error) === 404)
            return undefined;
        throw error;
    }
}
/**
 * Keeps exactly one comment of ours per PR: finds it by its hidden marker (all pages), edits it in
 * place, or creates it. A read-only token (fork PR) is not an error: the comment is skipped.
 */
async function upsertPullRequestComment(options) {
    const { octokit, owner, repo, issueNumber, logger } = options;
    const marker = commentMarker(options.marker);
    const { text, truncated } = composeCommentBody(options.marker, options.body, options.truncationNote);
    if (truncated)
        logger.warning(`PR comment cut to ${MAX_COMMENT_LENGTH} characters (GitHub's limit)`);
    const listOurs = async () => {
        const comments = await octokit.paginate(octokit.rest.issues.listComments, {
            owner,
            repo,
            issue_number: issueNumber,
            per_page: 100
        });
        // Only a comment that STARTS with our marker counts, and only one our identity wrote: anyone can
        // paste the marker into a comment of their own, and editing it would put our verdict under their name.
        return comments.filter(c => c.body?.startsWith(marker) && writtenBy(c.user, options.author));
    };
    try {
        const candidates = await listOurs();
        const ours = candidates.find(c => c.user?.login === GITHUB_ACTIONS_BOT) ?? candidates[0];
        if (ours) {
            const twins = candidates.filter(c => c.id !== ours.id && c.user?.login === ours.user?.login);
            await removeTwins(options, twins);
            if (ours.body === text) {
                logger.info(`PR comment ${ours.html_url} is already up to date`);
                return { status: 'updated', commentId: ours.id, url: ours.html_url, truncated };
            }
            const updated = await updateUnlessDeleted(options, ours.id, text);
            if (updated) {
                logger.info(`Updated PR comment ${updated.html_url}`);
                return { status: 'updated', commentId: updated.id, url: updated.html_url, truncated };
            }
            logger.info(`PR comment ${ours.html_url} was deleted during the run; posting the verdict anew`);
        }
        const known = new Set(candidates.map(c => c.id));
        const data = await createAtMostOnce(async () => (await octokit.rest.issues.createComment({
            owner,
            repo,
            issue_number: issueNumber,
            body: text,
            request: NO_RETRY
        })).data, async () => (await listOurs()).find(c => !known.has(c.id) && c.body === text));
        logger.info(`Created PR comment ${data.html_url} as ${data.user?.login ?? 'an unknown user'}`);
        return { status: 'created', commentId: data.id, url: data.html_url, truncated };
    }
    catch (error) {
        const reason = permissionProblem(error);
        if (!reason)
            throw error;
        logger.warning(reason);
        return { status: 'skipped', reason };
    }
}

;// CONCATENATED MODULE: ./packages/core/src/github/upload-target.ts

/**
 * Where a SARIF upload belongs, given the commit the workspace has checked out (undefined: unknown).
 * Its locations were read from that commit: filed under GITHUB_SHA instead (a pull request's test merge
 * commit when a workflow checks out the head), its alerts land on lines of another tree. A checked-out
 * pull request head is filed under the PR's head ref, as GitHub's own CodeQL action files it. On
 * pull_request_target GITHUB_REF is the base branch: the PR's code filed there would replace the base
 * branch's analysis and close its alerts, so any other commit of a pull request is filed under the PR.
 */
function sarifUploadTarget(context, checkedOut) {
    const asRun = { commitSha: context.sha, ref: context.ref };
    if (!checkedOut || checkedOut.toLowerCase() === context.sha.toLowerCase())
        return asRun;
    const pullNumber = /^refs\/pull\/(\d+)\/merge$/.exec(context.ref)?.[1] ?? (0,github_context/* pullRequestNumber */.Kd)(context)?.toString();
    const head = (0,github_context/* pullRequestRefs */.$R)(context)?.head.sha;
    if (pullNumber && head?.toLowerCase() === checkedOut.toLowerCase())
        return {
            commitSha: checkedOut,
            ref: `refs/pull/${pullNumber}/head`,
            because: `the workspace has the pull request's head ${checkedOut.slice(0, 12)} checked out, not ${context.sha.slice(0, 12)} (GITHUB_SHA)`
        };
    return {
        commitSha: checkedOut,
        ref: pullNumber ? `refs/pull/${pullNumber}/merge` : context.ref,
        because: `the workspace has ${checkedOut.slice(0, 12)} checked out, not GITHUB_SHA ${context.sha.slice(0, 12)}`
    };
}

// EXTERNAL MODULE: ./packages/core/src/findings/sha256.ts
var sha256 = __webpack_require__(5153);
;// CONCATENATED MODULE: ./packages/core/src/github/contents.ts


function cannotRead(options, error, problem) {
    const { owner, repo } = options.repository;
    return new runtime_errors/* ConfigurationError */.j1(`${problem ?? `The token cannot read ${owner}/${repo}`} (${httpStatusOf(error)}: ${apiMessageOf(error)}). GITHUB_TOKEN reads only the repository of the workflow; give a token with 'contents: read' on ${owner}/${repo}.`);
}
/**
 * A 404 is GitHub's answer for a missing file, but also for a ref that does not exist and for a private
 * repository the token cannot see: only the first is "no such file", the others are the user's to fix.
 */
async function missingFile(options, error) {
    const { octokit, repository } = options;
    const where = `${repository.owner}/${repository.repo}`;
    if (/no commit found for the ref/i.test(apiMessageOf(error)))
        throw new runtime_errors/* ConfigurationError */.j1(`${where} has no branch, tag or commit '${options.ref ?? ''}' (404: ${apiMessageOf(error)}).`);
    try {
        await octokit.request('GET /repos/{owner}/{repo}', { ...repository });
    }
    catch (lookup) {
        if (httpStatusOf(lookup) === 404)
            throw cannotRead(options, lookup, `${where} does not exist or the token cannot see it`);
        throw lookup;
    }
    return undefined;
}
/**
 * One file of a repository at a ref, through the contents API: undefined when there is no such file
 * (404). A directory, a symbolic link or a submodule at the path is not a file and is refused.
 */
async function readRepositoryFile(options) {
    const { octokit, repository } = options;
    const maxBytes = options.maxBytes ?? 1024 * 1024;
    let data;
    try {
        // `{+path}` keeps the slashes: an encoded `%2F` is refused for fine-grained tokens (octokit.js#2422).
        const response = await octokit.request('GET /repos/{owner}/{repo}/contents/{+path}', {
            owner: repository.owner,
            repo: repository.repo,
            path: options.path.split('/').map(encodeURIComponent).join('/'),
            ...(options.ref ? { ref: options.ref } : {})
        });
        data = response.data;
    }
    catch (error) {
        const status = httpStatusOf(error);
        if (status === 404)
            return missingFile(options, error);
        if ((status === 401 || status === 403) && !isRateLimitError(error))
            throw cannotRead(options, error);
        throw error;
    }
    const where = `${repository.owner}/${repository.repo}:${options.path}`;
    const file = data;
    if (Array.isArray(data) || file.type !== 'file')
        throw new runtime_errors/* ConfigurationError */.j1(`${where} is a ${Array.isArray(data) ? 'directory' : (file.type ?? 'thing')}, not a file.`);
    if ((file.size ?? 0) > maxBytes || file.encoding !== 'base64' || typeof file.content !== 'string')
        throw new runtime_errors/* ConfigurationError */.j1(`${where} is ${file.size ?? '?'} bytes, over the ${maxBytes}-byte limit.`);
    return { text: Buffer.from(file.content, 'base64').toString('utf8'), sha: file.sha ?? '' };
}

// EXTERNAL MODULE: ./packages/core/src/policy-source/location.ts + 1 modules
var policy_source_location = __webpack_require__(7573);
;// CONCATENATED MODULE: ./packages/core/src/policy-source/central-file.ts



/**
 * Reads a central policy file through the contents API, as the gate does: the origin is written
 * `owner/repo@ref:path` (`owner/repo:path` on the default branch). The token is registered as a secret
 * (masked in the log) when the client is made, and goes nowhere but the API's Authorization header.
 */
function createCentralPolicyReader(options) {
    const octokit = createOctokit({
        token: options.token,
        tokenInput: options.tokenInput,
        logger: options.logger,
        env: options.env,
        ...options.octokit
    });
    return async (repository, path, ref) => {
        const origin = (0,policy_source_location/* centralOrigin */.eq)(repository, path, ref);
        const file = await readRepositoryFile({ octokit, repository, path, ref });
        return { text: file?.text, origin, blobSha: file?.sha };
    };
}

;// CONCATENATED MODULE: ./packages/core/src/gate/github-port.ts









/**
 * Each gate keeps its own comment: the workflow, the job and the caller's key (a matrix leg's image)
 * name it, so a passing gate never overwrites the verdict of another that failed on the same pull request.
 */
function gateCommentMarker(env, key = '') {
    const identity = [env.GITHUB_WORKFLOW ?? '', env.GITHUB_JOB ?? '', key];
    if (identity.every(part => part === ''))
        return 'gate';
    return `gate-${(0,sha256/* sha256Hex */.fg)(identity.join('\u0000')).slice(0, 16)}`;
}
/**
 * The gate's GitHub side effects and reads. The comment and the upload degrade instead of failing the
 * run: reporting is separate from gating, and a fork PR or a repository without GHAS is a normal situation.
 * Without a repository context (a run outside Actions) only reading another repository's file works.
 */
function createGateGitHub(options) {
    const { logger } = options;
    let context;
    try {
        context = options.context ?? (0,github_context/* readActionsContext */.DK)(options.env);
    }
    catch (error) {
        logger.warning(`No repository context, so no PR comment or upload: ${(0,runtime_errors/* getErrorMessage */.u1)(error)}`);
    }
    const client = (token) => createOctokit({ token, logger, env: options.env, ...options.octokit });
    const octokit = options.token ? client(options.token) : undefined;
    // A token scoped to the policy repository alone could neither comment nor upload here.
    // Made on the first read: most runs have no central policy.
    let readCentral;
    const centralReader = () => (readCentral ??= createCentralPolicyReader({
        token: options.policyToken || options.token,
        tokenInput: options.policyToken ? 'policy-token' : 'token',
        env: options.env,
        logger,
        octokit: options.octokit
    }));
    const marker = gateCommentMarker(options.env, options.commentKey);
    const issueNumber = context ? (0,github_context/* pullRequestNumber */.Kd)(context) : undefined;
    let author;
    return {
        canComment: octokit !== undefined && issueNumber !== undefined,
        async upsertComment(body) {
            if (!octokit)
                return { status: 'skipped', detail: "input 'token' is empty" };
            if (!context || issueNumber === undefined)
                return { status: 'skipped', detail: 'not a pull request' };
            try {
                author ??= resolveCommentAuthor(octokit);
                const r = await upsertPullRequestComment({
                    octokit,
                    owner: context.repo.owner,
                    repo: context.repo.repo,
                    issueNumber,
                    marker,
                    body,
                    logger,
                    truncationNote: 'the full report is in the job summary',
                    author: await author
                });
                if (r.status === 'skipped') {
                    const why = (0,github_context/* isForkPullRequest */.B7)(context)
                        ? `${r.reason} (pull request from a fork: the token is read-only)`
                        : r.reason;
                    return { status: 'skipped', detail: why };
                }
                return { status: 'done', detail: `${r.status} ${r.url}` };
            }
            catch (error) {
                return { status: 'failed', detail: (0,runtime_errors/* getErrorMessage */.u1)(error) };
            }
        },
        async uploadSarif(sarif) {
            if (!context)
                return { status: 'unavailable', detail: 'no repository context' };
            if (!octokit)
                return { status: 'unavailable', detail: "input 'token' is empty" };
            try {
                const checkedOut = options.workspace
                    ? await git.Git.headCommit(options.workspace, { env: options.env })
                    : undefined;
                const target = sarifUploadTarget(context, checkedOut);
                if (target.because)
                    logger.info(`SARIF filed under ${target.ref}, ${target.commitSha}: ${target.because}`);
                const r = await uploadSarif({
                    octokit,
                    owner: context.repo.owner,
                    repo: context.repo.repo,
                    sarif,
                    commitSha: target.commitSha,
                    ref: target.ref,
                    logger
                });
                if (r.status === 'unavailable')
                    return { status: 'unavailable', detail: r.reason };
                return { status: 'done', detail: `uploaded as ${r.sarifId}` };
            }
            catch (error) {
                return { status: 'failed', detail: (0,runtime_errors/* getErrorMessage */.u1)(error) };
            }
        },
        readRepositoryFile: (repository, path, ref) => centralReader()(repository, path, ref)
    };
}


/***/ })

};
;