"use strict";
exports.id = 889;
exports.ids = [889];
exports.modules = {

/***/ 1889:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Git: () => (/* binding */ Git),
/* harmony export */   TS: () => (/* binding */ isObjectId),
/* harmony export */   ae: () => (/* binding */ assertBranchName)
/* harmony export */ });
/* unused harmony export parseRawDiff */
/* harmony import */ var _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7115);
/* harmony import */ var _runtime_process_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5350);


const GITLINK_MODE = '160000';
const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i;
function isObjectId(value) {
    return OBJECT_ID.test(value);
}
/**
 * Branch names come from the event payload and are attacker-chosen on fork PRs: refuse anything
 * git would not accept as a branch, and anything that could be read as an option.
 */
function assertBranchName(name, what) {
    const bad = name.length === 0 ||
        name.startsWith('-') ||
        name.startsWith('/') ||
        name.endsWith('/') ||
        name.endsWith('.') ||
        name.endsWith('.lock') ||
        name.includes('..') ||
        name.includes('@{') ||
        name.includes('//') ||
        // eslint-disable-next-line no-control-regex -- control characters are exactly what git forbids
        /[\x00-\x20\x7f~^:?*[\\]/.test(name);
    if (bad)
        throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${what} '${name}' is not a valid branch name`);
}
/** One way to run git: fixed binary, no prompts, stable (English) messages, a deadline, argv only. */
class Git {
    cwd;
    gitPath;
    timeoutMs;
    env;
    constructor(cwd, gitPath, timeoutMs, env) {
        this.cwd = cwd;
        this.gitPath = gitPath;
        this.timeoutMs = timeoutMs;
        this.env = env;
    }
    static unchecked(cwd, options) {
        // No prompts, stable (English) messages; GIT_DIR and friends from the runner never pass.
        const env = (0,_runtime_process_js__WEBPACK_IMPORTED_MODULE_1__/* .childEnv */ .gf)({ GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANG: 'C' }, options.env ?? process.env);
        return new Git(cwd, options.gitPath ?? 'git', options.timeoutMs ?? 300_000, env);
    }
    static async create(cwd, options = {}) {
        const git = Git.unchecked(cwd, options);
        const inside = await git.exec(['rev-parse', '--is-inside-work-tree'], { allowExitCodes: [0, 128] });
        if (inside.exitCode !== 0 || inside.stdout.trim() !== 'true') {
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`'${cwd}' is not a git work tree; run actions/checkout before this step`);
        }
        return git;
    }
    /**
     * Which of `files` (relative to `cwd`) git tracks there. None outside a git work tree: nothing can be
     * committed where there is no repository. Any other refusal (an unsafe directory) is an error.
     */
    static async trackedFiles(cwd, files, options = {}) {
        if (files.length === 0)
            return new Set();
        return new Set((await Git.listTracked(cwd, files, options)) ?? []);
    }
    /**
     * The files git tracks under `pathspecs` (literal, relative to `cwd`; a directory lists what is below
     * it), or undefined where there is no repository to ask: no git, or not a git work tree. Any other
     * refusal (an unsafe directory) is an error.
     */
    static async listTracked(cwd, pathspecs, options = {}) {
        const git = Git.unchecked(cwd, options);
        // Literal pathspecs: a file named `*.sarif` or `:(glob)x` names only itself.
        const others = options.unignored ? ['--others', '--exclude-standard'] : [];
        const args = ['--literal-pathspecs', 'ls-files', '-z', '--cached', ...others, '--', ...pathspecs];
        let listed;
        try {
            listed = await git.exec(args, { allowExitCodes: [0, 128] });
        }
        catch (error) {
            // No git at all: the workspace came some other way (checkout's REST fallback).
            const spawnError = error.cause?.cause;
            if (spawnError?.code === 'ENOENT')
                return undefined;
            throw error;
        }
        if (listed.exitCode === 128) {
            if (/not a git repository/i.test(listed.stderr))
                return undefined;
            const tail = listed.stderr.trim().split('\n').slice(-2).join(' ');
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`git cannot tell which files '${cwd}' tracks: ${tail}`);
        }
        return listed.stdout.split('\0').filter(Boolean);
    }
    /**
     * The commit checked out in `cwd`, or undefined where that cannot be told (no git, no repository, an
     * unborn branch): the caller then falls back to what the runner says it checked out.
     */
    static async headCommit(cwd, options = {}) {
        try {
            return await Git.unchecked(cwd, options).resolveCommit('HEAD');
        }
        catch {
            return undefined;
        }
    }
    exec(args, options = {}) {
        return this.execRaw(args, options).then(result => ({
            exitCode: result.exitCode,
            stdout: result.stdout.toString('utf8'),
            stderr: result.stderr
        }));
    }
    async execRaw(args, options) {
        const allowed = options.allowExitCodes ?? [0];
        let outcome;
        try {
            outcome = await (0,_runtime_process_js__WEBPACK_IMPORTED_MODULE_1__/* .runProcessBytes */ .qj)(this.gitPath, args, {
                cwd: this.cwd,
                env: this.env,
                input: options.input,
                deadlineMs: this.timeoutMs,
                killGraceMs: 0
            });
        }
        catch (error) {
            throw new Error(`git ${args[0]} could not start: ${error.message}`, { cause: error });
        }
        if (outcome.timedOut || outcome.exitCode === null)
            throw new Error(`git ${args.join(' ')} was killed after the ${this.timeoutMs} ms deadline`);
        if (!allowed.includes(outcome.exitCode)) {
            const tail = outcome.stderr.trim().split('\n').slice(-3).join(' ');
            throw new Error(`git ${args.join(' ')} exited ${outcome.exitCode}: ${tail}`);
        }
        return { exitCode: outcome.exitCode, stdout: outcome.stdout, stderr: outcome.stderr };
    }
    async isShallow() {
        return (await this.exec(['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
    }
    /** The commit `rev` names, or undefined when it does not exist locally. */
    async resolveCommit(rev) {
        const result = await this.exec(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
            allowExitCodes: [0, 1, 128]
        });
        return result.exitCode === 0 ? result.stdout.trim() : undefined;
    }
    /** Best common ancestor, or undefined when none is reachable (yet: the clone may be shallow). */
    async mergeBase(a, b) {
        const result = await this.exec(['merge-base', '--end-of-options', a, b], { allowExitCodes: [0, 1] });
        return result.exitCode === 0 ? result.stdout.trim() : undefined;
    }
    async fetch(remote, refspecs, flags = []) {
        await this.exec(['fetch', '--no-tags', '--no-recurse-submodules', ...flags, '--', remote, ...refspecs]);
    }
    /**
     * What changed between two commits, renames detected, with each path's blob at `base`. Deleted paths
     * are left out: nothing is left of them to scan. A type change counts: a link the base had may be
     * replaced by a file of the change's own.
     */
    async changes(base, head) {
        const args = [
            'diff',
            '--raw',
            '-z',
            '-M',
            '--no-abbrev',
            '--diff-filter=ACMRT',
            '--no-ext-diff',
            '--no-textconv',
            '--end-of-options',
            base,
            head,
            '--'
        ];
        return parseRawDiff((await this.exec(args)).stdout);
    }
    /**
     * The paths `head` no longer has that `base` had, renames detected as in `changes` (a renamed file is a
     * change there, under its previous path): what the change takes away, such as a lockfile.
     */
    async deletions(base, head) {
        const args = [
            'diff',
            '--name-only',
            '-z',
            '-M',
            '--diff-filter=D',
            '--no-ext-diff',
            '--end-of-options',
            base,
            head,
            '--'
        ];
        return (await this.exec(args)).stdout.split('\0').filter(Boolean);
    }
    /**
     * A file's bytes at `commit`, or undefined when the commit has no such path. A directory (tree), a
     * link or a submodule there is not a file and is refused, as is a file over `maxBytes`. One literal
     * lookup from the repository's root: `<commit>:<path>` is read from the root but a path given to
     * ls-tree from the directory git runs in, so from a subdirectory a link passed as a file.
     */
    async readFileAt(commit, file, maxBytes) {
        if (!isObjectId(commit))
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`'${commit}' is not a commit id`);
        const wanted = file.replace(/^\.\//, '');
        const { stdout } = await this.exec([
            'ls-tree',
            '-z',
            '--full-tree',
            '--format=%(objectmode) %(objecttype) %(objectname) %(objectsize)%x09%(path)',
            '--end-of-options',
            commit,
            '--',
            `:(literal)${wanted}`
        ]);
        const entries = stdout.split('\0').filter(Boolean);
        if (entries.length === 0)
            return undefined;
        const at = commit.slice(0, 12);
        const [fields = '', found] = entries.length === 1 ? entries[0].split('\t') : [];
        // `dir/` lists what the directory holds: only the entry at exactly this path is the file.
        if (found !== wanted)
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${file} is not one file at ${at}`);
        const [mode, type, id, size] = fields.split(' ');
        if (mode === GITLINK_MODE)
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${file} is a submodule at ${at}, not a file`);
        if (mode === '120000')
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${file} is a symbolic link at ${at}, not a file`);
        if (type !== 'blob' || !id)
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${file} is a ${type} at ${at}, not a file`);
        if (Number(size) > maxBytes)
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${file} is ${size} bytes at ${at}, over the ${maxBytes}-byte limit`);
        return (await this.readBlobs([id], maxBytes)).get(id);
    }
    /** The files (blobs, with their mode) at or under repository path `file` at `commit`; links and submodules are left out. */
    async listFiles(commit, file) {
        if (!isObjectId(commit))
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`'${commit}' is not a commit id`);
        const { stdout } = await this.exec([
            'ls-tree',
            '-r',
            '-z',
            '--full-tree',
            '--end-of-options',
            commit,
            '--',
            `:(literal)${file}`
        ]);
        return stdout
            .split('\0')
            .filter(Boolean)
            .map(record => /^(\d+) (\w+) ([0-9a-f]+)\t(.+)$/s.exec(record))
            .filter(match => match !== null && match[2] === 'blob' && match[1] !== '120000')
            .map(match => ({ path: match[4], blob: match[3], mode: match[1] }));
    }
    /**
     * Contents of blobs by id: sizes from one `git cat-file --batch-check`, then the blobs of at most
     * `maxBytes` from one `git cat-file --batch` (a changed 2 GB asset must not be buffered in memory).
     * Larger blobs are left out of the map; a missing id or a non-blob is an error.
     */
    async readBlobs(ids, maxBytes = Number.MAX_SAFE_INTEGER) {
        const blobs = new Map();
        if (ids.length === 0)
            return blobs;
        for (const id of ids)
            if (!isObjectId(id))
                throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`'${id}' is not a blob id`);
        const check = await this.exec(['cat-file', '--batch-check'], { input: `${ids.join('\n')}\n` });
        const sizes = check.stdout.split('\n');
        const wanted = ids.filter((id, i) => {
            const [, type, size] = (sizes[i] ?? '').split(' ');
            if (type !== 'blob' || size === undefined)
                throw new Error(`git cat-file --batch-check: ${id} is not a blob in this repository`);
            return Number(size) <= maxBytes;
        });
        if (wanted.length === 0)
            return blobs;
        const { stdout } = await this.execRaw(['cat-file', '--batch'], { input: `${wanted.join('\n')}\n` });
        let offset = 0;
        for (const id of wanted) {
            const headerEnd = stdout.indexOf(0x0a, offset);
            if (headerEnd === -1)
                throw new Error(`git cat-file --batch: output ends before blob ${id}`);
            const [, type, size] = stdout.subarray(offset, headerEnd).toString('utf8').split(' ');
            if (type !== 'blob' || size === undefined)
                throw new Error(`git cat-file --batch: ${id} is not a blob in this repository`);
            const start = headerEnd + 1;
            const end = start + Number(size);
            blobs.set(id, stdout.subarray(start, end));
            offset = end + 1;
        }
        return blobs;
    }
}
/** `git diff --raw -z` records: `:srcmode dstmode srcblob dstblob status NUL path NUL [newpath NUL]`. */
function parseRawDiff(output) {
    const fields = output.split('\0');
    const changes = [];
    for (let i = 0; i < fields.length;) {
        const header = fields[i++];
        if (!header)
            continue;
        const [srcMode, dstMode, srcBlob, , statusField] = header.slice(1).split(' ');
        const status = statusField?.[0];
        const first = fields[i++];
        if (!first || !srcMode || !srcBlob || !status)
            throw new Error(`unexpected git diff --raw record '${header}'`);
        // git lists a submodule as its directory alone, never the files its commit brings.
        const submodule = srcMode === GITLINK_MODE || dstMode === GITLINK_MODE ? { submodule: true } : {};
        if (status === 'R' || status === 'C') {
            const path = fields[i++];
            if (!path)
                throw new Error(`git diff --raw: ${status} record without a new path`);
            // A copy's findings are new at its new path; only a rename carries its old content forward.
            changes.push(status === 'R'
                ? { path, status, previous: { path: first, blob: srcBlob, mode: srcMode }, ...submodule }
                : { path, status, ...submodule });
        }
        else if (status === 'M') {
            changes.push({
                path: first,
                status,
                previous: { path: first, blob: srcBlob, mode: srcMode },
                ...submodule
            });
        }
        else if (status === 'A' || status === 'T') {
            changes.push({ path: first, status, ...submodule });
        }
    }
    return changes;
}


/***/ })

};
;