"use strict";
exports.id = 631;
exports.ids = [631];
exports.modules = {

/***/ 6631:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   changedFiles: () => (/* binding */ changedFiles),
/* harmony export */   resolveMergeBase: () => (/* binding */ resolveMergeBase)
/* harmony export */ });
/* harmony import */ var _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7115);
/* harmony import */ var _git_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5504);


async function gitFor(options) {
    if (options.git)
        return options.git;
    if (!options.cwd)
        throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('resolveMergeBase needs a git work tree (git or cwd)');
    return _git_js__WEBPACK_IMPORTED_MODULE_1__.Git.create(options.cwd);
}
/** Makes sure `sha` is present locally, fetching just that commit if needed (GitHub serves any reachable sha). */
async function ensureCommit(git, remote, sha, what, logger) {
    if (!(0,_git_js__WEBPACK_IMPORTED_MODULE_1__/* .isObjectId */ .TS)(sha))
        throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${what} '${sha}' is not a commit SHA`);
    const present = await git.resolveCommit(sha);
    if (present)
        return present;
    logger?.info(`Fetching ${what} ${sha} from ${remote}`);
    await git.fetch(remote, [sha], (await git.isShallow()) ? ['--depth=1'] : []);
    const fetched = await git.resolveCommit(sha);
    if (!fetched)
        throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .BrokenInputError */ .YU('git', `${what} ${sha} is not in '${remote}' (force-pushed away?)`);
    return fetched;
}
/**
 * The commit to diff against. For a pull request that is `git merge-base <base tip> HEAD`: the frozen
 * `pull_request.base.sha` goes stale as soon as the base branch moves, and diffing against it would
 * blame the PR for every change merged since it was opened. Shallow clones (actions/checkout's
 * default depth 1) are deepened progressively until the histories meet.
 */
async function resolveMergeBase(options) {
    const { logger } = options;
    const remote = options.remote ?? 'origin';
    if ((options.baseRef === undefined) === (options.baseSha === undefined)) {
        throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('resolveMergeBase needs exactly one of baseRef (pull_request) or baseSha (merge_group, push)');
    }
    const git = await gitFor(options);
    const headSha = options.headSha
        ? await ensureCommit(git, remote, options.headSha, 'head commit', logger)
        : await git.resolveCommit('HEAD');
    if (!headSha)
        throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .BrokenInputError */ .YU('git', 'HEAD does not name a commit; is the checkout empty?');
    if (options.baseSha !== undefined) {
        const baseSha = await ensureCommit(git, remote, options.baseSha, 'base commit', logger);
        return { mergeBase: baseSha, baseSha, headSha, deepenedBy: 0, unshallowed: false };
    }
    const baseRef = options.baseRef.replace(/^refs\/heads\//, '');
    (0,_git_js__WEBPACK_IMPORTED_MODULE_1__/* .assertBranchName */ .ae)(baseRef, 'Base branch');
    const tracking = `refs/remotes/${remote}/${baseRef}`;
    const refspec = `+refs/heads/${baseRef}:${tracking}`;
    let baseSha = await git.resolveCommit(tracking);
    if (!baseSha) {
        logger?.info(`Fetching base branch '${baseRef}' from ${remote}`);
        try {
            await git.fetch(remote, [refspec], (await git.isShallow()) ? ['--depth=1'] : []);
        }
        catch (error) {
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .BrokenInputError */ .YU('git', `base branch '${baseRef}' could not be fetched from '${remote}': ${(0,_runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .getErrorMessage */ .u1)(error)}`);
        }
        baseSha = await git.resolveCommit(tracking);
        if (!baseSha)
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .BrokenInputError */ .YU('git', `base branch '${baseRef}' does not exist on '${remote}'`);
    }
    let mergeBase = await git.mergeBase(baseSha, headSha);
    let deepenedBy = 0;
    let unshallowed = false;
    const maxDeepen = options.maxDeepen ?? 1000;
    let step = options.initialDeepen ?? 32;
    while (!mergeBase && (await git.isShallow())) {
        if (deepenedBy >= maxDeepen) {
            logger?.info(`No merge base after deepening by ${deepenedBy} commits; fetching the full history`);
            await git.fetch(remote, [refspec], ['--unshallow']);
            unshallowed = true;
        }
        else {
            const by = Math.min(step, maxDeepen - deepenedBy);
            logger?.info(`No merge base of '${baseRef}' and HEAD in the shallow clone yet; deepening by ${by} commits`);
            await git.fetch(remote, [refspec], [`--deepen=${by}`]);
            deepenedBy += by;
            step *= 2;
        }
        mergeBase = await git.mergeBase(baseSha, headSha);
    }
    if (!mergeBase) {
        throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .BrokenInputError */ .YU('git', `'${baseRef}' (${baseSha}) and HEAD (${headSha}) share no history even with the full clone; nothing to compare against`);
    }
    logger?.info(`Merge base of '${baseRef}' and HEAD: ${mergeBase}${deepenedBy ? ` (deepened by ${deepenedBy})` : ''}`);
    return { mergeBase, baseSha, headSha, deepenedBy, unshallowed };
}
/** Files a change added, copied, modified or renamed (deleted ones have nothing left to scan). */
async function changedFiles(git, mergeBase, head) {
    if (!(0,_git_js__WEBPACK_IMPORTED_MODULE_1__/* .isObjectId */ .TS)(mergeBase) || !(0,_git_js__WEBPACK_IMPORTED_MODULE_1__/* .isObjectId */ .TS)(head)) {
        throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`changedFiles needs commit SHAs, got '${mergeBase}' and '${head}'`);
    }
    return git.changes(mergeBase, head);
}


/***/ })

};
;