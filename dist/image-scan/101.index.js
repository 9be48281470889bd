"use strict";
exports.id = 101;
exports.ids = [101];
exports.modules = {

/***/ 101:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_RETRY: () => (/* binding */ DEFAULT_RETRY),
/* harmony export */   fetchDownload: () => (/* binding */ fetchDownload),
/* harmony export */   parseRetryAfter: () => (/* reexport safe */ _runtime_retry_js__WEBPACK_IMPORTED_MODULE_2__.mu),
/* harmony export */   sha256File: () => (/* binding */ sha256File)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _runtime_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7115);
/* harmony import */ var _runtime_response_file_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9530);
/* harmony import */ var _runtime_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7124);






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
    const cancelled = () => new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .CancelledError */ .cc(`Download of ${url}: given up, another part of the run failed`);
    for (let attempt = 1;; attempt++) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(dest, { force: true });
        if (cancel?.aborted)
            throw cancelled();
        try {
            await downloadOnce(url, dest, policy, cancel);
            return;
        }
        catch (error) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(dest, { force: true });
            if (cancel?.aborted)
                throw cancelled();
            if (!(error instanceof RetryableError))
                throw error;
            const wait = Math.min(policy.maxDelayMs, error.retryAfterMs ?? (0,_runtime_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .backoffDelay */ .EY)(policy.baseDelayMs, attempt));
            const outOfTime = Date.now() - started + wait > policy.totalTimeoutMs;
            if (attempt >= policy.maxAttempts || outOfTime) {
                const why = outOfTime ? `the ${policy.totalTimeoutMs} ms deadline` : `${attempt} attempts`;
                throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .BrokenInputError */ .YU(url, `download failed after ${why}: ${error.message}`);
            }
            logger.warning(`Download of ${url} failed (${error.message}); retry ${attempt} in ${wait} ms.`);
            await (0,_runtime_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .pause */ .v7)(wait, cancel);
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
        throw new RetryableError((0,_runtime_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .describeNetworkError */ .gl)(error, policy.attemptTimeoutMs));
    }
    if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        const status = `HTTP ${response.status} ${response.statusText}`.trim();
        if (_runtime_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .RETRYABLE_STATUS */ .Uz.has(response.status)) {
            throw new RetryableError(status, (0,_runtime_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .parseRetryAfter */ .mu)(response.headers.get('retry-after')));
        }
        throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .BrokenInputError */ .YU(url, `download failed: ${status} (not retried)`);
    }
    const body = await (0,_runtime_response_file_js__WEBPACK_IMPORTED_MODULE_4__/* .writeResponseFile */ .L)(response, dest, policy.maxBytes);
    if (body.kind === 'too-large')
        throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .BrokenInputError */ .YU(url, `refusing a ${body.bytes}-byte download (limit ${policy.maxBytes})`);
    if (body.kind === 'no-body')
        throw new RetryableError('response had no body');
    if (body.kind === 'cut')
        throw new RetryableError(`body interrupted after ${body.bytes} bytes: ${(0,_runtime_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .describeNetworkError */ .gl)(body.error, policy.attemptTimeoutMs)}`);
}
async function sha256File(file) {
    // One reused 1 MiB buffer: a read stream's 64 KiB chunks and per-file set-up made hashing a venv's
    // thousands of files (the sast install verifies each) twice as slow.
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    const buffer = Buffer.allocUnsafe(1 << 20);
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(file, 'r');
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