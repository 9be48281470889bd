"use strict";
exports.id = 548;
exports.ids = [548];
exports.modules = {

/***/ 4167:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createCentralPolicyReader: () => (/* binding */ createCentralPolicyReader)
});

// EXTERNAL MODULE: ./packages/core/src/runtime/errors.ts
var errors = __webpack_require__(7115);
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
// EXTERNAL MODULE: ./packages/core/src/runtime/http-fetch.ts + 1 modules
var http_fetch = __webpack_require__(4165);
// EXTERNAL MODULE: ./packages/core/src/runtime/proxy.ts
var proxy = __webpack_require__(2638);
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
        throw new errors/* ConfigurationError */.j1(`GitHub API URL '${raw}' is not a URL; set GITHUB_API_URL like https://ghe.example.com/api/v3`);
    }
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        throw new errors/* ConfigurationError */.j1(`GitHub API URL '${raw}' must use https so the token is never sent in clear text`);
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
        if (cause instanceof errors/* ConfigurationError */.j1)
            throw cause;
        throw error;
    });
}
function createOctokit(options) {
    const token = options.token.trim();
    if (token.length === 0) {
        const where = options.tokenInput ? `Input '${options.tokenInput}' is empty` : 'The GitHub token is empty';
        throw new errors/* ConfigurationError */.j1(`${where}: pass a token, such as \${{ github.token }}.`);
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
    (0,proxy/* proxyFor */.iJ)(new URL(baseUrl), env);
    // Over httpRequest, not Node's fetch, so GitHub calls use the runner's proxy as every other call does.
    const httpFetch = (0,http_fetch/* createHttpFetch */.H)(env);
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

;// CONCATENATED MODULE: ./packages/core/src/github/contents.ts


function cannotRead(options, error, problem) {
    const { owner, repo } = options.repository;
    return new errors/* ConfigurationError */.j1(`${problem ?? `The token cannot read ${owner}/${repo}`} (${httpStatusOf(error)}: ${apiMessageOf(error)}). GITHUB_TOKEN reads only the repository of the workflow; give a token with 'contents: read' on ${owner}/${repo}.`);
}
/**
 * A 404 is GitHub's answer for a missing file, but also for a ref that does not exist and for a private
 * repository the token cannot see: only the first is "no such file", the others are the user's to fix.
 */
async function missingFile(options, error) {
    const { octokit, repository } = options;
    const where = `${repository.owner}/${repository.repo}`;
    if (/no commit found for the ref/i.test(apiMessageOf(error)))
        throw new errors/* ConfigurationError */.j1(`${where} has no branch, tag or commit '${options.ref ?? ''}' (404: ${apiMessageOf(error)}).`);
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
        throw new errors/* ConfigurationError */.j1(`${where} is a ${Array.isArray(data) ? 'directory' : (file.type ?? 'thing')}, not a file.`);
    if ((file.size ?? 0) > maxBytes || file.encoding !== 'base64' || typeof file.content !== 'string')
        throw new errors/* ConfigurationError */.j1(`${where} is ${file.size ?? '?'} bytes, over the ${maxBytes}-byte limit.`);
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


/***/ }),

/***/ 4165:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  H: () => (/* binding */ createHttpFetch)
});

// EXTERNAL MODULE: ./packages/core/src/runtime/proxy.ts
var runtime_proxy = __webpack_require__(2638);
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
    const proxy = (0,runtime_proxy/* proxyFor */.iJ)(url, init.env ?? process.env);
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

// EXTERNAL MODULE: ./packages/core/src/runtime/loopback.ts
var loopback = __webpack_require__(3705);
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
    if (from.protocol === 'https:' && next.protocol === 'http:' && !(0,loopback/* isLoopbackName */.xX)(next.hostname))
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


/***/ }),

/***/ 3705:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   xX: () => (/* binding */ isLoopbackName)
/* harmony export */ });
/* unused harmony exports isLoopbackHost, isSafeUrl */
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_0__);

const LOOPBACK = new node_net__WEBPACK_IMPORTED_MODULE_0__.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
/**
 * localhost, 127.0.0.0/8 and ::1 (a URL's hostname, with or without IPv6 brackets): this machine, the
 * only place spoken to over plain http and never through a proxy.
 */
function isLoopbackName(hostname) {
    const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const family = (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host);
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


/***/ }),

/***/ 2638:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   iJ: () => (/* binding */ proxyFor)
/* harmony export */ });
/* unused harmony exports parseProxyUrl, redactUserinfo, bypasses */
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _loopback_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3705);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7115);



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
    if ((0,_loopback_js__WEBPACK_IMPORTED_MODULE_1__/* .isLoopbackName */ .xX)(host))
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
    const shown = `'${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeLineBreaks */ .yO)(redactUserinfo(raw))}'`;
    // A path, query or fragment is no part of a proxy's address; one here is mostly an unencoded / ? or #
    // in the password, which made the parser read part of the password as the host or port.
    const addressOnly = url && ['', '/'].includes(url.pathname) && url.search === '' && url.hash === '';
    if (!url || url.hostname === '' || !addressOnly || !decodable(url))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${variable} ${shown} is not a proxy URL: set it like http://proxy.example:3128`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${variable} ${shown} names a ${url.protocol.slice(0, -1)} proxy: only http:// and https:// proxies are supported`);
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
    const family = (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host);
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
        const list = new node_net__WEBPACK_IMPORTED_MODULE_0__.BlockList();
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
        const family = (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(cidr[1]);
        const prefix = Number(cidr[2]);
        if (family === 0 || prefix > (family === 4 ? 32 : 128))
            return undefined;
        return { kind: 'ip', address: cidr[1], family, prefix };
    }
    if ((0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(entry) === 6)
        return { kind: 'ip', address: entry, family: 6 };
    const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!hostPort)
        return undefined;
    const host = normalHost(hostPort[1]);
    const port = hostPort[2];
    const family = (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host);
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


/***/ })

};
;