"use strict";
exports.id = 589;
exports.ids = [589];
exports.modules = {

/***/ 589:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createMetricsGitHub: () => (/* binding */ createMetricsGitHub)
});

// EXTERNAL MODULE: ./packages/core/src/github/activities.ts
var activities = __webpack_require__(960);
// EXTERNAL MODULE: ./packages/core/src/runtime/errors.ts
var errors = __webpack_require__(115);
// EXTERNAL MODULE: ./packages/core/src/runtime/http-fetch.ts + 1 modules
var http_fetch = __webpack_require__(165);
// EXTERNAL MODULE: ./packages/core/src/github/readable.ts
var readable = __webpack_require__(317);
;// CONCATENATED MODULE: ./packages/core/src/github/workflow-runs.ts

/**
 * The workflow runs created in the window, newest first. No filter parameter is sent: GitHub answers a
 * filtered list (`created`, `branch`, `status`…) with at most 1,000 runs, so the unfiltered list is read
 * page by page (100 runs each) until a page reaches past `from`. Requests grow with pages, not runs.
 */
async function listWorkflowRuns(octokit, repo, window) {
    const from = window.from.getTime();
    const to = window.to.getTime();
    return (0,readable/* readPermitted */.z)(async () => {
        const runs = [];
        const pages = octokit.paginate.iterator(octokit.rest.actions.listWorkflowRunsForRepo, {
            ...repo,
            per_page: 100,
            exclude_pull_requests: true
        });
        for await (const { data } of pages) {
            let older = false;
            for (const run of data) {
                const created = Date.parse(run.created_at);
                if (created < from)
                    older = true;
                else if (created <= to)
                    runs.push(toRecord(run));
            }
            if (older)
                break;
        }
        return runs;
    }, actionsReadFix('GET /repos/{owner}/{repo}/actions/runs'));
}
/** What a token refused an Actions read is missing. */
const actionsReadFix = (endpoint) => `${endpoint} needs 'permissions: actions: read' in the job (GITHUB_TOKEN reads only its own repository)`;
function toRecord(run) {
    return {
        id: run.id,
        workflow: run.name ?? run.path,
        path: run.path,
        branch: run.head_branch,
        event: run.event,
        status: run.status,
        conclusion: run.conclusion,
        createdAt: run.created_at,
        attempt: run.run_attempt ?? 1,
        headSha: run.head_sha,
        // head_repository is null once the fork is deleted (GitHub's description says otherwise): the repository
        // read here exists, so such a run's commit was another repository's.
        fromFork: run.head_repository?.id !== run.repository.id
    };
}
/**
 * One workflow run by its id (its latest attempt): what started it (`event`) and the commit and branch
 * GitHub names it after. An artifact's listing names the run's branch and commit but not its event.
 */
async function getWorkflowRun(octokit, repo, runId) {
    const { data } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId });
    return toRecord(data);
}

;// CONCATENATED MODULE: ./packages/core/src/github/artifacts.ts




/**
 * Artifacts named exactly `name`, or starting with it when it ends in `*` (a matrix uploads one artifact per
 * job: `secure-pipeline-gate-api`, `-web`), created since `since`, newest first. An exact name is filtered by
 * GitHub, keeping the pages to the artifacts wanted; the list stops at the first page past `since`.
 */
async function listArtifacts(octokit, repo, options) {
    return (0,readable/* readPermitted */.z)(() => readArtifacts(octokit, repo, options), actionsReadFix('GET /repos/{owner}/{repo}/actions/artifacts'));
}
async function readArtifacts(octokit, repo, options) {
    const found = [];
    const since = options.since.getTime();
    const prefix = options.name.endsWith('*') ? options.name.slice(0, -1) : undefined;
    const pages = octokit.paginate.iterator(octokit.rest.actions.listArtifactsForRepo, {
        ...repo,
        ...(prefix === undefined ? { name: options.name } : {}),
        per_page: 100
    });
    for await (const { data } of pages) {
        let older = false;
        for (const a of data) {
            if (a.created_at && Date.parse(a.created_at) < since) {
                older = true;
                continue;
            }
            if (prefix !== undefined && !a.name.startsWith(prefix))
                continue;
            const run = a.workflow_run;
            found.push({
                id: a.id,
                name: a.name,
                bytes: a.size_in_bytes,
                expired: a.expired,
                createdAt: a.created_at ?? '',
                run: run?.id !== undefined &&
                    run.head_sha !== undefined &&
                    run.repository_id !== undefined &&
                    run.head_repository_id !== undefined
                    ? {
                        id: run.id,
                        branch: run.head_branch ?? null,
                        headSha: run.head_sha,
                        repositoryId: run.repository_id,
                        headRepositoryId: run.head_repository_id
                    }
                    : undefined
            });
        }
        if (older)
            break;
    }
    return found;
}
/** Only https, or http on the loopback interface (a test's blob store), may serve an archive. */
function checkedBlobUrl(location, artifact) {
    let url;
    try {
        url = new URL(location ?? '');
    }
    catch {
        throw new errors/* BrokenInputError */.YU(`artifact ${artifact}`, 'GitHub gave no download location');
    }
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
        throw new errors/* BrokenInputError */.YU(`artifact ${artifact}`, `download location ${url.protocol}//${url.host} is not https`);
    return url;
}
/**
 * An artifact's zip archive. GitHub answers with a redirect to a short-lived blob URL; that URL is
 * fetched here without the token (it authorizes itself), so the token never reaches the blob host
 * whatever the HTTP client does with headers on a cross-origin redirect.
 */
async function downloadArtifact(octokit, repo, artifactId, options) {
    const source = `artifact ${artifactId}`;
    const response = await octokit.rest.actions.downloadArtifact({
        ...repo,
        artifact_id: artifactId,
        archive_format: 'zip',
        request: { redirect: 'manual' }
    });
    const url = checkedBlobUrl(response.headers.location, artifactId);
    const fetcher = options.fetch ?? (0,http_fetch/* createHttpFetch */.H)();
    let blob;
    try {
        blob = await fetcher(url, {
            signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
            redirect: 'error'
        });
    }
    catch (error) {
        throw new errors/* BrokenInputError */.YU(source, `download failed: ${(0,errors/* getErrorMessage */.u1)(error)}`);
    }
    if (!blob.ok || !blob.body)
        throw new errors/* BrokenInputError */.YU(source, `download answered ${blob.status}`);
    const declared = Number(blob.headers.get('content-length') ?? NaN);
    if (declared > options.maxBytes)
        throw new errors/* BrokenInputError */.YU(source, `is ${declared} bytes, over the ${options.maxBytes}-byte limit`);
    const chunks = [];
    let received = 0;
    for await (const chunk of blob.body) {
        received += chunk.length;
        if (received > options.maxBytes)
            throw new errors/* BrokenInputError */.YU(source, `is over the ${options.maxBytes}-byte limit`);
        chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
}

// EXTERNAL MODULE: ./packages/core/src/github/octokit.ts + 25 modules
var github_octokit = __webpack_require__(402);
;// CONCATENATED MODULE: ./packages/core/src/github/branch-protection.ts


const ADMIN_FIX = "reading branch protection needs a token with 'administration: read' (GITHUB_TOKEN cannot have it)";
const RULESET_FIX = "reading rulesets needs 'metadata: read' (any token that can read the repository)";
const orTrue = (a, b) => a === true || b === true ? true : a === undefined || b === undefined ? undefined : false;
/** Branch protection as GitHub returns it to an admin token; 404 "Branch not protected" is no protection. */
async function classicProtection(octokit, repo, branch) {
    try {
        const { data } = await octokit.rest.repos.getBranchProtection({ ...repo, branch });
        return { status: 'read', value: data };
    }
    catch (error) {
        if ((0,github_octokit/* httpStatusOf */.s_)(error) === 404 && /not protected/i.test(String(error.message)))
            return { status: 'read', value: null };
        return (0,readable/* readIfPermitted */.Y)(() => Promise.reject(error), ADMIN_FIX);
    }
}
/** Nothing required, nothing blocked: an unprotected branch, and where rules start from. */
const unprotected = () => ({
    pullRequestRequired: false,
    requiredApprovals: 0,
    codeOwnerReview: false,
    dismissStaleReviews: false,
    lastPushApproval: false,
    upToDate: false,
    requiredChecks: [],
    forcePushBlocked: false,
    deletionBlocked: false
});
function fromClassic(p) {
    if (!p)
        return unprotected();
    const reviews = p.required_pull_request_reviews;
    const checks = p.required_status_checks;
    return {
        pullRequestRequired: reviews !== undefined,
        requiredApprovals: reviews?.required_approving_review_count ?? 0,
        codeOwnerReview: reviews?.require_code_owner_reviews ?? false,
        dismissStaleReviews: reviews?.dismiss_stale_reviews ?? false,
        lastPushApproval: reviews?.require_last_push_approval ?? false,
        upToDate: checks?.strict ?? false,
        requiredChecks: [
            ...new Set([...(checks?.contexts ?? []), ...(checks?.checks ?? []).map(c => c.context)])
        ],
        forcePushBlocked: !(p.allow_force_pushes?.enabled ?? false),
        deletionBlocked: !(p.allow_deletions?.enabled ?? false),
        adminsBound: p.enforce_admins?.enabled ?? false
    };
}
function fromRules(rules) {
    const facts = unprotected();
    for (const rule of rules) {
        if (rule.type === 'deletion')
            facts.deletionBlocked = true;
        else if (rule.type === 'non_fast_forward')
            facts.forcePushBlocked = true;
        else if (rule.type === 'pull_request' && 'parameters' in rule && rule.parameters) {
            const p = rule.parameters;
            facts.pullRequestRequired = true;
            facts.requiredApprovals = Math.max(facts.requiredApprovals ?? 0, p.required_approving_review_count);
            facts.codeOwnerReview ||= p.require_code_owner_review;
            facts.dismissStaleReviews ||= p.dismiss_stale_reviews_on_push;
            facts.lastPushApproval ||= p.require_last_push_approval;
        }
        else if (rule.type === 'required_status_checks' && 'parameters' in rule && rule.parameters) {
            const p = rule.parameters;
            facts.upToDate ||= p.strict_required_status_checks_policy;
            facts.requiredChecks = [
                ...new Set([...(facts.requiredChecks ?? []), ...p.required_status_checks.map(c => c.context)])
            ];
        }
    }
    return facts;
}
/** Both sources bind at once: the stricter setting of each wins; unknown stays unknown unless the other is strict. */
function combine(a, b) {
    const max = (x, y) => (x === undefined || y === undefined ? (x ?? y) : Math.max(x, y));
    const union = (x, y) => x === undefined || y === undefined ? undefined : [...new Set([...x, ...y])];
    return {
        pullRequestRequired: orTrue(a.pullRequestRequired, b.pullRequestRequired),
        requiredApprovals: max(a.requiredApprovals, b.requiredApprovals),
        codeOwnerReview: orTrue(a.codeOwnerReview, b.codeOwnerReview),
        dismissStaleReviews: orTrue(a.dismissStaleReviews, b.dismissStaleReviews),
        lastPushApproval: orTrue(a.lastPushApproval, b.lastPushApproval),
        upToDate: orTrue(a.upToDate, b.upToDate),
        requiredChecks: union(a.requiredChecks, b.requiredChecks) ?? a.requiredChecks ?? b.requiredChecks,
        forcePushBlocked: orTrue(a.forcePushBlocked, b.forcePushBlocked),
        deletionBlocked: orTrue(a.deletionBlocked, b.deletionBlocked)
    };
}
/**
 * The protection of `branch`: branch protection (needs an admin-level token; otherwise the branch's
 * public summary gives the required checks) and the rulesets that apply to it with their bypass actors.
 */
async function readBranchProtection(octokit, repo, branch) {
    const sources = [];
    const unreadable = [];
    let classic;
    let classicAdminsBound;
    const protection = await classicProtection(octokit, repo, branch);
    if (protection.status === 'read') {
        classic = fromClassic(protection.value);
        classicAdminsBound = protection.value ? classic.adminsBound : true;
        sources.push(protection.value ? 'branch protection' : 'branch protection (none)');
    }
    else {
        unreadable.push(`branch protection: ${protection.reason}`);
        const { data } = await octokit.rest.repos.getBranch({ ...repo, branch });
        const checks = data.protection?.required_status_checks;
        // The summary anyone can read: only the required checks, and whether the branch is protected at all.
        classic = data.protected
            ? {
                requiredChecks: [
                    ...new Set([...(checks?.contexts ?? []), ...(checks?.checks ?? []).map(c => c.context)])
                ]
            }
            : fromClassic(null);
        if (!data.protected)
            classicAdminsBound = true;
        sources.push('branch summary');
    }
    const rules = await (0,readable/* readIfPermitted */.Y)(() => octokit.paginate(octokit.rest.repos.getBranchRules, { ...repo, branch, per_page: 100 }), RULESET_FIX);
    let ruleFacts = {};
    const bypassActors = [];
    let rulesetsBound = true;
    if (rules.status === 'read') {
        ruleFacts = fromRules(rules.value);
        const ids = new Set(rules.value.flatMap(r => (r.ruleset_id === undefined ? [] : [r.ruleset_id])));
        sources.push(`rulesets (${ids.size})`);
        for (const id of ids) {
            const ruleset = await (0,readable/* readIfPermitted */.Y)(async () => (await octokit.rest.repos.getRepoRuleset({ ...repo, ruleset_id: id, includes_parents: true })).data, RULESET_FIX);
            if (ruleset.status === 'unavailable' || ruleset.value.bypass_actors === undefined) {
                rulesetsBound = undefined;
                unreadable.push(`ruleset ${id} bypass actors: ${ruleset.status === 'unavailable' ? ruleset.reason : 'not shown to this token (needs write access)'}`);
                continue;
            }
            for (const actor of ruleset.value.bypass_actors) {
                bypassActors.push(`${actor.actor_type}${actor.actor_id ? ` ${actor.actor_id}` : ''} ${actor.bypass_mode ?? 'always'}`);
                if (rulesetsBound)
                    rulesetsBound = false;
            }
        }
    }
    else
        unreadable.push(`rulesets: ${rules.reason}`);
    const combined = combine(classic, rules.status === 'read' ? ruleFacts : {});
    const adminsBound = classicAdminsBound === false || rulesetsBound === false
        ? false
        : classicAdminsBound === undefined || rulesetsBound === undefined
            ? undefined
            : true;
    return { ...combined, adminsBound, bypassActors, sources, unreadable };
}
/**
 * Pushes to `ref` in the last month that bypassed a ruleset (GitHub keeps rule insights for a month and
 * shows them to tokens with 'administration: read'); older ones, or without that permission, `unavailable`.
 */
async function listRulesetBypasses(octokit, repo, ref) {
    return (0,readable/* readIfPermitted */.Y)(async () => {
        const suites = await octokit.paginate(octokit.rest.repos.getRepoRuleSuites, {
            ...repo,
            ref,
            time_period: 'month',
            rule_suite_result: 'bypass',
            per_page: 100
        });
        return suites
            .filter(s => s.after_sha)
            .map(s => ({ afterSha: s.after_sha, actor: s.actor_name ?? 'unknown', pushedAt: s.pushed_at ?? '' }));
    }, "rule insights need a token with 'administration: read'");
}

;// CONCATENATED MODULE: ./packages/core/src/github/checks.ts
/** The latest check run of each name on a commit. */
async function listCheckRuns(octokit, repo, ref) {
    const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
        ...repo,
        ref,
        filter: 'latest',
        per_page: 100
    });
    return runs.map(r => ({ name: r.name, status: r.status, conclusion: r.conclusion, kind: 'check-run' }));
}
/** GitHub pages a commit's combined status by `page` alone: no link header says whether more follow. */
const STATUS_PAGE = 100;
/** A bound on a runaway `total_count`: 5,000 contexts on one commit is no pipeline's. */
const MAX_STATUS_PAGES = 50;
/** The latest commit status of each context on a commit (the older status API some CI systems use). */
async function listCommitStatuses(octokit, repo, ref) {
    const records = [];
    for (let page = 1; page <= MAX_STATUS_PAGES; page++) {
        const { data } = await octokit.rest.repos.getCombinedStatusForRef({
            ...repo,
            ref,
            per_page: STATUS_PAGE,
            page
        });
        for (const s of data.statuses)
            records.push({ name: s.context, status: s.state, conclusion: s.state, kind: 'status' });
        if (data.statuses.length < STATUS_PAGE || records.length >= data.total_count)
            break;
    }
    return records;
}

;// CONCATENATED MODULE: ./packages/core/src/findings/severity.ts

const WORDS = {
    critical: 'critical',
    high: 'high',
    important: 'high',
    medium: 'medium',
    moderate: 'medium',
    low: 'low',
    negligible: 'info',
    info: 'info',
    informational: 'info'
};
/**
 * A severity word (`HIGH`, `Moderate`, `negligible`, …) as used by Trivy/Grype/GHSA, or undefined.
 * `unknown` is deliberately not a word: the caller falls back to its scanner's own default. SARIF levels
 * (error/warning/note) are not words either: a rule tagged `warning` says nothing about severity.
 */
function severityFromWord(word) {
    if (typeof word !== 'string' || word.length > 20)
        return undefined;
    // Surrounding spaces (`"High "`) are no other word, as they are no other number for parseScore.
    const key = word.trim().toLowerCase();
    // Own keys only: `constructor` or `toString` from a report must not resolve to Object.prototype members.
    return Object.hasOwn(WORDS, key) ? WORDS[key] : undefined;
}
/** A CVSS-like score given as a number or a numeric string (`"7.5"`), within (0, 10]. */
function parseScore(value) {
    const score = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
    // 0.0 means "no score" for GitHub's bands (0.1–3.9 is low) and for Trivy's UNKNOWN, so it is not a score.
    return Number.isFinite(score) && score > 0 && score <= 10 ? score : undefined;
}
function severityFromScoreValue(value) {
    const score = parseScore(value);
    return score === undefined ? undefined : severityFromScore(score);
}
/**
 * SARIF level → severity, for results with nothing better (SARIF's default level is `warning`). A level in
 * another case (`ERROR`) is that level: read as no level, it fell to the `warning` default and a
 * high finding counted as medium.
 */
function severityFromLevel(level) {
    switch (typeof level === 'string' ? level.toLowerCase() : level) {
        case 'error':
            return 'high';
        case 'warning':
            return 'medium';
        case 'note':
            return 'low';
        case 'none':
            return 'info';
        default:
            return undefined;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/github/code-scanning-alerts.ts


const FIX = "code scanning needs GitHub Advanced Security (Code Security) on private repositories and 'security-events: read' for the token";
/**
 * Every code scanning alert of the default branch, open or closed, 100 per request. A repository without
 * code scanning, or a token without `security-events: read`, gives `unavailable` with the reason: the
 * gate's evidence is then the only source, which is what it is for.
 */
async function listCodeScanningAlerts(octokit, repo) {
    return (0,readable/* readIfPermitted */.Y)(async () => {
        const alerts = [];
        const pages = octokit.paginate.iterator(octokit.rest.codeScanning.listAlertsForRepo, {
            ...repo,
            per_page: 100
        });
        for await (const { data } of pages) {
            for (const a of data) {
                if (a.state !== 'open' && a.state !== 'fixed' && a.state !== 'dismissed')
                    continue;
                alerts.push({
                    number: a.number,
                    state: a.state,
                    severity: severityFromWord(a.rule.security_severity_level) ??
                        severityFromLevel(a.rule.severity) ??
                        'medium',
                    ruleId: a.rule.id ?? a.rule.name ?? 'unknown',
                    tool: a.tool.name ?? 'unknown',
                    createdAt: a.created_at,
                    fixedAt: a.state === 'fixed' ? (a.fixed_at ?? a.updated_at ?? undefined) : undefined,
                    dismissedAt: a.dismissed_at ?? undefined,
                    dismissedReason: a.dismissed_reason ?? undefined
                });
            }
        }
        return alerts;
    }, FIX);
}

;// CONCATENATED MODULE: ./packages/core/src/github/commits.ts
/**
 * The commits reachable from `tip` made in the window, newest first, 100 per request. `tip` is a commit
 * id (a branch's, from `branchTip`): GitHub resolves a bare name the way git does, a tag of the same name
 * before the branch, so a tag named like the branch could choose the history listed.
 */
async function listCommits(octokit, repo, options) {
    if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(options.tip))
        throw new Error(`listCommits needs a commit id, not a name: ${JSON.stringify(options.tip)}`);
    const commits = await octokit.paginate(octokit.rest.repos.listCommits, {
        ...repo,
        sha: options.tip,
        since: options.since.toISOString(),
        until: options.until.toISOString(),
        per_page: 100
    });
    return commits.map(commitRecordOf);
}
/** A commit as the commits and compare endpoints give it. */
function commitRecordOf(c) {
    return {
        sha: c.sha,
        parents: c.parents.map(p => p.sha),
        author: c.author && 'login' in c.author ? c.author.login : undefined,
        authorName: c.commit.author?.name ?? 'unknown',
        date: c.commit.committer?.date ?? c.commit.author?.date ?? '',
        subject: c.commit.message.split('\n', 1)[0] ?? ''
    };
}

;// CONCATENATED MODULE: ./packages/core/src/github/compare.ts


/**
 * The commit a branch points to, or undefined when there is no such branch. Read from the branches
 * endpoint, which knows only branches: a bare name elsewhere (compare, commits) may resolve to a tag of
 * the same name first, as git resolves it, and a tag can point anywhere.
 */
async function branchTip(octokit, repo, branch) {
    try {
        const { data } = await octokit.rest.repos.getBranch({ ...repo, branch });
        return data.commit.sha;
    }
    catch (error) {
        if ((0,github_octokit/* httpStatusOf */.s_)(error) === 404)
            return undefined;
        throw error;
    }
}
/**
 * Whether `sha` is `tip` or one of its ancestors: GitHub's comparison `tip...sha` says `identical` or
 * `behind`. Compared as commit ids, so no ref name can be taken for another. One commit per page keeps the
 * answer small (a commit behind the tip lists none anyway). GitHub answers 404 for a commit it does not
 * know and for one with no history in common with the tip: neither is on the branch. Any other failure
 * propagates, so that a caller cannot mistake "GitHub could not say" for "yes".
 */
async function inHistoryOf(octokit, repo, commits) {
    try {
        const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
            ...repo,
            basehead: `${commits.tip}...${commits.sha}`,
            per_page: 1
        });
        return data.status === 'identical' || data.status === 'behind';
    }
    catch (error) {
        if ((0,github_octokit/* httpStatusOf */.s_)(error) === 404)
            return false;
        throw error;
    }
}
const COMPARE_PAGE = 100;
/**
 * The commits `head` has that `base` lacks (git's `base...head`), newest first, read by commit ids. GitHub
 * lists them oldest first, so past the first page the newest pages are read, at most `maxPages` in all:
 * `complete` is false when some were left unread. Undefined on a 404: GitHub knows one of the commits not,
 * or they share no history.
 */
async function commitsAhead(octokit, repo, commits) {
    const read = (page) => octokit.rest.repos.compareCommitsWithBasehead({
        ...repo,
        basehead: `${commits.base}...${commits.head}`,
        per_page: COMPARE_PAGE,
        page
    });
    try {
        const first = (await read(1)).data;
        const pages = Math.ceil(first.total_commits / COMPARE_PAGE);
        const later = [];
        for (let page = pages; page > 1 && later.length + 1 < commits.maxPages; page--)
            later.push((await read(page)).data.commits.map(commitRecordOf).reverse());
        const newestFirst = [...later.flat(), ...first.commits.map(commitRecordOf).reverse()];
        return { commits: newestFirst, complete: later.length + 1 >= pages };
    }
    catch (error) {
        if ((0,github_octokit/* httpStatusOf */.s_)(error) === 404)
            return undefined;
        throw error;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/github/pull-requests.ts
const BODY_KEPT = 4096;
function record(p) {
    return {
        number: p.number,
        title: p.title,
        author: p.user?.login ?? 'ghost',
        authorType: p.user?.type,
        url: p.html_url,
        headRef: p.head.ref,
        headRepository: p.head.repo?.full_name,
        headSha: p.head.sha,
        baseRef: p.base.ref,
        mergedAt: p.merged_at ?? undefined,
        mergeCommitSha: p.merge_commit_sha ?? undefined,
        body: (p.body ?? '').slice(0, BODY_KEPT)
    };
}
/**
 * Pull requests merged into `base` since `since`, most recently updated first: the list is sorted by
 * update time, so the first page whose oldest entry was last updated before `since` is the last one read.
 */
async function listMergedPullRequests(octokit, repo, options) {
    const since = options.since.getTime();
    const until = options.until.getTime();
    const merged = [];
    const pages = octokit.paginate.iterator(octokit.rest.pulls.list, {
        ...repo,
        state: 'closed',
        ...(options.base ? { base: options.base } : {}),
        sort: 'updated',
        direction: 'desc',
        per_page: 100
    });
    for await (const { data } of pages) {
        let older = false;
        for (const p of data) {
            if (Date.parse(p.updated_at) < since)
                older = true;
            if (!p.merged_at)
                continue;
            const at = Date.parse(p.merged_at);
            if (at >= since && at <= until)
                merged.push(record(p));
        }
        if (older)
            break;
    }
    return merged;
}
/** The merged pull requests a commit belongs to (a rebase merge puts several commits on the branch). */
async function pullRequestsForCommit(octokit, repo, sha) {
    const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
        ...repo,
        commit_sha: sha,
        per_page: 100
    });
    return data.filter(p => p.merged_at).map(p => record(p));
}
async function listReviews(octokit, repo, pullNumber) {
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
        ...repo,
        pull_number: pullNumber,
        per_page: 100
    });
    return reviews.map(r => ({
        reviewer: r.user?.login ?? 'ghost',
        state: r.state,
        submittedAt: r.submitted_at ?? undefined,
        commitId: r.commit_id ?? undefined
    }));
}

;// CONCATENATED MODULE: ./packages/core/src/metrics/github-port.ts










/** A push's commits read at most: 500, enough for any push a person reviews. */
const MAX_COMPARE_PAGES = 5;
/**
 * Every GitHub read metrics makes, through one client with retries and rate-limit handling. It counts
 * requests and the time spent waiting for answers (retries and rate-limit waits included), so a report can
 * say what the run cost and a benchmark can tell time in the API from time in the code.
 */
function createMetricsGitHub(options) {
    const { repository: repo, logger } = options;
    const octokit = (0,github_octokit/* createOctokit */.Qi)({
        token: options.token,
        tokenInput: options.tokenInput,
        logger,
        env: options.env,
        ...options.octokit
    });
    let requests = 0;
    // Wall time with at least one request in flight: requests run a few at a time, and their overlap is one wait.
    let waitMs = 0;
    let inFlight = 0;
    let busySince = 0;
    const timed = async (work) => {
        if (inFlight++ === 0)
            busySince = performance.now();
        try {
            return await work();
        }
        finally {
            if (--inFlight === 0)
                waitMs += performance.now() - busySince;
        }
    };
    octokit.hook.wrap('request', (request, endpoint) => {
        requests++;
        return timed(async () => request(endpoint));
    });
    let described;
    // One tip per branch for the whole run: the change records and every placed commit read the same
    // history. A failed read is dropped, not kept: one transient failure must not refuse every later read.
    const tips = new Map();
    const tipOf = (branch) => {
        let tip = tips.get(branch);
        if (!tip) {
            const read = branchTip(octokit, repo, branch);
            read.catch(() => {
                if (tips.get(branch) === read)
                    tips.delete(branch);
            });
            tips.set(branch, (tip = read));
        }
        return tip;
    };
    return {
        repository: repo,
        describe: () => (described ??= octokit.rest.repos
            .get({ ...repo })
            .then(({ data }) => ({ id: data.id, defaultBranch: data.default_branch }))),
        workflowRuns: window => listWorkflowRuns(octokit, repo, window),
        artifacts: (name, since) => listArtifacts(octokit, repo, { name, since }),
        // The blob download is outside Octokit; its time is API time too.
        downloadArtifact: (id, maxBytes) => timed(() => downloadArtifact(octokit, repo, id, { maxBytes, fetch: options.fetch })),
        codeScanningAlerts: () => listCodeScanningAlerts(octokit, repo),
        mergedPullRequests: (repository, base, window) => listMergedPullRequests(octokit, repository, { base, since: window.from, until: window.to }),
        pullRequestsForCommit: sha => pullRequestsForCommit(octokit, repo, sha),
        reviews: n => listReviews(octokit, repo, n),
        commits: async (branch, window) => {
            const tip = await tipOf(branch);
            if (tip === undefined)
                throw new Error(`there is no branch ${branch} (GitHub answered 404)`);
            return listCommits(octokit, repo, { tip, since: window.from, until: window.to });
        },
        branchTip: tipOf,
        commitOnBranch: async (branch, sha) => {
            const tip = await tipOf(branch);
            return tip !== undefined && inHistoryOf(octokit, repo, { tip, sha });
        },
        branchActivities: (branch, window) => (0,activities/* listBranchActivities */.E)(octokit, repo, { branch, since: window.from, until: window.to }),
        commitsAhead: (base, head) => commitsAhead(octokit, repo, { base, head, maxPages: MAX_COMPARE_PAGES }),
        workflowRun: id => getWorkflowRun(octokit, repo, id),
        checkRuns: ref => listCheckRuns(octokit, repo, ref),
        commitStatuses: ref => listCommitStatuses(octokit, repo, ref),
        branchProtection: branch => readBranchProtection(octokit, repo, branch),
        rulesetBypasses: branch => listRulesetBypasses(octokit, repo, `refs/heads/${branch}`),
        usage: () => ({
            requests,
            waitMs: Math.round(waitMs + (inFlight > 0 ? performance.now() - busySince : 0))
        })
    };
}


/***/ })

};
;