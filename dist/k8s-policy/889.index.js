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
/* harmony import */ var _runtime_process_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(695);


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


/***/ }),

/***/ 695:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R3: () => (/* binding */ runProcess),
/* harmony export */   aN: () => (/* binding */ lastWords),
/* harmony export */   gf: () => (/* binding */ childEnv),
/* harmony export */   qj: () => (/* binding */ runProcessBytes)
/* harmony export */ });
/* unused harmony exports isPassedToChildren, DEFAULT_STDOUT_CAP_BYTES */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7115);




/**
 * What a scanner, git or kustomize needs from the runner's environment: where to find programs and a
 * home, locale, temp dirs, proxies and CA bundles. Nothing else passes: no INPUT_* (the token is an
 * input), no ACTIONS_RUNTIME_TOKEN or ACTIONS_ID_TOKEN_REQUEST_*, no GITHUB_TOKEN, no cloud keys.
 */
const PASSED = new Set([
    'PATH',
    'HOME',
    'USER',
    'LOGNAME',
    'LANG',
    'LANGUAGE',
    'TZ',
    'TMPDIR',
    'TEMP',
    'TMP',
    'RUNNER_TEMP',
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'NO_PROXY',
    'http_proxy',
    'https_proxy',
    'no_proxy',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'NODE_EXTRA_CA_CERTS',
    'REQUESTS_CA_BUNDLE',
    'SYSTEMROOT',
    'COMSPEC',
    'PATHEXT',
    'WINDIR'
]);
const PASSED_PREFIXES = ['LC_'];
/** Names that must never reach a child, even when a caller asks for them by name. */
const SECRET = /^(INPUT_|ACTIONS_)|TOKEN|SECRET|PASSWORD|CREDENTIAL|PRIVATE_KEY|^GITHUB_|^AWS_|^AZURE_|^GOOGLE_/i;
function isPassedToChildren(name) {
    return PASSED.has(name) || PASSED_PREFIXES.some(prefix => name.startsWith(prefix));
}
/**
 * The allowlisted environment for a child process, plus `extra` (tool settings such as
 * SEMGREP_SEND_METRICS or OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY). An `extra` name that looks like a
 * credential is refused: a tool that needs one gets it through a file, never the environment.
 */
function childEnv(extra = {}, base = process.env) {
    const env = {};
    for (const [name, value] of Object.entries(base))
        if (value !== undefined && isPassedToChildren(name))
            env[name] = value;
    if (env.PATH !== undefined)
        env.PATH = searchPathOutside(env.PATH, base.GITHUB_WORKSPACE);
    for (const [name, value] of Object.entries(extra)) {
        if (SECRET.test(name) && !isPassedToChildren(name))
            throw new Error(`childEnv: '${name}' looks like a credential and is never passed to a child process`);
        if (value !== undefined)
            env[name] = value;
    }
    return env;
}
/**
 * PATH without its relative entries and those inside the workspace. Spawn looks programs up in the
 * child's PATH, and so do the tools themselves (semgrep runs git): a workflow that put
 * `node_modules/.bin` or `$GITHUB_WORKSPACE/bin` on PATH would otherwise run a `git` or `tar` the pull
 * request committed, with the action's process (and its token) readable in /proc.
 */
function searchPathOutside(searchPath, workspace) {
    const roots = workspace ? [node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(workspace), realOrSelf(workspace)] : [];
    const outside = (dir) => node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute(dir) && ![node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(dir), realOrSelf(dir)].some(d => roots.some(r => isWithin(d, r)));
    return searchPath.split(node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter).filter(outside).join(node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter);
}
function isWithin(dir, root) {
    const relative = node_path__WEBPACK_IMPORTED_MODULE_2__.relative(root, dir);
    return !(relative === '..' || relative.startsWith(`..${node_path__WEBPACK_IMPORTED_MODULE_2__.sep}`) || node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute(relative));
}
function realOrSelf(dir) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(dir);
    }
    catch {
        return node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(dir);
    }
}
const STDERR_CAP_BYTES = 512 * 1024;
const DEFAULT_STDOUT_CAP_BYTES = 256 * 1024 * 1024;
/** Keeps the last `cap` bytes: a runaway tool must not exhaust memory, and its last words matter most. */
function tail(cap) {
    const chunks = [];
    let size = 0;
    let dropped = false;
    return {
        push(chunk) {
            chunks.push(chunk);
            size += chunk.length;
            while (size > cap && chunks.length > 1) {
                size -= chunks.shift().length;
                dropped = true;
            }
        },
        bytes: () => Buffer.concat(chunks),
        dropped: () => dropped
    };
}
/**
 * The one way this code runs a program: argv only (no shell), an allowlisted environment, its own
 * process group, and a wall-clock deadline after which the whole group gets SIGTERM, then SIGKILL
 * (semgrep forks its OCaml core, git its remote helpers: killing the leader alone leaves them running).
 * A program that cannot start is a ConfigurationError naming it; every exit is returned, never thrown.
 */
async function runProcess(file, args, options) {
    const outcome = await runProcessBytes(file, args, options);
    return { ...outcome, stdout: outcome.stdout.toString('utf8') };
}
/** `runProcess` for programs whose stdout is binary (git cat-file --batch). */
function runProcessBytes(file, args, options) {
    const started = Date.now();
    // spawn says ENOENT for a missing cwd as for a missing program: tell the two apart.
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(options.cwd))
        return Promise.reject(new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`Could not start ${file}: its working directory ${options.cwd} does not exist`));
    return new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(file, args, {
            cwd: options.cwd,
            env: options.env,
            stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
            detached: process.platform !== 'win32'
        });
        if (options.input !== undefined) {
            // A program that exits early closes stdin; its exit status tells why, not EPIPE.
            child.stdin?.on('error', () => undefined);
            child.stdin?.end(options.input);
        }
        const out = tail(options.maxStdoutBytes ?? DEFAULT_STDOUT_CAP_BYTES);
        const err = tail(options.maxStderrBytes ?? STDERR_CAP_BYTES);
        child.stdout?.on('data', (chunk) => out.push(chunk));
        child.stderr?.on('data', (chunk) => err.push(chunk));
        let timedOut = false;
        const killGroup = (signal) => {
            try {
                if (child.pid !== undefined && process.platform !== 'win32')
                    process.kill(-child.pid, signal);
                else
                    child.kill(signal);
            }
            catch {
                // Already gone.
            }
        };
        let hardKill;
        const deadline = setTimeout(() => {
            timedOut = true;
            killGroup('SIGTERM');
            hardKill = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 5000);
        }, options.deadlineMs);
        child.on('error', error => {
            clearTimeout(deadline);
            if (hardKill)
                clearTimeout(hardKill);
            const why = error.code === 'ENOENT' ? notFound(file) : error.message;
            reject(new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`Could not start ${file} (in ${options.cwd}): ${why}`, { cause: error }));
        });
        child.on('close', (exitCode, signal) => {
            clearTimeout(deadline);
            if (hardKill)
                clearTimeout(hardKill);
            // The group may outlive its leader (a forked core); make sure nothing keeps running.
            if (timedOut)
                killGroup('SIGKILL');
            resolve({
                exitCode,
                signal,
                timedOut,
                stdout: out.bytes(),
                stdoutTruncated: out.dropped(),
                stderr: err.bytes().toString('utf8'),
                stderrTruncated: err.dropped(),
                durationMs: Date.now() - started
            });
        });
    });
}
/** A bare name was looked up in PATH, less the entries `childEnv` drops: say so, or a user hunts for it. */
function notFound(file) {
    if (node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute(file) || file.includes('/') || file.includes(node_path__WEBPACK_IMPORTED_MODULE_2__.sep))
        return 'not found';
    return 'not found on PATH (entries inside the workspace and relative ones are never searched)';
}
/** The last lines of what a failed program said, short enough for a one-line error. */
function lastWords(outcome, maxChars = 300) {
    const text = outcome.stderr.trim() || outcome.stdout.trim();
    return text.split('\n').slice(-3).join(' ').slice(-maxChars);
}


/***/ })

};
;