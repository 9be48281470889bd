"use strict";
exports.id = 882;
exports.ids = [882];
exports.modules = {

/***/ 4882:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   locateKustomizeBuild: () => (/* binding */ locateKustomizeBuild),
/* harmony export */   startKustomizeBuilds: () => (/* binding */ startKustomizeBuilds)
/* harmony export */ });
/* unused harmony exports KUSTOMIZE_TIMEOUT_MS, runKustomizeBuild, nameFits, mapRenderedObject, translatePath */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _runtime_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7115);
/* harmony import */ var _runtime_pool_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6046);
/* harmony import */ var _runtime_process_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(695);
/* harmony import */ var _manifests_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1644);
/* harmony import */ var _pod_spec_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2229);






const KUSTOMIZE_TIMEOUT_MS = 120_000;
async function runKustomizeBuild(binary, dir, timeoutMs = KUSTOMIZE_TIMEOUT_MS) {
    const maxBytes = _manifests_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_MANIFEST_LIMITS */ .hr.maxBytes * 4;
    // No --enable-helm, --enable-exec or alpha plugins: a pull request must not make the runner execute code.
    const outcome = await (0,_runtime_process_js__WEBPACK_IMPORTED_MODULE_2__/* .runProcess */ .R3)(binary, ['build', dir], {
        cwd: dir,
        deadlineMs: timeoutMs,
        env: (0,_runtime_process_js__WEBPACK_IMPORTED_MODULE_2__/* .childEnv */ .gf)(),
        killGraceMs: 0,
        maxStdoutBytes: maxBytes
    }).catch(error => {
        throw new Error((0,_runtime_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .getErrorMessage */ .u1)(error));
    });
    if (outcome.timedOut)
        throw new Error(`kustomize build was killed after ${timeoutMs / 1000} s`);
    if (outcome.stdoutTruncated)
        throw new Error(`kustomize build printed over ${maxBytes} bytes`);
    if (outcome.exitCode !== 0)
        throw new Error((0,_runtime_process_js__WEBPACK_IMPORTED_MODULE_2__/* .lastWords */ .aN)(outcome, 1000) ||
            (outcome.signal ? `killed by ${outcome.signal}` : `exited ${outcome.exitCode}`));
    // kustomize ends every render with a newline: one that stops mid-line was cut short, and YAML cut short
    // still parses, into objects missing what the rest held (a container, a securityContext).
    if (outcome.stdout !== '' && !outcome.stdout.endsWith('\n'))
        throw new Error('its output stops mid-line, so it was cut short; the render is not checked');
    return outcome.stdout;
}
/**
 * Whether `rendered` is `name` with some of the render's name prefixes and suffixes around it: the name
 * a source object gets through namePrefix and nameSuffix (each kustomization on the way adds its own).
 * Only an exact fit counts: a name that merely contains a source's must not be reported in its file.
 */
function nameFits(rendered, name, naming) {
    const tried = new Set();
    const fits = (start, end) => {
        if (end - start < name.length || tried.has(`${start}:${end}`))
            return false;
        tried.add(`${start}:${end}`);
        if (end - start === name.length && rendered.startsWith(name, start))
            return true;
        return (naming.prefixes.some(p => rendered.startsWith(p, start) && fits(start + p.length, end)) ||
            naming.suffixes.some(s => rendered.slice(0, end).endsWith(s) && fits(start, end - s.length)));
    };
    return fits(0, rendered.length);
}
/** A source keeps its namespace, or takes one a kustomization of the render sets. */
const namespaceFits = (rendered, source, naming) => rendered === source || (rendered !== undefined && naming.namespaces.includes(rendered));
const NO_NAMING = { prefixes: [], suffixes: [], namespaces: [] };
/**
 * Maps a rendered object back to the files it came from: the source objects (bases, patches) with the same
 * kind whose name, with the prefixes and suffixes of the kustomizations that include their file, is the
 * rendered name. A field is reported
 * in the source that holds most of its path (a patch that sets the image wins over the base); a field no
 * source holds is reported at its nearest ancestor there, and an object no source matches at line 1 of the
 * kustomization file.
 */
function mapRenderedObject(rendered, sources, kustomizationFile, renderedFrom, naming) {
    const renderedName = rendered.name ?? '';
    const best = sources.filter(s => {
        const applied = naming.get(s.file) ?? NO_NAMING;
        return (s.kind === rendered.kind &&
            s.name !== undefined &&
            s.name !== '' &&
            nameFits(renderedName, s.name, applied) &&
            namespaceFits(rendered.namespace, s.namespace, applied));
    });
    const locate = (fieldPath) => {
        let found = { file: kustomizationFile, line: 1, column: 1, depth: 0 };
        for (const source of best) {
            const at = source.locate(translatePath(rendered.object, source.object, fieldPath));
            if (found.file === kustomizationFile || at.depth > found.depth)
                found = at;
        }
        return found;
    };
    const primary = best[0];
    return {
        ...rendered,
        file: primary?.file ?? kustomizationFile,
        documentIndex: primary?.documentIndex ?? 0,
        locate,
        renderedFrom
    };
}
/** Lists kustomize merges by `name` (strategic merge patch keys), so an index in the output is not one in a source. */
const LISTS_KEYED_BY_NAME = new Set(['containers', 'initContainers', 'ephemeralContainers', 'volumes']);
/**
 * Rewrites list indexes of a rendered path into the source's indexes, matching list items by name;
 * stops (leaving the rest to the nearest-ancestor rule) where the source has no such item.
 */
function translatePath(rendered, source, fieldPath) {
    const out = [];
    let r = rendered;
    let s = source;
    for (let i = 0; i < fieldPath.length; i++) {
        const segment = fieldPath[i];
        const parent = fieldPath[i - 1];
        if (typeof segment === 'number' && typeof parent === 'string' && LISTS_KEYED_BY_NAME.has(parent)) {
            const name = asArrayOf(r)[segment]?.name;
            const index = asArrayOf(s).findIndex(item => item?.name === name);
            if (name === undefined || index < 0)
                break;
            out.push(index);
            r = asArrayOf(r)[segment];
            s = asArrayOf(s)[index];
            continue;
        }
        out.push(segment);
        r = step(r, segment);
        s = step(s, segment);
    }
    return out;
}
const asArrayOf = (value) => (Array.isArray(value) ? value : []);
const step = (value, segment) => typeof value === 'object' && value !== null
    ? value[segment]
    : undefined;
/**
 * Builds every kustomization, `parallel` processes at a time; the first ones are running when this
 * returns, so the caller can parse files meanwhile. Each output is parsed as it arrives, within the
 * run's limits and budget like any file, and then dropped: a hostile repository's many large renders
 * are never all held at once, nor all parsed. Once `stopping.stopped` is set, no more builds start.
 */
function startKustomizeBuilds(root, targets, binary, { parallel, limits, budget, stopping }) {
    return (0,_runtime_pool_js__WEBPACK_IMPORTED_MODULE_4__/* .mapPooled */ .Q)(targets, parallel, async (target) => stopping?.stopped
        ? { error: 'not started: the run stopped before it' }
        : runKustomizeBuild(binary, node_path__WEBPACK_IMPORTED_MODULE_0__.join(root, target.dir)).then(output => ({ loaded: (0,_manifests_js__WEBPACK_IMPORTED_MODULE_1__/* .loadManifestText */ .VH)(output, `${target.dir} (kustomize build)`, limits, budget) }), (error) => ({ error: (0,_runtime_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .getErrorMessage */ .u1)(error) })));
}
/**
 * One kustomization's build located in the files it renders. Sources of other kustomizations are never
 * candidates: a name that happens to contain theirs would move a violation into their files, and so
 * under their exceptions.
 */
function locateKustomizeBuild(target, build, sources) {
    const { dir, file } = target;
    if ('error' in build)
        return {
            objects: [],
            notes: [],
            problems: [{ level: 'error', file, message: `kustomize build ${dir} failed: ${build.error}` }]
        };
    const { loaded } = build;
    const own = new Set(target.files);
    const ownSources = sources.filter(source => own.has(source.file));
    const objects = loaded.objects.map(o => mapRenderedObject(o, ownSources, file, dir, target.naming));
    return { objects, notes: loaded.notes, problems: [...loaded.problems, ...cutShort(loaded.objects, target)] };
}
/**
 * A rendered workload without containers, which no cluster admits: either the render was cut short at a
 * line break (YAML cut there still parses), and the containers it lost would have been checked, or a
 * resource of the kustomization is a partial object. Either way the render is not what will be applied.
 * Raw files are not held to this (a patch file alone is a partial object); a render is whole objects.
 */
function cutShort(objects, { dir, file }) {
    return objects
        .filter(o => (0,_pod_spec_js__WEBPACK_IMPORTED_MODULE_5__/* .isWorkload */ .gv)(o) && !(0,_pod_spec_js__WEBPACK_IMPORTED_MODULE_5__/* .podContextOf */ .Gz)(o)?.containers.some(c => c.field === 'containers'))
        .map(o => ({
        level: 'error',
        file,
        message: `kustomize build ${dir} rendered ${o.kind}/${o.name ?? '(unnamed)'} without containers: its output was cut short, or a resource it includes is a partial object; run kustomize build ${dir} and fix what it prints`
    }));
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