"use strict";
exports.id = 51;
exports.ids = [51];
exports.modules = {

/***/ 3051:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFAULT_RETRY: () => (/* binding */ DEFAULT_RETRY),
  fetchDownload: () => (/* binding */ fetchDownload),
  parseRetryAfter: () => (/* reexport */ runtime_retry/* parseRetryAfter */.mu),
  sha256File: () => (/* binding */ sha256File)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./packages/core/src/runtime/errors.ts
var errors = __webpack_require__(7115);
// EXTERNAL MODULE: ./packages/core/src/runtime/http.ts + 1 modules
var http = __webpack_require__(6192);
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
        const message = await (0,http/* httpMessage */.Cq)(url, { method, headers, signal, env, ...(body ? { body } : {}) });
        const location = message.headers.location;
        const status = message.statusCode ?? 0;
        if (!REDIRECTS.has(status) || !location || init.redirect === 'manual')
            return responseOf(message, url, method, signal);
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
function responseOf(message, url, method, signal) {
    const status = message.statusCode ?? 0;
    const headers = new Headers();
    for (let i = 0; i + 1 < message.rawHeaders.length; i += 2)
        headers.append(message.rawHeaders[i], message.rawHeaders[i + 1]);
    const empty = method === 'HEAD' || NULL_BODY.has(status);
    if (empty)
        message.resume();
    const body = empty ? null : ReadableStream.from((0,http/* bodyOf */.EN)(message, signal));
    const response = new Response(body, { status, statusText: message.statusMessage ?? '', headers });
    // A constructed Response has no URL; Octokit reports it, and after redirects it is the last one.
    Object.defineProperty(response, 'url', { value: url.href });
    return response;
}

// EXTERNAL MODULE: ./packages/core/src/runtime/response-file.ts
var response_file = __webpack_require__(9530);
// EXTERNAL MODULE: ./packages/core/src/runtime/retry.ts
var runtime_retry = __webpack_require__(7124);
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
            const wait = Math.min(policy.maxDelayMs, error.retryAfterMs ?? (0,runtime_retry/* backoffDelay */.EY)(policy.baseDelayMs, attempt));
            const outOfTime = Date.now() - started + wait > policy.totalTimeoutMs;
            if (attempt >= policy.maxAttempts || outOfTime) {
                const why = outOfTime ? `the ${policy.totalTimeoutMs} ms deadline` : `${attempt} attempts`;
                throw new errors/* BrokenInputError */.YU(url, `download failed after ${why}: ${error.message}`);
            }
            logger.warning(`Download of ${url} failed (${error.message}); retry ${attempt} in ${wait} ms.`);
            await (0,runtime_retry/* pause */.v7)(wait, cancel);
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
        throw new RetryableError((0,runtime_retry/* describeNetworkError */.gl)(error, policy.attemptTimeoutMs));
    }
    if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        const status = `HTTP ${response.status} ${response.statusText}`.trim();
        if (runtime_retry/* RETRYABLE_STATUS */.Uz.has(response.status)) {
            throw new RetryableError(status, (0,runtime_retry/* parseRetryAfter */.mu)(response.headers.get('retry-after')));
        }
        throw new errors/* BrokenInputError */.YU(url, `download failed: ${status} (not retried)`);
    }
    const body = await (0,response_file/* writeResponseFile */.L)(response, dest, policy.maxBytes);
    if (body.kind === 'too-large')
        throw new errors/* BrokenInputError */.YU(url, `refusing a ${body.bytes}-byte download (limit ${policy.maxBytes})`);
    if (body.kind === 'no-body')
        throw new RetryableError('response had no body');
    if (body.kind === 'cut')
        throw new RetryableError(`body interrupted after ${body.bytes} bytes: ${(0,runtime_retry/* describeNetworkError */.gl)(body.error, policy.attemptTimeoutMs)}`);
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