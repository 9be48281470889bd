"use strict";
exports.id = 256;
exports.ids = [256];
exports.modules = {

/***/ 5256:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFAULT_RETRY: () => (/* binding */ DEFAULT_RETRY),
  fetchDownload: () => (/* binding */ fetchDownload),
  parseRetryAfter: () => (/* reexport */ parseRetryAfter),
  sha256File: () => (/* binding */ sha256File)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./packages/core/src/runtime/errors.ts
var errors = __webpack_require__(7115);
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
    const shown = `'${(0,errors/* escapeLineBreaks */.yO)(redactUserinfo(raw))}'`;
    // A path, query or fragment is no part of a proxy's address; one here is mostly an unencoded / ? or #
    // in the password, which made the parser read part of the password as the host or port.
    const addressOnly = url && ['', '/'].includes(url.pathname) && url.search === '' && url.hash === '';
    if (!url || url.hostname === '' || !addressOnly || !decodable(url))
        throw new errors/* ConfigurationError */.j1(`${variable} ${shown} is not a proxy URL: set it like http://proxy.example:3128`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new errors/* ConfigurationError */.j1(`${variable} ${shown} names a ${url.protocol.slice(0, -1)} proxy: only http:// and https:// proxies are supported`);
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./packages/core/src/runtime/response-file.ts




/**
 * Streams a response body into a new file (never over an existing one: `wx`, owner-only), counting bytes
 * as they arrive so that a server which lies about, or omits, Content-Length still cannot fill the disk.
 * `onChunk` sees every byte written (a running digest).
 */
async function writeResponseFile(response, dest, maxBytes, onChunk = () => { }) {
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'too-large', bytes: declared };
    }
    if (!response.body)
        return { kind: 'no-body' };
    let bytes = 0;
    const meter = new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            bytes += chunk.length;
            if (bytes > maxBytes)
                return done(new Error(`over ${maxBytes} bytes`));
            onChunk(chunk);
            done(null, chunk);
        }
    });
    await (0,promises_.rm)(dest, { force: true });
    try {
        await (0,external_node_stream_promises_.pipeline)(external_node_stream_.Readable.from(response.body), meter, (0,external_node_fs_.createWriteStream)(dest, { flags: 'wx', mode: 0o600 }));
        return { kind: 'written', bytes };
    }
    catch (error) {
        await (0,promises_.rm)(dest, { force: true });
        return bytes > maxBytes ? { kind: 'too-large', bytes } : { kind: 'cut', bytes, error };
    }
}

;// CONCATENATED MODULE: ./packages/core/src/runtime/retry.ts
/** Answers worth another try: a timeout, rate limiting, or a server or gateway that failed this time. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/**
 * The wait before retry `attempt` (1-based): exponential from `baseDelayMs`, with jitter in its upper
 * half so that many jobs retrying the same mirror do not come back in step.
 */
function backoffDelay(baseDelayMs, attempt, random = Math.random) {
    const exponential = baseDelayMs * 2 ** (attempt - 1);
    return Math.round(exponential * (0.5 + random() / 2));
}
/**
 * Waits `ms`, or less when `signal` aborts: the timer is cleared then, so a called-off retry neither
 * delays the failure it gave way to nor keeps the process alive until its wait would have ended.
 */
function pause(ms, signal) {
    return new Promise(resolve => {
        if (signal?.aborted)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
    });
}
/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
function parseRetryAfter(value, now = Date.now()) {
    if (!value)
        return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed))
        return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
/**
 * One line for a failed fetch. Duck-typed rather than `instanceof Error`: fetch's errors and
 * DOMException can come from another realm.
 */
function describeNetworkError(error, attemptTimeoutMs) {
    const { name, message, cause } = (error ?? {});
    if (name === 'TimeoutError' || name === 'AbortError')
        return attemptTimeoutMs === undefined
            ? "the attempt's deadline passed"
            : `no complete answer within ${attemptTimeoutMs} ms`;
    const { code, message: causeMessage } = (cause ?? {});
    const detail = code ?? causeMessage;
    const text = message ?? String(error);
    return detail ? `${text} (${detail})` : text;
}

;// CONCATENATED MODULE: ./packages/core/src/tools/download.ts







const DEFAULT_RETRY = {
    maxAttempts: 4,
    baseDelayMs: 1_000,
    maxDelayMs: 30_000,
    attemptTimeoutMs: 300_000,
    totalTimeoutMs: 900_000,
    maxBytes: 1024 * 1024 * 1024
};
class RetryableError extends Error {
    retryAfterMs;
    constructor(message, retryAfterMs) {
        super(message);
        this.retryAfterMs = retryAfterMs;
    }
}
/**
 * A fetch over `httpRequest` (the runner's proxy honoured) rather than tool-cache's downloadTool:
 * downloadTool fixes its retries at 3 with 10-20 s sleeps, ignores Retry-After and has no deadline,
 * and none of that can be configured.
 */
const fetchDownload = async (url, dest, { logger, retry, cancel }) => {
    const policy = { ...DEFAULT_RETRY, ...retry };
    const started = Date.now();
    const cancelled = () => new errors/* CancelledError */.cc(`Download of ${url}: given up, another part of the run failed`);
    for (let attempt = 1;; attempt++) {
        await (0,promises_.rm)(dest, { force: true });
        if (cancel?.aborted)
            throw cancelled();
        try {
            await downloadOnce(url, dest, policy, cancel);
            return;
        }
        catch (error) {
            await (0,promises_.rm)(dest, { force: true });
            if (cancel?.aborted)
                throw cancelled();
            if (!(error instanceof RetryableError))
                throw error;
            const wait = Math.min(policy.maxDelayMs, error.retryAfterMs ?? backoffDelay(policy.baseDelayMs, attempt));
            const outOfTime = Date.now() - started + wait > policy.totalTimeoutMs;
            if (attempt >= policy.maxAttempts || outOfTime) {
                const why = outOfTime ? `the ${policy.totalTimeoutMs} ms deadline` : `${attempt} attempts`;
                throw new errors/* BrokenInputError */.YU(url, `download failed after ${why}: ${error.message}`);
            }
            logger.warning(`Download of ${url} failed (${error.message}); retry ${attempt} in ${wait} ms.`);
            await pause(wait, cancel);
        }
    }
};
async function downloadOnce(url, dest, policy, cancel) {
    const deadline = AbortSignal.timeout(policy.attemptTimeoutMs);
    const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
    let response;
    try {
        response = await createHttpFetch()(url, {
            signal,
            redirect: 'follow',
            headers: { 'user-agent': 'secure-pipeline' }
        });
    }
    catch (error) {
        // A proxy variable that is no URL, or credentials the proxy refuses: no retry fixes those.
        if (error instanceof errors/* ConfigurationError */.j1)
            throw error;
        throw new RetryableError(describeNetworkError(error, policy.attemptTimeoutMs));
    }
    if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        const status = `HTTP ${response.status} ${response.statusText}`.trim();
        if (RETRYABLE_STATUS.has(response.status)) {
            throw new RetryableError(status, parseRetryAfter(response.headers.get('retry-after')));
        }
        throw new errors/* BrokenInputError */.YU(url, `download failed: ${status} (not retried)`);
    }
    const body = await writeResponseFile(response, dest, policy.maxBytes);
    if (body.kind === 'too-large')
        throw new errors/* BrokenInputError */.YU(url, `refusing a ${body.bytes}-byte download (limit ${policy.maxBytes})`);
    if (body.kind === 'no-body')
        throw new RetryableError('response had no body');
    if (body.kind === 'cut')
        throw new RetryableError(`body interrupted after ${body.bytes} bytes: ${describeNetworkError(body.error, policy.attemptTimeoutMs)}`);
}
async function sha256File(file) {
    // One reused 1 MiB buffer: a read stream's 64 KiB chunks and per-file set-up made hashing a venv's
    // thousands of files (the sast install verifies each) twice as slow.
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const buffer = Buffer.allocUnsafe(1 << 20);
    const handle = await (0,promises_.open)(file, 'r');
    try {
        for (;;) {
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
            if (bytesRead === 0)
                break;
            hash.update(buffer.subarray(0, bytesRead));
        }
    }
    finally {
        await handle.close();
    }
    return hash.digest('hex');
}


/***/ })

};
;