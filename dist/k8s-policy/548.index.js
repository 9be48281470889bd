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
;// CONCATENATED MODULE: ./packages/core/src/github/octokit.ts





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
    const timedFetch = (input, init) => {
        const deadline = AbortSignal.timeout(timeoutMs);
        return fetch(input, {
            ...init,
            signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline
        });
    };
    return new GitHubOctokit({
        attemptLogger: logger,
        auth: token,
        baseUrl: resolveApiBaseUrl(options.baseUrl, options.env ?? process.env),
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
/** A 403 caused by rate limiting is not a permission problem and must not be treated as one. */
function isRateLimitError(error) {
    const message = apiMessageOf(error);
    const headers = error?.response?.headers;
    return /rate limit/i.test(message) || headers?.['x-ratelimit-remaining'] === '0';
}

;// CONCATENATED MODULE: ./packages/core/src/github/contents.ts


function cannotRead(options, error) {
    const { owner, repo } = options.repository;
    return new errors/* ConfigurationError */.j1(`The token cannot read ${owner}/${repo} (${httpStatusOf(error)}: ${apiMessageOf(error)}). GITHUB_TOKEN reads only the repository of the workflow; give a token with 'contents: read' on ${owner}/${repo}.`);
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
            return undefined;
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
        const origin = `${repository.owner}/${repository.repo}${ref ? `@${ref}` : ''}:${path}`;
        const file = await readRepositoryFile({ octokit, repository, path, ref });
        return { text: file?.text, origin, blobSha: file?.sha };
    };
}


/***/ })

};
;