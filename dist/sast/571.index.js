"use strict";
exports.id = 571;
exports.ids = [571];
exports.modules = {

/***/ 571:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  assertHashLocked: () => (/* binding */ assertHashLocked),
  installRoot: () => (/* binding */ installRoot),
  installSemgrepVenv: () => (/* binding */ installSemgrepVenv),
  lockedSemgrepVersion: () => (/* binding */ lockedSemgrepVersion),
  pipInstallsElsewhere: () => (/* binding */ pipInstallsElsewhere),
  pipRole: () => (/* binding */ pipRole),
  pythonCli: () => (/* binding */ pythonCli),
  semgrepVenvSteps: () => (/* binding */ semgrepVenvSteps),
  venvPython: () => (/* binding */ venvPython)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/core/src/runtime/errors.ts
var errors = __webpack_require__(7115);
// EXTERNAL MODULE: ./packages/core/src/runtime/process.ts + 1 modules
var runtime_process = __webpack_require__(5350);
// EXTERNAL MODULE: ./packages/core/src/tools/download.ts + 6 modules
var download = __webpack_require__(5256);
// EXTERNAL MODULE: ./packages/core/src/tools/install.ts + 3 modules
var install = __webpack_require__(9970);
;// CONCATENATED MODULE: ./packages/core/src/sast/venv/record.ts
/** Splits one CSV line (RECORD is written by Python's csv module: fields quoted only when needed). */
function csvFields(line) {
    const fields = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quoted) {
            if (c === '"' && line[i + 1] === '"') {
                field += '"';
                i++;
            }
            else if (c === '"')
                quoted = false;
            else
                field += c;
        }
        else if (c === '"')
            quoted = true;
        else if (c === ',') {
            fields.push(field);
            field = '';
        }
        else
            field += c;
    }
    fields.push(field);
    return fields;
}
/** RECORD lines; a hash other than sha256 is refused, so nothing passes unchecked. */
function parseRecord(text, source) {
    return text
        .split(/\r?\n/)
        .filter(line => line.trim() !== '')
        .map(line => {
        const [path = '', hash = '', size = ''] = csvFields(line);
        if (hash === '')
            return { path };
        const match = /^sha256=([A-Za-z0-9_-]{43})$/.exec(hash);
        if (!match)
            throw new Error(`${source}: ${path} has a hash that is not sha256 (${hash.slice(0, 20)})`);
        return { path, sha256: match[1], ...(size !== '' ? { size: Number(size) } : {}) };
    });
}

// EXTERNAL MODULE: ./packages/core/src/runtime/zip.ts
var zip = __webpack_require__(4105);
;// CONCATENATED MODULE: ./packages/core/src/sast/venv/verify.ts





/** Reads `name==version --hash=sha256:…` entries of a hash-locked requirements file. */
function lockedWheels(requirements) {
    const byDigest = new Map();
    const projects = new Set();
    const entries = requirements.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
    for (const entry of entries) {
        const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)==/.exec(entry)?.[1];
        if (!name)
            continue;
        const project = projectKey(name);
        projects.add(project);
        for (const m of entry.matchAll(/--hash=sha256:([0-9a-f]{64})/g))
            byDigest.set(m[1], project);
    }
    return { byDigest, projects };
}
/** PEP 503 normalization, which also matches a wheel file name's first part. */
function projectKey(name) {
    return name.toLowerCase().replace(/[-_.]+/g, '-');
}
/** Files pip writes into a dist-info directory at install time; data only, never executed. */
const INSTALL_RECORDS = new Set(['INSTALLER', 'REQUESTED', 'RECORD', 'direct_url.json']);
/** Written by `python -m venv` for people who activate it; this action never runs them. */
const ACTIVATE_SCRIPTS = new Set(['activate', 'activate.csh', 'activate.fish', 'Activate.ps1']);
const PYVENV_KEYS = new Set([
    'home',
    'include-system-site-packages',
    'version',
    'executable',
    'command',
    'prompt'
]);
/** Every installed file a verified wheel accounts for (absolute path → digest), and its dist-info dirs. */
function expectedFiles(venv, sitePackages, wheels) {
    const files = new Map();
    const distInfos = new Set();
    for (const wheel of wheels) {
        const members = (0,zip/* readZipMembers */.v)(wheel, name => /^[^/]+\.dist-info\/RECORD$/.test(name));
        if (members.size !== 1)
            throw new Error(`${external_node_path_.basename(wheel)} has ${members.size} RECORD files`);
        const [[recordName, text]] = [...members];
        distInfos.add(external_node_path_.join(sitePackages, external_node_path_.dirname(recordName)));
        for (const entry of parseRecord(text.toString('utf8'), external_node_path_.basename(wheel))) {
            if (!entry.sha256)
                continue;
            const target = installedPath(venv, sitePackages, entry.path);
            if (target === undefined)
                continue;
            if (external_node_path_.relative(venv, target).startsWith('..'))
                throw new Error(`${external_node_path_.basename(wheel)} installs ${entry.path} outside the venv`);
            files.set(target, { sha256: entry.sha256, ...(entry.size !== undefined ? { size: entry.size } : {}) });
        }
    }
    return { files, distInfos };
}
/** Where pip puts a wheel member; undefined for scripts, which the install removes (nothing runs them). */
function installedPath(venv, sitePackages, member) {
    const data = /^([^/]+)\.data\/(purelib|platlib|headers|data|scripts)\/(.+)$/.exec(member);
    if (!data)
        return external_node_path_.join(sitePackages, member);
    const [, distribution, scheme, rest] = data;
    if (scheme === 'scripts')
        return undefined;
    if (scheme === 'data')
        return external_node_path_.join(venv, rest);
    if (scheme === 'headers') {
        const python = external_node_path_.basename(external_node_path_.dirname(sitePackages));
        return external_node_path_.join(venv, 'include', 'site', python, distribution.split('-')[0], rest);
    }
    return external_node_path_.join(sitePackages, rest);
}
function parsePyvenvCfg(text) {
    const out = new Map();
    for (const line of text.split(/\r?\n/)) {
        const m = /^\s*([^=#]+?)\s*=\s*(.*?)\s*$/.exec(line);
        if (m)
            out.set(m[1], m[2]);
    }
    return out;
}
function sameFile(a, b) {
    try {
        return (0,external_node_fs_.realpathSync)(a) === (0,external_node_fs_.realpathSync)(b);
    }
    catch {
        return false;
    }
}
/**
 * Why the venv at `<root>/venv`, built from the wheels in `<root>/wheels`, cannot be trusted; empty when
 * it can. The wheels are checked against the lock file's digests (the lock ships with the action, so a
 * writer of the tool cache cannot forge it); every installed file against the RECORD inside its verified
 * wheel; and nothing else may be there: no extra file in site-packages (a `.pth` or `sitecustomize.py`
 * runs at start-up), no bytecode (the engine keeps its bytecode in a per-job directory), no executable in
 * bin/ but the interpreter links, which must lead to the interpreter the venv was made from.
 */
async function venvProblems(root, lock, base) {
    const problems = [];
    const wheelsDir = external_node_path_.join(root, 'wheels');
    const venv = external_node_path_.join(root, 'venv');
    let wheelNames;
    let pythonDirs;
    try {
        wheelNames = (0,external_node_fs_.readdirSync)(wheelsDir).sort();
        pythonDirs = (0,external_node_fs_.readdirSync)(external_node_path_.join(venv, 'lib')).filter(name => /^python3\.\d+$/.test(name));
    }
    catch (error) {
        return [`incomplete install (${error.code ?? String(error)})`];
    }
    if (pythonDirs.length !== 1)
        return [`lib/ holds ${pythonDirs.length} python3.x directories, not 1`];
    const sitePackages = external_node_path_.join(venv, 'lib', pythonDirs[0], 'site-packages');
    const covered = new Set();
    const wheels = [];
    for (const name of wheelNames) {
        const file = external_node_path_.join(wheelsDir, name);
        if (!name.endsWith('.whl') || !(0,external_node_fs_.lstatSync)(file).isFile()) {
            problems.push(`wheels/${name} is not a wheel file`);
            continue;
        }
        const project = lock.byDigest.get(await (0,download.sha256File)(file));
        if (!project)
            problems.push(`wheels/${name} has a sha256 the lock file does not list`);
        else if (covered.has(project))
            problems.push(`wheels/ holds two wheels of ${project}`);
        else {
            covered.add(project);
            wheels.push(file);
        }
    }
    for (const project of lock.projects)
        if (!covered.has(project))
            problems.push(`no verified wheel of ${project}`);
    if (problems.length > 0)
        return problems;
    const { files, distInfos } = expectedFiles(venv, sitePackages, wheels);
    const seen = new Set();
    const visit = async (dir) => {
        for (const entry of (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true })) {
            const file = external_node_path_.join(dir, entry.name);
            const where = external_node_path_.relative(venv, file);
            if (entry.isDirectory())
                await visit(file);
            else if (entry.isSymbolicLink()) {
                const interpreter = dir === external_node_path_.join(venv, 'bin') && /^python(3(\.\d+)?)?$/.test(entry.name);
                const lib64 = dir === venv && entry.name === 'lib64' && (0,external_node_fs_.readlinkSync)(file) === 'lib';
                if (!lib64 && !(interpreter && sameFile(file, base.executable)))
                    problems.push(`${where} is a symbolic link that is not the venv's own`);
            }
            else if (!entry.isFile())
                problems.push(`${where} is not a regular file`);
            else if (dir === venv && entry.name === 'pyvenv.cfg')
                problems.push(...pyvenvProblems(file, base));
            else if (dir === external_node_path_.join(venv, 'bin') && ACTIVATE_SCRIPTS.has(entry.name))
                continue;
            else if (distInfos.has(dir) && INSTALL_RECORDS.has(entry.name))
                continue;
            else {
                const expected = files.get(file);
                seen.add(file);
                if (!expected)
                    problems.push(`${where} is not from a verified wheel`);
                else if (expected.size !== undefined && (0,external_node_fs_.lstatSync)(file).size !== expected.size)
                    problems.push(`${where} differs from its wheel (size)`);
                else if (Buffer.from(await (0,download.sha256File)(file), 'hex').toString('base64url') !== expected.sha256)
                    problems.push(`${where} differs from its wheel (sha256)`);
            }
            if (problems.length >= 10)
                return;
        }
    };
    await visit(venv);
    for (const file of files.keys())
        if (!seen.has(file) && problems.length < 10)
            problems.push(`${external_node_path_.relative(venv, file)} is missing`);
    return problems;
}
function pyvenvProblems(file, base) {
    const cfg = parsePyvenvCfg((0,external_node_fs_.readFileSync)(file, 'utf8'));
    const problems = [];
    const unknown = [...cfg.keys()].filter(key => !PYVENV_KEYS.has(key));
    if (unknown.length > 0)
        problems.push(`pyvenv.cfg sets ${unknown.join(', ')}`);
    if (cfg.get('include-system-site-packages') !== 'false')
        problems.push('pyvenv.cfg does not keep system site-packages out');
    const home = cfg.get('home');
    if (!home || !sameFile(home, external_node_path_.dirname(base.executable)))
        problems.push(`pyvenv.cfg home ${home ?? '(none)'} is not ${external_node_path_.dirname(base.executable)}`);
    const executable = cfg.get('executable');
    if (executable !== undefined && !sameFile(executable, base.executable))
        problems.push(`pyvenv.cfg executable ${executable} is not ${base.executable}`);
    return problems;
}

;// CONCATENATED MODULE: ./packages/core/src/sast/venv/install.ts








/** The pinned version is the one the lock file names; the install directory is keyed by it. */
function lockedSemgrepVersion(requirements) {
    const version = /^semgrep==([0-9][0-9A-Za-z.]*)\s/m.exec(requirements)?.[1];
    if (!version)
        throw new errors/* ConfigurationError */.j1('The semgrep requirements file pins no semgrep==<version>; regenerate it with pip-compile --generate-hashes.');
    return version;
}
/** Every requirement must carry a hash, otherwise pip's hash-checking mode is not what protects us. */
function assertHashLocked(requirements, source) {
    const entries = requirements
        .replace(/\\\r?\n/g, ' ')
        .split(/\r?\n/)
        .map(line => line.replace(/#.*$/, '').trim())
        .filter(line => line !== '');
    const unhashed = entries.filter(line => !line.startsWith('-') && !/--hash=sha256:[0-9a-f]{64}/.test(line));
    if (entries.length === 0 || unhashed.length > 0) {
        throw new errors/* BrokenInputError */.YU(source, `requirements without --hash=sha256: ${unhashed.slice(0, 3).join('; ') || '(empty file)'}`);
    }
}
/** `<toolCache>/secure-pipeline-semgrep-<version>`, holding `wheels/` and `venv/`. */
function installRoot(toolCache, version) {
    return external_node_path_.join(toolCache, `secure-pipeline-semgrep-${version}`);
}
/** The venv's interpreter (POSIX layout: Semgrep has no Windows build). */
function venvPython(root) {
    return external_node_path_.join(root, 'venv', 'bin', 'python');
}
const PIP = ['--disable-pip-version-check', '--no-input', '--quiet'];
/** pip 22.3 added `--python`, which installs into another environment: the venv then needs no pip. */
function pipInstallsElsewhere(pipVersion) {
    const [major = Number.NaN, minor = Number.NaN] = (pipVersion ?? '')
        .split('.')
        .map(part => parseInt(part, 10));
    return major > 22 || (major === 22 && minor >= 3);
}
function pipRole(pipVersion, uv) {
    if (pipInstallsElsewhere(pipVersion))
        return 'elsewhere';
    return uv && pipVersion ? 'download' : 'venv';
}
/**
 * The install, as argv only: a private venv; the locked wheels downloaded by pip in hash-checking mode
 * (wheels only: a wheel's RECORD is what the venv is verified against later) and kept; installed from
 * them alone, without bytecode, by `uv` when given (in hash-checking mode too), else by pip. The venv is
 * made without pip unless `pip` is `venv`; then pip and setuptools, which the lock does not pin, are
 * taken out again. pip runs isolated (`-I`: no PYTHON* variable, no user site, nothing from the working
 * directory), and `-B` keeps the bytecode off that -I would otherwise let it write
 * (PYTHONDONTWRITEBYTECODE is one of the variables it ignores).
 */
function semgrepVenvSteps(root, requirementsFile, { python = 'python3', pip: role = 'venv', uv } = {}) {
    if (role === 'download' && !uv)
        throw new Error('a pip that only downloads needs uv to install');
    const venv = external_node_path_.join(root, 'venv');
    const wheels = external_node_path_.join(root, 'wheels');
    const pipPrefix = role === 'venv'
        ? [venvPython(root), '-I', '-B', '-m', 'pip']
        : [python, '-I', '-B', '-m', 'pip', ...(role === 'elsewhere' ? ['--python', venvPython(root)] : [])];
    const pip = (...args) => ({
        label: `pip ${args[0]}`,
        file: pipPrefix[0],
        args: [...pipPrefix.slice(1), ...args, ...PIP]
    });
    return {
        createVenv: {
            label: 'python -m venv',
            file: python,
            args: ['-m', 'venv', '--clear', '--symlinks', ...(role === 'venv' ? [] : ['--without-pip']), venv]
        },
        download: pip('download', '--require-hashes', '--no-deps', '--only-binary=:all:', '--dest', wheels, '-r', requirementsFile),
        install: uv
            ? uvInstall(uv, root, requirementsFile)
            : pip('install', '--require-hashes', '--no-deps', '--no-index', '--find-links', wheels, '--no-compile', 
            // pip's after-install check of every installed distribution's requirements: the lock is complete
            // and installed with --no-deps, and the venv is verified file by file afterwards anyway.
            '--no-warn-conflicts', '-r', requirementsFile),
        ...(role === 'venv' ? { removePip: pip('uninstall', '--yes', 'pip', 'setuptools') } : {})
    };
}
/**
 * uv's install from the wheel directory alone, with the same guarantees as pip's: every requirement's
 * hash checked (`--require-hashes`), no dependency of its own, no index and no network at all, wheels
 * only (`--no-build`), no bytecode. `--no-config` keeps any uv.toml (working directory, user config)
 * out, and the child environment carries no UV_* variable. Its cache is this install's own directory,
 * removed once the install is done, so the venv's hard links into it are then the files' only names.
 */
function uvInstall(uv, root, requirementsFile) {
    return {
        label: 'uv pip install',
        file: uv.file,
        args: [
            'pip',
            'install',
            '--python',
            venvPython(root),
            '--require-hashes',
            '--no-deps',
            '--no-index',
            '--find-links',
            external_node_path_.join(root, 'wheels'),
            '--no-build',
            '--offline',
            '--no-compile-bytecode',
            '--no-config',
            '--no-python-downloads',
            '--cache-dir',
            uv.cacheDir,
            '--link-mode',
            'hardlink',
            '--quiet',
            '-r',
            requirementsFile
        ]
    };
}
/**
 * The Python CLI (`pysemgrep`) started by the venv's interpreter in isolated mode (no PYTHON* variable,
 * no user site, no script directory on the path), with bytecode in `bytecodeDir`. The console scripts
 * pip generates are not used: they are not in any wheel, so nothing could verify them.
 */
function pythonCli(root, bytecodeDir) {
    const main = 'import sys\nfrom semgrep.console_scripts.pysemgrep import main\nsys.argv[0] = "pysemgrep"\nsys.exit(main())';
    return { file: venvPython(root), args: ['-I', '-X', `pycache_prefix=${bytecodeDir}`, '-c', main] };
}
const PROBE = 'import sys\nprint(sys._base_executable)\ntry:\n  import pip\n  print(pip.__version__)\nexcept ImportError:\n  print("")';
async function probeInterpreter(python, env, cwd) {
    const outcome = await (0,runtime_process/* runProcess */.R3)(python, ['-I', '-c', PROBE], {
        cwd,
        deadlineMs: 60_000,
        env: (0,runtime_process/* childEnv */.gf)({}, env)
    });
    const [executable = '', pipVersion = ''] = outcome.stdout.split(/\r?\n/).map(line => line.trim());
    if (outcome.exitCode !== 0 || !external_node_path_.isAbsolute(executable))
        throw new errors/* BrokenInputError */.YU('semgrep install', `${python} did not say where it is: ${outcome.stderr.trim().slice(-300)}`);
    return { base: { executable }, ...(pipVersion !== '' ? { pipVersion } : {}) };
}
/**
 * What the installer writes that no wheel accounts for, and nothing here runs: the console scripts in
 * bin/ (everything there but the interpreter links and activate scripts), and uv's bookkeeping, its
 * venv lock file and a uv_cache.json in each dist-info. Verification then holds either installer to
 * the same list of files.
 */
function removeInstallerLeftovers(root) {
    const venv = external_node_path_.join(root, 'venv');
    const bin = external_node_path_.join(venv, 'bin');
    for (const entry of (0,external_node_fs_.readdirSync)(bin, { withFileTypes: true }))
        if (entry.isFile() && !/^(activate(\.csh|\.fish)?|Activate\.ps1)$/.test(entry.name))
            (0,external_node_fs_.rmSync)(external_node_path_.join(bin, entry.name));
    (0,external_node_fs_.rmSync)(external_node_path_.join(venv, '.lock'), { force: true });
    for (const python of (0,external_node_fs_.readdirSync)(external_node_path_.join(venv, 'lib'))) {
        const sitePackages = external_node_path_.join(venv, 'lib', python, 'site-packages');
        for (const name of (0,external_node_fs_.existsSync)(sitePackages) ? (0,external_node_fs_.readdirSync)(sitePackages) : [])
            if (name.endsWith('.dist-info'))
                (0,external_node_fs_.rmSync)(external_node_path_.join(sitePackages, name, 'uv_cache.json'), { force: true });
    }
}
/** A directory nobody else has seen (mode 0700), inside `parent`, which is made when missing. */
function freshDir(parent, prefix) {
    (0,external_node_fs_.mkdirSync)(parent, { recursive: true });
    return (0,external_node_fs_.mkdtempSync)(external_node_path_.join(parent, prefix));
}
/** This job's temp directory (RUNNER_TEMP is emptied at every job's start), else the OS one. */
function jobTemp(env) {
    const temp = env.RUNNER_TEMP?.trim();
    return temp && external_node_path_.isAbsolute(temp) ? temp : (0,external_node_os_.tmpdir)();
}
/**
 * The pinned uv, or undefined when it cannot be had (no download, no asset for this platform): pip then
 * installs, which is slower and checks the same hashes. A uv whose sha256 does not match is an attack
 * or a corrupted cache, never a reason to carry on quietly.
 */
async function findUv(options, env) {
    const { logger } = options;
    const find = options.uv ??
        (async () => (await (0,install.installTool)({ tool: 'uv', logger, env, tempDir: options.tempDir })).path);
    try {
        return await find();
    }
    catch (error) {
        if (error instanceof errors/* IntegrityError */.cs)
            throw error;
        logger.warning(`semgrep: uv is not available (${error.message}); pip installs the wheels instead, with the same hash checks, only slower`);
        return undefined;
    }
}
/**
 * Installs (or reuses, after verifying it file by file) the hash-pinned Semgrep venv and returns how to
 * start its CLI. A cached install that fails verification is never run: it is removed and rebuilt.
 */
async function installSemgrepVenv(options) {
    const { logger } = options;
    let requirements;
    try {
        requirements = (0,external_node_fs_.readFileSync)(options.requirementsFile, 'utf8');
    }
    catch {
        throw new errors/* BrokenInputError */.YU(options.requirementsFile, 'the semgrep requirements lock file is missing from the action');
    }
    assertHashLocked(requirements, options.requirementsFile);
    const version = lockedSemgrepVersion(requirements);
    const lock = lockedWheels(requirements);
    const root = installRoot(options.toolCache, version);
    const env = options.env ?? process.env;
    const python = options.python ?? 'python3';
    (0,external_node_fs_.mkdirSync)(options.toolCache, { recursive: true });
    (0,external_node_fs_.mkdirSync)(options.bytecodeDir, { recursive: true });
    const { base, pipVersion } = await probeInterpreter(python, env, options.toolCache);
    if ((0,external_node_fs_.existsSync)(root)) {
        const problems = await venvProblems(root, lock, base);
        if (problems.length === 0) {
            logger.info(`semgrep ${version}: reusing ${root}, every file verified against its locked wheel`);
            return pythonCli(root, options.bytecodeDir);
        }
        logger.warning(`semgrep ${version}: the cached install in ${root} failed verification and is not used (${problems.slice(0, 3).join('; ')}); reinstalling`);
        (0,external_node_fs_.rmSync)(root, { recursive: true, force: true });
    }
    const uv = await findUv(options, env);
    const pip = pipRole(pipVersion, uv !== undefined);
    logger.info(`semgrep ${version}: installing into ${root} from wheels checked against ${external_node_path_.basename(options.requirementsFile)}` +
        (pip === 'venv'
            ? ` (${python} has ${pipVersion ? `pip ${pipVersion}, older than 22.3` : 'no pip'}: the venv gets its own, removed after)`
            : ` (pip ${pipVersion} of ${python} downloads for a venv without pip)`) +
        (uv ? `; uv ${uv} installs them` : '; pip installs them'));
    const run = (step) => runStep(step, root, options, env);
    const uvCache = uv ? freshDir(options.tempDir ?? jobTemp(env), 'secure-pipeline-uv-cache-') : '';
    try {
        const { createVenv, download, install, removePip } = semgrepVenvSteps(root, options.requirementsFile, {
            python,
            pip,
            ...(uv ? { uv: { file: uv, cacheDir: uvCache } } : {})
        });
        await run(createVenv);
        const seeded = options.wheelCache
            ? await seedWheels(options.wheelCache, external_node_path_.join(root, 'wheels'), lock)
            : 0;
        if (seeded > 0 && (await run({ ...install, tolerate: true }))) {
            logger.info(`semgrep ${version}: installed from ${seeded} cached wheel(s) in ${options.wheelCache}`);
        }
        else {
            await run(download);
            await run(install);
        }
        if (removePip)
            await run(removePip);
    }
    finally {
        if (uv)
            (0,external_node_fs_.rmSync)(uvCache, { recursive: true, force: true });
    }
    if (options.wheelCache)
        keepWheels(external_node_path_.join(root, 'wheels'), options.wheelCache, logger);
    removeInstallerLeftovers(root);
    const problems = await venvProblems(root, lock, base);
    if (problems.length > 0) {
        (0,external_node_fs_.rmSync)(root, { recursive: true, force: true });
        throw new errors/* BrokenInputError */.YU('semgrep install', `the fresh install does not verify: ${problems.join('; ')}`);
    }
    return pythonCli(root, options.bytecodeDir);
}
/** Runs one install step; a failure removes the half-made install. With `tolerate`, says whether it worked. */
async function runStep(step, root, options, env) {
    const outcome = await (0,runtime_process/* runProcess */.R3)(step.file, step.args, {
        cwd: options.toolCache,
        deadlineMs: options.deadlineMs ?? 10 * 60_000,
        // An organisation's package mirror is configured the usual way; nothing else of the runner passes.
        env: (0,runtime_process/* childEnv */.gf)({
            PIP_NO_INPUT: '1',
            PIP_INDEX_URL: env.PIP_INDEX_URL,
            PIP_TRUSTED_HOST: env.PIP_TRUSTED_HOST,
            PYTHONDONTWRITEBYTECODE: '1'
        }, env)
    });
    if (outcome.exitCode === 0)
        return true;
    const why = outcome.timedOut ? 'timed out' : `exited ${outcome.exitCode ?? outcome.signal}`;
    const failure = `${step.label} ${why}: ${outcome.stderr.trim().slice(-500)}`;
    if (step.tolerate) {
        options.logger.warning(`semgrep: ${failure}; falling back to the package index`);
        return false;
    }
    (0,external_node_fs_.rmSync)(root, { recursive: true, force: true });
    throw new errors/* BrokenInputError */.YU('semgrep install', failure);
}
/** Regular `.whl` files of a directory (no links), by name; none when it does not exist. */
function wheelFiles(dir) {
    let names;
    try {
        names = (0,external_node_fs_.readdirSync)(dir);
    }
    catch {
        return [];
    }
    return names.filter(name => name.endsWith('.whl') && (0,external_node_fs_.lstatSync)(external_node_path_.join(dir, name)).isFile());
}
/** Copies the cached wheels the lock lists into the install's wheels/; returns how many. */
async function seedWheels(cache, wheels, lock) {
    (0,external_node_fs_.mkdirSync)(wheels, { recursive: true });
    let seeded = 0;
    for (const name of wheelFiles(cache)) {
        if (!lock.byDigest.has(await (0,download.sha256File)(external_node_path_.join(cache, name))))
            continue;
        (0,external_node_fs_.copyFileSync)(external_node_path_.join(cache, name), external_node_path_.join(wheels, name));
        seeded++;
    }
    return seeded;
}
/** Adds the install's wheels to the cache directory, for the next job. */
function keepWheels(wheels, cache, logger) {
    (0,external_node_fs_.mkdirSync)(cache, { recursive: true });
    const cached = new Set(wheelFiles(cache));
    const added = wheelFiles(wheels).filter(name => !cached.has(name));
    for (const name of added)
        (0,external_node_fs_.copyFileSync)(external_node_path_.join(wheels, name), external_node_path_.join(cache, name));
    if (added.length > 0)
        logger.info(`semgrep: ${added.length} wheel(s) kept in ${cache} for the next job`);
}


/***/ })

};
;