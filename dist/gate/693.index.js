export const id = 693;
export const ids = [693];
export const modules = {

/***/ 3693:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GATE_COMMENT_MARKER: () => (/* binding */ GATE_COMMENT_MARKER),
  createGateGitHub: () => (/* binding */ createGateGitHub)
});

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
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
        throw error;
    });
}
function createOctokit(options) {
    const token = options.token.trim();
    if (token.length === 0) {
        throw new runtime_errors/* ConfigurationError */.j1("The GitHub token is empty; pass 'github-token: ${{ github.token }}' (the default)");
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
    const gzipped = (0,external_node_zlib_.gzipSync)(Buffer.from(prepareSarif(options.sarif, options.category, logger), 'utf8'));
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./packages/core/src/github/context.ts


const PULL_REQUEST_EVENTS = new Set([
    'pull_request',
    'pull_request_target',
    'pull_request_review',
    'pull_request_review_comment'
]);
const ZERO_SHA = /^0+$/;
function obj(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}
function str(value) {
    return typeof value === 'string' && value.length > 0 ? value : undefined;
}
function parseRepository(value) {
    const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value?.trim() ?? '');
    if (!match) {
        throw new runtime_errors/* ConfigurationError */.j1(`GITHUB_REPOSITORY '${value ?? ''}' is not 'owner/repo'; run inside GitHub Actions or set it`);
    }
    return { owner: match[1], repo: match[2] };
}
/** Builds the context from an environment and an already-parsed payload (pure). */
function buildActionsContext(env, payload) {
    const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    return {
        eventName: env.GITHUB_EVENT_NAME || '',
        repo: parseRepository(env.GITHUB_REPOSITORY),
        sha: env.GITHUB_SHA || '',
        ref: env.GITHUB_REF || '',
        baseRef: env.GITHUB_BASE_REF || undefined,
        headRef: env.GITHUB_HEAD_REF || undefined,
        serverUrl,
        apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
        runId: env.GITHUB_RUN_ID || undefined,
        runAttempt: env.GITHUB_RUN_ATTEMPT || undefined,
        payload
    };
}
/** Reads GITHUB_EVENT_PATH and the GITHUB_* variables; a missing event file gives an empty payload. */
function readActionsContext(env = process.env) {
    const eventPath = env.GITHUB_EVENT_PATH;
    let payload = {};
    if (eventPath) {
        let text;
        try {
            text = (0,external_node_fs_.readFileSync)(eventPath, 'utf8');
        }
        catch (error) {
            throw new runtime_errors/* ConfigurationError */.j1(`GITHUB_EVENT_PATH '${eventPath}' cannot be read: ${(0,runtime_errors/* getErrorMessage */.u1)(error)}`);
        }
        try {
            payload = obj(JSON.parse(text)) ?? {};
        }
        catch (error) {
            throw new runtime_errors/* ConfigurationError */.j1(`GITHUB_EVENT_PATH '${eventPath}' is not JSON: ${(0,runtime_errors/* getErrorMessage */.u1)(error)}`);
        }
    }
    return buildActionsContext(env, payload);
}
function isPullRequestEvent(ctx) {
    return PULL_REQUEST_EVENTS.has(ctx.eventName);
}
/** The PR number for pull_request-like events; merge_group has none (the queue entry may batch several). */
function pullRequestNumber(ctx) {
    if (!isPullRequestEvent(ctx))
        return undefined;
    const n = obj(ctx.payload.pull_request)?.number ?? ctx.payload.number;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}
function pullRequestRefs(ctx) {
    if (isPullRequestEvent(ctx)) {
        const pr = obj(ctx.payload.pull_request);
        const base = obj(pr?.base);
        const head = obj(pr?.head);
        const refs = {
            base: { ref: str(base?.ref), sha: str(base?.sha) },
            head: { ref: str(head?.ref), sha: str(head?.sha) }
        };
        if (!refs.base.ref || !refs.base.sha || !refs.head.ref || !refs.head.sha)
            return undefined;
        return { number: pullRequestNumber(ctx), ...refs };
    }
    if (ctx.eventName === 'merge_group') {
        const group = obj(ctx.payload.merge_group);
        const baseSha = str(group?.base_sha);
        const headSha = str(group?.head_sha);
        const baseRef = str(group?.base_ref);
        const headRef = str(group?.head_ref);
        if (!baseSha || !headSha || !baseRef || !headRef)
            return undefined;
        return {
            base: { ref: stripHeads(baseRef), sha: baseSha },
            head: { ref: stripHeads(headRef), sha: headSha }
        };
    }
    return undefined;
}
function stripHeads(ref) {
    return ref.replace(/^refs\/heads\//, '');
}
/**
 * A PR from a fork gets a read-only token and no secrets (pull_request). A deleted head repository
 * (`head.repo: null`) is treated as a fork: nothing proves it was not one.
 */
function isForkPullRequest(ctx) {
    if (!isPullRequestEvent(ctx))
        return false;
    const pr = obj(ctx.payload.pull_request);
    const headRepo = obj(obj(pr?.head)?.repo);
    const baseRepo = obj(obj(pr?.base)?.repo);
    if (!headRepo)
        return true;
    if (headRepo.fork === true)
        return true;
    const headName = str(headRepo.full_name)?.toLowerCase();
    const baseName = (str(baseRepo?.full_name) ?? `${ctx.repo.owner}/${ctx.repo.repo}`).toLowerCase();
    return headName !== baseName;
}
function defaultBranch(ctx) {
    return str(obj(ctx.payload.repository)?.default_branch);
}
function runUrl(ctx) {
    if (!ctx.runId)
        return undefined;
    const url = `${ctx.serverUrl}/${ctx.repo.owner}/${ctx.repo.repo}/actions/runs/${ctx.runId}`;
    return ctx.runAttempt && ctx.runAttempt !== '1' ? `${url}/attempts/${ctx.runAttempt}` : url;
}
/**
 * pull_request: compare against the base branch's merge-base with HEAD, never the frozen `base.sha`.
 * merge_group: the queue built head on `base_sha`, so that commit is the base.
 * push: `before` when it is a real commit (not a new branch).
 */
function comparisonTarget(ctx) {
    const refs = pullRequestRefs(ctx);
    if (isPullRequestEvent(ctx)) {
        if (!refs)
            return { kind: 'none', reason: `the ${ctx.eventName} payload has no pull_request base/head` };
        return {
            kind: 'branch',
            baseRef: refs.base.ref,
            headSha: ctx.sha || refs.head.sha,
            frozenBaseSha: refs.base.sha
        };
    }
    if (ctx.eventName === 'merge_group') {
        if (!refs)
            return { kind: 'none', reason: 'the merge_group payload has no base_sha/head_sha' };
        return { kind: 'commit', baseSha: refs.base.sha, headSha: refs.head.sha };
    }
    if (ctx.eventName === 'push') {
        const before = str(ctx.payload.before);
        const after = str(ctx.payload.after) ?? ctx.sha;
        if (!before || ZERO_SHA.test(before))
            return { kind: 'none', reason: 'the push created the branch (no previous commit)' };
        return { kind: 'commit', baseSha: before, headSha: after };
    }
    return { kind: 'none', reason: `event '${ctx.eventName || 'unknown'}' has nothing to compare against` };
}

;// CONCATENATED MODULE: ./packages/core/src/github/pr-comment.ts


/** GitHub refuses issue comments longer than this many characters. */
const MAX_COMMENT_LENGTH = 65_536;
function commentMarker(marker) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(marker)) {
        throw new runtime_errors/* ConfigurationError */.j1(`Comment marker '${marker}' may only hold letters, digits, '.', '_' and '-'`);
    }
    return `<!-- secure-pipeline:${marker} -->`;
}
/**
 * Marker line + body, cut to GitHub's limit. The cut never splits a surrogate pair and closes a code
 * fence left open, so the truncated comment still renders.
 */
function composeCommentBody(marker, body, note = 'see the job summary for the full report') {
    const head = `${commentMarker(marker)}\n`;
    const full = head + body;
    if (full.length <= MAX_COMMENT_LENGTH)
        return { text: full, truncated: false };
    const tail = (omitted) => `\n\n---\n_Truncated: ${omitted.toLocaleString('en-US')} characters omitted; ${note}._`;
    // Reserve room for the tail with the largest omitted count it could show, and for closing a fence.
    const reserve = tail(body.length).length + '\n```'.length;
    let keep = MAX_COMMENT_LENGTH - head.length - reserve;
    if (keep < 0)
        throw new runtime_errors/* ConfigurationError */.j1('The truncation note is longer than a whole GitHub comment');
    const code = body.charCodeAt(keep - 1);
    if (code >= 0xd800 && code <= 0xdbff)
        keep -= 1;
    let kept = body.slice(0, keep);
    if ((kept.match(/^\s*(```|~~~)/gm) ?? []).length % 2 === 1)
        kept += '\n```';
    return { text: head + kept + tail(body.length - keep), truncated: true };
}
function permissionProblem(error) {
    if (httpStatusOf(error) !== 403 || isRateLimitError(error))
        return undefined;
    return (`GitHub refused the PR comment (403: ${apiMessageOf(error)}). A fork pull request or a workflow without ` +
        "'permissions: pull-requests: write' gets a read-only token; the report is still in the job summary.");
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
    try {
        const comments = await octokit.paginate(octokit.rest.issues.listComments, {
            owner,
            repo,
            issue_number: issueNumber,
            per_page: 100
        });
        // Only a comment that STARTS with our marker counts: someone quoting it further down does not.
        // Prefer a bot's: anyone can paste the marker into a comment of their own.
        const candidates = comments.filter(c => c.body?.startsWith(marker));
        const ours = candidates.find(c => c.user?.type === 'Bot') ?? candidates[0];
        if (ours) {
            if (ours.body === text) {
                logger.info(`PR comment ${ours.html_url} is already up to date`);
                return { status: 'updated', commentId: ours.id, url: ours.html_url, truncated };
            }
            const { data } = await octokit.rest.issues.updateComment({
                owner,
                repo,
                comment_id: ours.id,
                body: text
            });
            logger.info(`Updated PR comment ${data.html_url}`);
            return { status: 'updated', commentId: data.id, url: data.html_url, truncated };
        }
        const { data } = await octokit.rest.issues.createComment({
            owner,
            repo,
            issue_number: issueNumber,
            body: text
        });
        logger.info(`Created PR comment ${data.html_url}`);
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

;// CONCATENATED MODULE: ./packages/core/src/gate/github-port.ts





const GATE_COMMENT_MARKER = 'gate';
/**
 * The gate's two GitHub side effects. Both degrade instead of failing the run: reporting is
 * separate from gating, and a fork PR or a repository without GHAS is a normal situation.
 */
function createGateGitHub(options) {
    let context;
    try {
        context = options.context ?? readActionsContext(options.env);
    }
    catch (error) {
        options.logger.warning(`No repository context, so no PR comment or upload: ${(0,runtime_errors/* getErrorMessage */.u1)(error)}`);
        return undefined;
    }
    const { logger } = options;
    const octokit = createOctokit({ token: options.token, logger, env: options.env, ...options.octokit });
    const issueNumber = pullRequestNumber(context);
    return {
        canComment: issueNumber !== undefined,
        async upsertComment(body) {
            if (issueNumber === undefined)
                return { status: 'skipped', detail: 'not a pull request' };
            try {
                const r = await upsertPullRequestComment({
                    octokit,
                    owner: context.repo.owner,
                    repo: context.repo.repo,
                    issueNumber,
                    marker: GATE_COMMENT_MARKER,
                    body,
                    logger,
                    truncationNote: 'the full report is in the job summary'
                });
                if (r.status === 'skipped') {
                    const why = isForkPullRequest(context)
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
            try {
                const r = await uploadSarif({
                    octokit,
                    owner: context.repo.owner,
                    repo: context.repo.repo,
                    sarif,
                    commitSha: context.sha,
                    ref: context.ref,
                    logger
                });
                if (r.status === 'unavailable')
                    return { status: 'unavailable', detail: r.reason };
                return { status: 'done', detail: `uploaded as ${r.sarifId}` };
            }
            catch (error) {
                return { status: 'failed', detail: (0,runtime_errors/* getErrorMessage */.u1)(error) };
            }
        }
    };
}


/***/ })

};
