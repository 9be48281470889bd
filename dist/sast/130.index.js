"use strict";
exports.id = 130;
exports.ids = [130];
exports.modules = {

/***/ 6130:
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
 * Node's fetch rather than tool-cache's downloadTool: downloadTool fixes its retries at 3 with
 * 10-20 s sleeps, ignores Retry-After and has no deadline, and none of that can be configured.
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
        response = await fetch(url, { signal, redirect: 'follow', headers: { 'user-agent': 'secure-pipeline' } });
    }
    catch (error) {
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