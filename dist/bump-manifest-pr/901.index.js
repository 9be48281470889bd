"use strict";
exports.id = 901;
exports.ids = [901];
exports.modules = {

/***/ 901:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  resolveDigest: () => (/* reexport */ resolveDigest)
});

// UNUSED EXPORTS: RegistryClient, RegistryError, anonymous, dockerConfigCredentials, formatPlatform, fromFirstAvailable, parsePlatform, runnerPlatform

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./packages/core/src/images/reference.ts
var images_reference = __webpack_require__(3757);
// EXTERNAL MODULE: ./packages/core/src/runtime/http.ts
var http = __webpack_require__(3032);
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

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/core/src/runtime/errors.ts
var errors = __webpack_require__(7115);
// EXTERNAL MODULE: ./packages/core/src/runtime/process.ts + 1 modules
var runtime_process = __webpack_require__(5350);
;// CONCATENATED MODULE: ./packages/core/src/registry/credentials.ts




const anonymous = async () => undefined;
/** Where docker, crane, trivy and grype look: $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
function dockerConfigPath(env) {
    if (env.DOCKER_CONFIG?.trim())
        return external_node_path_.join(env.DOCKER_CONFIG.trim(), 'config.json');
    return env.HOME ? external_node_path_.join(env.HOME, '.docker', 'config.json') : undefined;
}
/** Docker Hub's credentials are stored under its old index URL. */
const DOCKER_HUB_KEYS = [
    'https://index.docker.io/v1/',
    'index.docker.io',
    'docker.io',
    'registry-1.docker.io'
];
/** `https://ghcr.io/v1/` → `ghcr.io`: config keys are written with and without scheme and path. */
function hostOfKey(key) {
    return key
        .replace(/^[a-z]+:\/\//i, '')
        .replace(/\/.*$/, '')
        .toLowerCase();
}
function keysFor(registry) {
    if (registry === 'docker.io')
        return key => DOCKER_HUB_KEYS.includes(key) || DOCKER_HUB_KEYS.includes(hostOfKey(key));
    return key => hostOfKey(key) === registry;
}
function readConfig(file) {
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw new errors/* ConfigurationError */.j1(`The docker credentials file ${file} cannot be read: ${error.message}`);
    }
    try {
        const parsed = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
            throw new Error('not an object');
        return parsed;
    }
    catch {
        throw new errors/* ConfigurationError */.j1(`The docker credentials file ${file} is not valid JSON; log in again or fix it.`);
    }
}
function fromAuthEntry(entry) {
    if (entry.registrytoken)
        return { registryToken: entry.registrytoken };
    if (entry.identitytoken)
        return { identityToken: entry.identitytoken, username: entry.username };
    if (entry.username && entry.password)
        return { username: entry.username, password: entry.password };
    if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0)
            return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    return undefined;
}
const HELPER_NAME = /^[a-z0-9][a-z0-9._-]*$/i;
/**
 * `docker-credential-<helper> get`, the server URL on stdin, as docker runs it. The helper gets the
 * allowlisted environment like every child; a helper that needs cloud credentials reads its own files.
 */
const runCredentialHelper = async (helper, serverUrl) => {
    if (!HELPER_NAME.test(helper))
        throw new errors/* ConfigurationError */.j1(`The docker credential helper name '${helper}' is not valid.`);
    const program = `docker-credential-${helper}`;
    const outcome = await (0,runtime_process/* runProcess */.R3)(program, ['get'], {
        cwd: process.cwd(),
        deadlineMs: 30_000,
        env: (0,runtime_process/* childEnv */.gf)(),
        input: serverUrl,
        maxStdoutBytes: 64 * 1024
    });
    if (outcome.exitCode !== 0) {
        if (/credentials not found/i.test(outcome.stdout + outcome.stderr))
            return undefined;
        throw new errors/* ConfigurationError */.j1(`${program} failed for ${serverUrl} (exit ${outcome.exitCode ?? outcome.signal}); log in again.`);
    }
    let answer;
    try {
        answer = JSON.parse(outcome.stdout);
    }
    catch {
        throw new errors/* ConfigurationError */.j1(`${program} answered something other than JSON for ${serverUrl}.`);
    }
    if (!answer.Secret)
        return undefined;
    // Docker's convention: the user name `<token>` marks an identity token.
    if (answer.Username === '<token>')
        return { identityToken: answer.Secret };
    return { username: answer.Username, password: answer.Secret };
};
/**
 * The standard docker credentials: `auths` entries of the config file, then `credHelpers` for the host,
 * then `credsStore`. Read once per registry per run. Without a config file every registry is anonymous.
 */
function dockerConfigCredentials(env = process.env, runHelper = runCredentialHelper) {
    const file = dockerConfigPath(env);
    let config = null;
    const seen = new Map();
    const lookup = async (registry) => {
        if (config === null)
            config = file ? readConfig(file) : undefined;
        if (!config)
            return undefined;
        const matches = keysFor(registry);
        const entry = Object.entries(config.auths ?? {}).find(([key]) => matches(key))?.[1];
        const fromFile = entry ? fromAuthEntry(entry) : undefined;
        if (fromFile)
            return fromFile;
        const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => matches(key))?.[1] ?? config.credsStore;
        if (!helper)
            return undefined;
        return runHelper(helper, registry === 'docker.io' ? DOCKER_HUB_KEYS[0] : registry);
    };
    return registry => {
        let answer = seen.get(registry);
        if (!answer)
            seen.set(registry, (answer = lookup(registry)));
        return answer;
    };
}

;// CONCATENATED MODULE: ./packages/core/src/registry/digest.ts

/** The digest algorithms the OCI image spec registers; anything else is refused. One rule with references. */

function algorithmOf(digest) {
    return digest.startsWith('sha512:') ? 'sha512' : 'sha256';
}
/** The digest of `bytes` with the algorithm `like` uses (sha256 by default). */
function digestOf(bytes, like = 'sha256:') {
    const algorithm = algorithmOf(like);
    return `${algorithm}:${(0,external_node_crypto_.createHash)(algorithm).update(bytes).digest('hex')}`;
}

;// CONCATENATED MODULE: ./packages/core/src/registry/errors.ts

/** A registry answer that cannot be used; never to be read as "nothing there". */
class RegistryError extends errors/* BrokenInputError */.YU {
    reference;
    reason;
    status;
    name = 'RegistryError';
    constructor(
    /** The image or repository reference asked about. */
    reference, reason, message, 
    /** The HTTP status of the last answer, when there was one. */
    status) {
        super(reference, message);
        this.reference = reference;
        this.reason = reason;
        this.status = status;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/runtime/go-keys.ts
/*
 * Files a pull request controls are also read by Go programs (image documents by the engine, crane,
 * skopeo and container runtimes; osv-scanner.toml by osv-scanner through BurntSushi/toml), and Go's
 * encoding/json and BurntSushi/toml match a key to a struct field case-insensitively when no key is
 * spelt exactly, the last matching key winning: `{"rootfs": A, "RootFS": B}` is B to them and A to
 * JSON.parse. A document that names a field we read under a second spelling is refused, so that what we
 * read is what they read.
 */
/**
 * A key folded so that every two keys Go's encoding/json takes for one field fold alike (`ſ` is `s`,
 * the Kelvin sign `k`); it folds a few more alike (`ﬀ` and `ff`), which only refuses a stranger key.
 */
const fold = (key) => 
// ASCII (nearly every key) folds as a whole; a lockfile holds millions of keys.
!/[^\x20-\x7e]/.test(key)
    ? key.toUpperCase()
    : [...key].map(char => char.toLowerCase().toUpperCase()).join('');
/** The first key of `object` that Go would read as one of `fields` but is not spelt as it, as `'field' and 'key'`. */
function goKeyTwin(object, fields) {
    const folded = new Map(fields.map(field => [fold(field), field]));
    for (const key of Object.keys(object)) {
        const field = folded.get(fold(key));
        if (field !== undefined && field !== key)
            return `'${field}' and '${key}'`;
    }
    return undefined;
}
function goFields(fields) {
    return Object.assign(new Set(fields.map(fold)), { folded: true });
}
/**
 * The first two keys of `object` that Go's encoding/json may read as one struct field, as `'a' and 'A'`:
 * the last of them is what a Go reader keeps. Only keys that fold to one of `fields` count: Go reads the
 * keys of a map (package names, install paths) as spelt, so `JSONStream` beside `jsonstream` is two keys.
 */
function goKeyClash(object, fields) {
    const seen = new Map();
    for (const key of Object.keys(object)) {
        const folded = fold(key);
        if (!fields.has(folded))
            continue;
        const earlier = seen.get(folded);
        if (earlier !== undefined)
            return `'${earlier}' and '${key}'`;
        seen.set(folded, key);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./packages/core/src/registry/media-types.ts
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** What we ask a registry for: images and indexes, OCI and Docker v2. Schema 1 is not read. */
const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ');
const isIndexMediaType = (mediaType) => mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
const isManifestMediaType = (mediaType) => mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST;

;// CONCATENATED MODULE: ./packages/core/src/registry/manifest.ts



/*
 * The OCI image manifest and index (image-spec v1.1) as far as this code reads them, checked by hand:
 * a schema library here cost every image-scan run 10 to 20 ms of start-up. Problems are collected with
 * their path (`layers.0.digest`), the first three reported. Unknown fields pass, as the spec requires.
 */
const DESCRIPTOR_FIELDS = ['mediaType', 'digest', 'size', 'platform', 'annotations', 'artifactType'];
const DOCUMENT_FIELDS = ['schemaVersion', 'mediaType', 'config', 'layers', 'manifests', 'annotations'];
class Shape {
    problems = [];
    fail(path, message) {
        this.problems.push(`${path || '(root)'}: ${message}`);
    }
    object(value, path, fields = []) {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            this.fail(path, 'expected an object');
            return undefined;
        }
        // What a Go reader (the engine, crane, a container runtime) takes as one field must read as one here.
        const twin = goKeyTwin(value, fields);
        if (twin)
            this.fail(path, `gives ${twin}, one field to Go-based tools, which read the last`);
        return value;
    }
    text(value, path, { optional = false, nonEmpty = true } = {}) {
        if (value === undefined && optional)
            return;
        if (typeof value !== 'string')
            this.fail(path, 'expected a string');
        else if (nonEmpty && value === '')
            this.fail(path, 'must not be empty');
    }
    strings(value, path) {
        if (value === undefined)
            return;
        const object = this.object(value, path);
        for (const [key, item] of Object.entries(object ?? {}))
            this.text(item, `${path}.${key}`, { nonEmpty: false });
    }
    descriptor(value, path) {
        const d = this.object(value, path, DESCRIPTOR_FIELDS);
        if (!d)
            return;
        this.text(d.mediaType, `${path}.mediaType`);
        if (typeof d.digest !== 'string' || !(0,images_reference/* isDigest */.Bc)(d.digest))
            this.fail(`${path}.digest`, 'must be sha256:<64 hex> or sha512:<128 hex>');
        if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0)
            this.fail(`${path}.size`, 'must be a whole number of bytes, 0 to 2^53 - 1');
        if (d.platform !== undefined) {
            const platform = this.object(d.platform, `${path}.platform`, ['os', 'architecture', 'variant']);
            if (platform) {
                this.text(platform.os, `${path}.platform.os`);
                this.text(platform.architecture, `${path}.platform.architecture`);
                this.text(platform.variant, `${path}.platform.variant`, { optional: true });
            }
        }
        this.strings(d.annotations, `${path}.annotations`);
        this.text(d.artifactType, `${path}.artifactType`, { optional: true, nonEmpty: false });
    }
    descriptors(value, path) {
        if (!Array.isArray(value))
            return this.fail(path, 'expected an array');
        value.forEach((item, i) => this.descriptor(item, `${path}.${i}`));
    }
    document(body, isIndex) {
        this.object(body, '', DOCUMENT_FIELDS);
        if (body.schemaVersion !== 2)
            this.fail('schemaVersion', 'must be 2');
        this.text(body.mediaType, 'mediaType', { optional: true, nonEmpty: false });
        this.strings(body.annotations, 'annotations');
        if (isIndex)
            return this.descriptors(body.manifests, 'manifests');
        this.text(body.artifactType, 'artifactType', { optional: true, nonEmpty: false });
        this.descriptor(body.config, 'config');
        this.descriptors(body.layers, 'layers');
    }
}
/**
 * An image manifest or index from its bytes. The media type the document declares wins over the one
 * the server sent (`contentType`), and the two must not contradict each other: a body that claims to be
 * one thing and is served as another is not guessed at. Throws an Error saying what is wrong.
 */
function parseManifest(bytes, contentType) {
    let json;
    try {
        json = JSON.parse(Buffer.from(bytes).toString('utf8'));
    }
    catch {
        throw new Error('the manifest is not JSON');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
        throw new Error('the manifest is not a JSON object');
    const body = json;
    const declared = typeof body.mediaType === 'string' ? body.mediaType : undefined;
    const served = contentType?.split(';')[0]?.trim();
    const servedKnown = isIndexMediaType(served) || isManifestMediaType(served);
    if (declared && servedKnown && isIndexMediaType(declared) !== isIndexMediaType(served))
        throw new Error(`the manifest says it is ${declared} but was served as ${served}`);
    if (body.schemaVersion === 1)
        throw new Error('schema 1 manifests are not supported; push the image again with a current client');
    const mediaType = declared ?? (servedKnown ? served : undefined);
    const isIndex = mediaType ? isIndexMediaType(mediaType) : Array.isArray(body.manifests);
    const shape = new Shape();
    shape.document(body, isIndex);
    if (shape.problems.length > 0)
        throw new Error(`the ${isIndex ? 'index' : 'manifest'} is malformed: ${shape.problems.slice(0, 3).join('; ')}`);
    if (isIndex) {
        const index = body;
        return { kind: 'index', mediaType: mediaType ?? 'application/vnd.oci.image.index.v1+json', index };
    }
    const manifest = body;
    return { kind: 'manifest', mediaType: mediaType ?? 'application/vnd.oci.image.manifest.v1+json', manifest };
}

;// CONCATENATED MODULE: ./packages/core/src/registry/platform.ts

const PART = /^[a-z0-9][a-z0-9._-]*$/;
/** `linux/arm64/v8` → {os, architecture, variant}; `setting` names what the text came from in an error. */
function parsePlatform(text, setting = 'The platform') {
    const parts = text.trim().toLowerCase().split('/');
    if (parts.length < 2 || parts.length > 3 || !parts.every(part => PART.test(part)))
        throw new ConfigurationError(`${setting} must be os/arch or os/arch/variant, like linux/arm64; got '${text}'.`);
    const [os, architecture, variant] = parts;
    return variant ? { os, architecture, variant } : { os, architecture };
}
function formatPlatform(platform) {
    return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}
const GO_ARCH = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64' };
/** The platform of this runner in the registry's words (Node's `x64` is `amd64`). */
function runnerPlatform(arch = process.arch) {
    return { os: 'linux', architecture: GO_ARCH[arch] ?? arch };
}
/** arm64 images usually say no variant or `v8`; both mean the same. */
function variantOf(platform) {
    if (platform.architecture === 'arm64' && (platform.variant === undefined || platform.variant === 'v8'))
        return 'v8';
    return platform.variant;
}
/**
 * The first entry of an index that runs on `wanted`: same os and architecture, and the same variant
 * when one is asked for. An entry without a platform (attestations, other artifacts) never matches.
 */
function selectPlatform(entries, wanted) {
    const candidates = entries.filter(entry => entry.platform?.os === wanted.os && entry.platform.architecture === wanted.architecture);
    if (wanted.variant === undefined && wanted.architecture !== 'arm64')
        return candidates[0];
    return candidates.find(entry => entry.platform && variantOf(entry.platform) === variantOf(wanted));
}
function samePlatform(a, b) {
    return (a.os === b.os &&
        a.architecture === b.architecture &&
        (b.variant === undefined || variantOf(a) === variantOf(b)));
}

;// CONCATENATED MODULE: ./packages/core/src/registry/challenge.ts
/**
 * The first challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1), e.g.
 * `Bearer realm="https://auth.example/token",service="registry",scope="repository:o/app:pull"`.
 * Quoted values may hold commas and backslash escapes. Undefined when there is no scheme.
 */
function parseChallenge(header) {
    if (!header)
        return undefined;
    const scheme = /^\s*([A-Za-z][\w!#$%&'*+.^`|~-]*)/.exec(header);
    if (!scheme)
        return undefined;
    const params = {};
    const rest = header.slice(scheme[0].length);
    const param = /\s*,?\s*([\w!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/gy;
    let match;
    while ((match = param.exec(rest)) !== null) {
        const name = match[1].toLowerCase();
        // A second scheme (`, Basic realm=…`) ends the first challenge.
        if (match[2] === undefined && match[3] === undefined)
            break;
        params[name] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
    }
    return { scheme: scheme[1].toLowerCase(), params };
}

// EXTERNAL MODULE: ./packages/core/src/runtime/loopback.ts
var loopback = __webpack_require__(3705);
;// CONCATENATED MODULE: ./packages/core/src/registry/endpoint.ts

/** Docker Hub's API lives on another host than the name references use. */
const DOCKER_HUB_API = 'registry-1.docker.io';
/**
 * The base URL of a registry's API. https always, except on the loopback interface, where a test or
 * a local registry listens without TLS (as docker and crane also assume).
 */
function registryBaseUrl(registry) {
    const host = registry === 'docker.io' ? DOCKER_HUB_API : registry;
    return `${(0,loopback/* isLoopbackHost */.cW)(host) ? 'http' : 'https'}://${host}`;
}

;// CONCATENATED MODULE: ./packages/core/src/registry/transport.ts




const REGISTRY_RETRY = {
    maxAttempts: 4,
    baseDelayMs: 1_000,
    maxDelayMs: 30_000,
    attemptTimeoutMs: 300_000
};
/** One attempt's signal: its own deadline, and the run's cancellation when there is one. */
function attemptSignal(deps) {
    const deadline = AbortSignal.timeout(deps.retry.attemptTimeoutMs);
    return deps.cancel ? AbortSignal.any([deadline, deps.cancel]) : deadline;
}
function throwIfCancelled(deps, what) {
    if (deps.cancel?.aborted)
        throw new errors/* CancelledError */.cc(`${what}: given up, another part of the run failed`);
}
/** A failure worth another attempt: a 429 or 5xx, a reset connection, a body cut short. */
class Retryable extends Error {
    retryAfterMs;
    status;
    constructor(message, retryAfterMs, status) {
        super(message);
        this.retryAfterMs = retryAfterMs;
        this.status = status;
    }
}
/**
 * An answer refused for what it is (a redirect to plain http, one redirect too many, a body over its
 * limit): not worth another attempt, but the registry's fault, so another mirror may still answer.
 */
class Refused extends Error {
}
/**
 * Runs `attempt` until it succeeds, retrying a `Retryable` with exponential backoff (or the server's
 * Retry-After, capped) up to the policy's attempts; then fails as `unavailable`.
 */
async function withRetries(reference, what, deps, attempt) {
    const { retry } = deps;
    for (let n = 1;; n++) {
        throwIfCancelled(deps, what);
        try {
            return await attempt();
        }
        catch (error) {
            // An aborted attempt fails however the abort surfaced (a reset, a body cut short): never retried.
            throwIfCancelled(deps, what);
            if (error instanceof Refused)
                throw new RegistryError(reference, 'invalid', `${what}: ${error.message}.`);
            if (!(error instanceof Retryable))
                throw error;
            if (n >= retry.maxAttempts)
                throw new RegistryError(reference, 'unavailable', `${what} failed after ${n} attempts: ${error.message}`, error.status);
            const wait = Math.min(retry.maxDelayMs, error.retryAfterMs ?? backoffDelay(retry.baseDelayMs, n));
            deps.logger?.warning(`${what}: ${error.message}; retry ${n} of ${retry.maxAttempts - 1} in ${wait} ms.`);
            await deps.sleep(wait, deps.cancel);
        }
    }
}
const MAX_REDIRECTS = 5;
/**
 * One HTTP exchange with redirects followed by hand: a redirect may lead to blob storage on another
 * host, which must never see the registry's Authorization header nor a request body, and never to
 * plain http off the loopback interface. A network failure or a retryable status becomes `Retryable`; other answers,
 * errors included, are returned for the caller to judge.
 */
async function exchange(url, init, deps, signal) {
    const first = new URL(url);
    let current = first;
    let headers = init.headers;
    for (let hop = 0;; hop++) {
        let response;
        try {
            response = await deps.fetch(current, { ...init, headers, signal });
        }
        catch (error) {
            // A proxy variable that is no URL, or credentials the proxy refuses: no retry or mirror fixes those.
            if (error instanceof errors/* ConfigurationError */.j1)
                throw error;
            throw new Retryable(`${current.host}: ${describeNetworkError(error, deps.retry.attemptTimeoutMs)}`);
        }
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
            await discard(response);
            if (hop >= MAX_REDIRECTS)
                throw new Refused(`more than ${MAX_REDIRECTS} redirects from ${url}`);
            const next = URL.parse(location, current.href);
            if (!next)
                throw new Refused(`${current.host} redirects to ${JSON.stringify(location)}, which is no URL`);
            if (!mayLeadTo(current, next))
                throw new Refused(`refusing a redirect from ${current.host} to ${next.protocol}//${next.host}`);
            if (next.origin !== current.origin) {
                // A POST's body is the token request itself (a refresh token): it goes to no host but the one asked.
                if (init.body !== undefined)
                    throw new Refused(`refusing to send a ${init.method} from ${current.host} on to ${next.host}`);
                headers = withoutAuthorization(headers);
            }
            current = next;
            continue;
        }
        // A challenge belongs to the host that was asked: answered here, the registry's credentials would go
        // to whatever token endpoint the storage it redirected to names.
        if (response.status === 401 && current.origin !== first.origin) {
            await discard(response);
            throw new Refused(`${current.host}, where ${first.host} redirected, answered HTTP 401; its challenge is not answered with the credentials for ${first.host}`);
        }
        if (RETRYABLE_STATUS.has(response.status)) {
            await discard(response);
            throw new Retryable(`HTTP ${response.status} from ${current.host}`, parseRetryAfter(response.headers.get('retry-after')), response.status);
        }
        return response;
    }
}
/**
 * Where an answer from `from` may send the client (a redirect, a token endpoint): https, and plain http
 * only on the loopback interface, which only a registry on it may name: from anywhere else that is a
 * port of the runner (a docker daemon, a process an earlier step left listening) chosen by a stranger.
 */
function mayLeadTo(from, to) {
    return (0,loopback/* isSafeUrl */.FY)(to) && ((0,loopback/* isLoopbackName */.xX)(from.hostname) || !(0,loopback/* isLoopbackName */.xX)(to.hostname));
}
function withoutAuthorization(headers) {
    return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}
async function discard(response) {
    await response.body?.cancel().catch(() => undefined);
}
/** The whole body, refused past `maxBytes` (a manifest or token answer is small; a hostile one is not). */
async function readCapped(response, maxBytes, what) {
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
        await discard(response);
        throw new Refused(`${what} is ${declared} bytes, over the ${maxBytes}-byte limit`);
    }
    const chunks = [];
    let size = 0;
    if (!response.body)
        return Buffer.alloc(0);
    try {
        for await (const chunk of response.body) {
            size += chunk.length;
            if (size > maxBytes) {
                await discard(response);
                throw new Refused(`${what} is over the ${maxBytes}-byte limit`);
            }
            chunks.push(Buffer.from(chunk));
        }
    }
    catch (error) {
        if (size > maxBytes)
            throw error;
        throw new Retryable(`${what} was cut short after ${size} bytes: ${describeNetworkError(error)}`);
    }
    return Buffer.concat(chunks);
}

;// CONCATENATED MODULE: ./packages/core/src/registry/session.ts




const MAX_TOKEN_BYTES = 1024 * 1024;
/** The distribution spec's default when a token answer gives no lifetime. */
const DEFAULT_TOKEN_SECONDS = 60;
/**
 * Everything spoken with one registry: its base URL, the credential from the docker config, and the
 * tokens the bearer flow gave for each scope. A request is sent anonymously first (or with a token
 * already held); a 401 with a challenge gets one handshake (Bearer: a token from the realm, with the
 * credential when there is one; Basic: the credential) and one more try.
 */
class RegistrySession {
    registry;
    credentials;
    deps;
    base;
    tokens = new Map();
    basic;
    constructor(registry, credentials, deps) {
        this.registry = registry;
        this.credentials = credentials;
        this.deps = deps;
        this.base = registryBaseUrl(registry);
    }
    /**
     * Sends a request, with retries, redirects and authentication, and gives a 2xx answer to `read`,
     * inside the same attempt: a body cut short is retried like a 503. 401/403 are `unauthorized`,
     * 404 `not-found`, any other answer `invalid`.
     */
    request(request, read) {
        return withRetries(request.reference, request.what, this.deps, async () => {
            const signal = attemptSignal(this.deps);
            let response = await this.send(request, signal);
            if (response.status === 401) {
                const challenge = parseChallenge(response.headers.get('www-authenticate'));
                await discard(response);
                if (!(await this.authenticate(challenge, request, signal)))
                    throw this.failure(request, 401);
                response = await this.send(request, signal);
            }
            if (response.ok)
                return read(response);
            await discard(response);
            throw this.failure(request, response.status);
        });
    }
    send(request, signal) {
        const headers = { 'user-agent': 'secure-pipeline' };
        if (request.accept)
            headers.accept = request.accept;
        const auth = this.authorizationFor(request.scope);
        if (auth)
            headers.authorization = auth;
        return exchange(`${this.base}${request.path}`, { method: request.method, headers }, this.deps, signal);
    }
    authorizationFor(scope) {
        const token = this.tokens.get(scope);
        if (token && token.expires > Date.now())
            return token.header;
        return this.basic;
    }
    failure(request, status) {
        const where = `${request.what} (${this.registry})`;
        if (status === 401)
            return new RegistryError(request.reference, 'unauthorized', `${where}: HTTP 401, the credentials were refused or none were found; log in to ${this.registry} (docker login) or check DOCKER_CONFIG.`, status);
        if (status === 403)
            return new RegistryError(request.reference, 'unauthorized', `${where}: HTTP 403, access denied for these credentials.`, status);
        if (status === 404)
            return new RegistryError(request.reference, 'not-found', `${where}: HTTP 404, not found.`, status);
        return new RegistryError(request.reference, 'invalid', `${where}: unexpected HTTP ${status}.`, status);
    }
    /** Answers a challenge; false when there is nothing to answer it with. */
    async authenticate(challenge, request, signal) {
        const credential = await this.credentials(this.registry);
        if (challenge?.scheme === 'basic') {
            if (!credential?.username || credential.password === undefined || this.basic)
                return false;
            this.basic = basicHeader(credential);
            return true;
        }
        if (challenge?.scheme !== 'bearer' || !challenge.params.realm)
            return false;
        if (credential?.registryToken) {
            this.tokens.set(request.scope, { header: `Bearer ${credential.registryToken}`, expires: Infinity });
            return true;
        }
        this.tokens.set(request.scope, await this.fetchToken(challenge, request, credential, signal));
        return true;
    }
    async fetchToken(challenge, request, credential, signal) {
        let realm;
        try {
            realm = new URL(challenge.params.realm);
        }
        catch {
            throw new RegistryError(request.reference, 'invalid', `${this.registry} names a token endpoint that is no URL.`);
        }
        // The token and whatever credential goes with it only travel over TLS (or stay on this machine).
        if (!mayLeadTo(new URL(this.base), realm))
            throw new RegistryError(request.reference, 'unauthorized', `${this.registry} sends clients to ${realm.protocol}//${realm.host} for a token; refusing a token endpoint without https, or on this machine for a registry that is not.`);
        const scope = challenge.params.scope ?? request.scope;
        const headers = { 'user-agent': 'secure-pipeline', accept: 'application/json' };
        let response;
        if (credential?.identityToken) {
            const form = new URLSearchParams({
                grant_type: 'refresh_token',
                refresh_token: credential.identityToken,
                client_id: 'secure-pipeline',
                scope
            });
            if (challenge.params.service)
                form.set('service', challenge.params.service);
            headers['content-type'] = 'application/x-www-form-urlencoded';
            response = await exchange(realm.href, { method: 'POST', headers, body: form.toString() }, this.deps, signal);
        }
        else {
            if (challenge.params.service)
                realm.searchParams.set('service', challenge.params.service);
            realm.searchParams.set('scope', scope);
            if (credential?.username && credential.password !== undefined)
                headers.authorization = basicHeader(credential);
            response = await exchange(realm.href, { method: 'GET', headers }, this.deps, signal);
        }
        if (!response.ok) {
            await discard(response);
            throw new RegistryError(request.reference, 'unauthorized', `the token endpoint of ${this.registry} answered HTTP ${response.status}${credential ? ' to the stored credentials' : ' to an anonymous request'}; log in (docker login) or check DOCKER_CONFIG.`, response.status);
        }
        const body = await readCapped(response, MAX_TOKEN_BYTES, 'the token answer');
        const answer = parseTokenAnswer(body);
        if (!answer)
            throw new RegistryError(request.reference, 'invalid', `the token endpoint of ${this.registry} gave no token.`);
        return { header: `Bearer ${answer.token}`, expires: Date.now() + (answer.seconds - 5) * 1000 };
    }
}
function basicHeader(credential) {
    return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}
function parseTokenAnswer(body) {
    try {
        const json = JSON.parse(body.toString('utf8'));
        const token = typeof json.token === 'string' && json.token ? json.token : json.access_token;
        if (typeof token !== 'string' || !token || /[\r\n]/.test(token))
            return undefined;
        const seconds = typeof json.expires_in === 'number' && json.expires_in > 5 ? json.expires_in : DEFAULT_TOKEN_SECONDS;
        return { token, seconds };
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/registry/client.ts














/** The distribution spec lets registries refuse manifests over 4 MiB; nothing larger is read. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
const MAX_PLATFORMS_NAMED = 10;
/**
 * A read-only client of the OCI distribution API: manifests and indexes (HEAD and GET, every byte
 * checked against its digest), platform selection, and blobs streamed to disk and verified. Anonymous,
 * or with the standard docker credentials through the bearer-token flow; 429 and 5xx are retried with
 * backoff (Retry-After honoured). See `fromFirstAvailable` for ordered mirrors.
 */
class RegistryClient {
    options;
    sessions = new Map();
    deps;
    credentials;
    constructor(options = {}) {
        this.options = options;
        this.credentials = options.credentials ?? dockerConfigCredentials(options.env ?? process.env);
        this.deps = {
            fetch: options.fetch ?? http/* httpRequest */.aj,
            sleep: options.sleep ?? pause,
            logger: options.logger,
            retry: { ...REGISTRY_RETRY, ...options.retry },
            ...(options.cancel ? { cancel: options.cancel } : {})
        };
    }
    /**
     * The same client for work that `cancel` may call off: once aborted, its request in flight stops
     * and its calls fail with a CancelledError instead of retrying or moving on to another mirror.
     */
    cancelledBy(cancel) {
        return new RegistryClient({ ...this.options, credentials: this.credentials, cancel });
    }
    session(registry) {
        let session = this.sessions.get(registry);
        if (!session)
            this.sessions.set(registry, (session = new RegistrySession(registry, this.credentials, this.deps)));
        return session;
    }
    /**
     * The digest a reference names now, from a HEAD request (a GET when the registry sends no digest on
     * HEAD). A reference that already carries a digest is checked to exist and keeps it.
     */
    async resolveDigest(reference) {
        const ref = parseReference(reference);
        const target = ref.digest ?? ref.tag ?? 'latest';
        const head = await this.session(ref.registry).request(manifestRequest(ref, target, 'HEAD', 'Resolving'), async (response) => ({
            digest: statedDigest(response) ?? '',
            mediaType: response.headers.get('content-type')?.split(';')[0]?.trim() ?? ''
        }));
        if (ref.digest && (0,images_reference/* isDigest */.Bc)(head.digest) && head.digest !== ref.digest)
            throw new RegistryError(reference, 'integrity', `the registry says ${reference} has the digest ${head.digest}.`);
        if ((0,images_reference/* isDigest */.Bc)(head.digest) && head.mediaType)
            return { reference, ...head, pinned: pinnedName(ref, head.digest) };
        const { bytes: _bytes, index: _index, manifest: _manifest, ...resolved } = await this.fetchManifest(reference);
        return resolved;
    }
    /**
     * The manifest or index `reference` names (or `digest` in its repository), its bytes checked against
     * the digest asked for, or the one the registry states for a tag.
     */
    async fetchManifest(reference, digest) {
        const ref = parseReference(reference);
        const expected = digest ?? ref.digest;
        const target = expected ?? ref.tag ?? 'latest';
        const fetched = await this.session(ref.registry).request(manifestRequest(ref, target, 'GET', 'Fetching the manifest of'), async (response) => ({
            bytes: await readManifestBody(response),
            stated: statedDigest(response),
            contentType: response.headers.get('content-type') ?? undefined
        }));
        const actual = digestOf(fetched.bytes, expected ?? fetched.stated ?? 'sha256:');
        const claimed = expected ?? ((0,images_reference/* isDigest */.Bc)(fetched.stated) ? fetched.stated : undefined);
        if (claimed && claimed !== actual)
            throw new RegistryError(reference, 'integrity', `the manifest served for ${target} has the digest ${actual}, not ${claimed}; nothing from it is used.`);
        let parsed;
        try {
            parsed = parseManifest(fetched.bytes, fetched.contentType);
        }
        catch (error) {
            throw new RegistryError(reference, 'invalid', `${target}: ${error.message}.`);
        }
        return {
            reference,
            digest: actual,
            mediaType: parsed.mediaType,
            pinned: pinnedName(ref, actual),
            bytes: fetched.bytes,
            ...(parsed.kind === 'index' ? { index: parsed.index } : { manifest: parsed.manifest })
        };
    }
    /**
     * The one image a reference leads to. An index is narrowed to `platform` (default: this runner's,
     * linux/amd64 or linux/arm64); a single image is checked against `platform` when one is given.
     */
    async resolveImage(reference, platform) {
        const top = await this.fetchManifest(reference);
        if (top.manifest) {
            if (!platform)
                return { ...top, manifest: top.manifest };
            const actual = await this.imagePlatform(reference, top.manifest);
            if (!samePlatform(actual, platform))
                throw new RegistryError(reference, 'platform', `${reference} is a single ${formatPlatform(actual)} image, not ${formatPlatform(platform)}.`);
            return { ...top, manifest: top.manifest, platform: actual };
        }
        const wanted = platform ?? runnerPlatform();
        const entries = top.index?.manifests ?? [];
        const entry = selectPlatform(entries, wanted);
        if (!entry) {
            throw new RegistryError(reference, 'platform', `${reference} has no ${formatPlatform(wanted)} image (it has ${offeredPlatforms(entries)}).`);
        }
        const image = await this.fetchManifest(reference, entry.digest);
        if (!image.manifest)
            throw new RegistryError(reference, 'invalid', `the ${formatPlatform(wanted)} entry of ${reference} is another index; nested indexes are not followed.`);
        return {
            ...image,
            manifest: image.manifest,
            platform: entry.platform,
            index: top.index,
            indexDigest: top.digest
        };
    }
    async imagePlatform(reference, manifest) {
        const config = await this.fetchBlob(reference, manifest.config.digest, MAX_CONFIG_BYTES);
        try {
            const json = JSON.parse(config.toString('utf8'));
            if (typeof json.os === 'string' && typeof json.architecture === 'string')
                return {
                    os: json.os,
                    architecture: json.architecture,
                    ...(typeof json.variant === 'string' ? { variant: json.variant } : {})
                };
        }
        catch {
            // Handled below.
        }
        throw new RegistryError(reference, 'invalid', `the image config of ${reference} names no os and architecture.`);
    }
    /** A small blob (an image config) in memory, checked against its digest. */
    async fetchBlob(reference, digest, maxBytes) {
        const ref = parseReference(reference);
        const bytes = await this.session(ref.registry).request(blobRequest(ref, digest), response => readCapped(response, maxBytes, `blob ${digest}`));
        if (digestOf(bytes, digest) !== digest)
            throw new RegistryError(reference, 'integrity', `blob ${digest} of ${reference} does not match its digest; nothing from it is used.`);
        return bytes;
    }
    /**
     * Streams a blob to `dest` (which is replaced), hashing as it goes; a body cut short is fetched
     * again, and bytes that do not match the digest are deleted before this throws.
     */
    async downloadBlob(reference, digest, dest, maxBytes) {
        const ref = parseReference(reference);
        try {
            await this.session(ref.registry).request(blobRequest(ref, digest), response => streamVerified(response, reference, digest, dest, maxBytes));
        }
        catch (error) {
            await (0,promises_.rm)(dest, { force: true });
            throw error;
        }
    }
}
/** Each platform once, the first ten: an index may list thousands, and this ends up in one error line. */
function offeredPlatforms(entries) {
    const offered = [...new Set(entries.flatMap(e => (e.platform ? [formatPlatform(e.platform)] : [])))];
    if (offered.length === 0)
        return 'no platform images';
    const more = offered.length - MAX_PLATFORMS_NAMED;
    return more > 0
        ? `${offered.slice(0, MAX_PLATFORMS_NAMED).join(', ')} and ${more} more`
        : offered.join(', ');
}
function parseReference(reference) {
    const ref = (0,images_reference/* parseImageRef */.Q)(reference);
    if (!(0,images_reference/* isRepositoryPath */.og)(ref.repository) || (ref.digest !== undefined && !(0,images_reference/* isDigest */.Bc)(ref.digest)))
        throw new RegistryError(reference, 'invalid', `'${reference}' is not an image reference like registry.example/name:tag or name@sha256:<64 hex>.`);
    if (ref.tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(ref.tag))
        throw new RegistryError(reference, 'invalid', `'${ref.tag}' is not a valid tag.`);
    return ref;
}
function pinnedName(ref, digest) {
    return `${(0,images_reference/* splitReference */.mQ)(ref.raw.trim()).name}@${digest}`;
}
function manifestRequest(ref, target, method, verb) {
    return {
        method,
        path: `/v2/${ref.repository}/manifests/${target}`,
        accept: MANIFEST_ACCEPT,
        scope: `repository:${ref.repository}:pull`,
        reference: ref.raw,
        what: `${verb} ${ref.raw}`
    };
}
function blobRequest(ref, digest) {
    if (!(0,images_reference/* isDigest */.Bc)(digest))
        throw new RegistryError(ref.raw, 'invalid', `'${digest}' is not a digest.`);
    return {
        method: 'GET',
        path: `/v2/${ref.repository}/blobs/${digest}`,
        scope: `repository:${ref.repository}:pull`,
        reference: ref.raw,
        what: `Downloading blob ${digest.slice(0, 19)} of ${ref.raw}`
    };
}
/**
 * The digest the registry states for its answer. Hex in upper case is the same digest; read as no digest,
 * a header naming other bytes than the body went unchecked.
 */
function statedDigest(response) {
    return response.headers.get('docker-content-digest')?.trim().toLowerCase() || undefined;
}
async function readManifestBody(response) {
    return readCapped(response, MAX_MANIFEST_BYTES, 'the manifest');
}
async function streamVerified(response, reference, digest, dest, maxBytes) {
    const hash = (0,external_node_crypto_.createHash)(algorithmOf(digest));
    const body = await writeResponseFile(response, dest, maxBytes, chunk => hash.update(chunk));
    if (body.kind === 'too-large')
        throw new RegistryError(reference, 'invalid', `blob ${digest} is over the ${maxBytes}-byte limit.`);
    if (body.kind === 'no-body')
        throw new Retryable(`blob ${digest}: the answer had no body`);
    if (body.kind === 'cut')
        throw new Retryable(`blob ${digest} was cut short after ${body.bytes} bytes: ${describeNetworkError(body.error)}`);
    const actual = `${algorithmOf(digest)}:${hash.digest('hex')}`;
    if (actual !== digest) {
        await (0,promises_.rm)(dest, { force: true });
        throw new RegistryError(reference, 'integrity', `blob ${digest} of ${reference} arrived as ${actual}; the file was deleted and nothing from it is used.`);
    }
}
/** The digest a reference names now: what to pin it by. See `RegistryClient.resolveDigest`. */
function resolveDigest(reference, options = {}) {
    return new RegistryClient(options).resolveDigest(reference);
}

;// CONCATENATED MODULE: ./packages/core/src/registry/index.ts
// An OCI distribution client: manifests, indexes, platforms, verified blobs, docker credentials, mirrors.







/***/ }),

/***/ 3032:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cq: () => (/* binding */ httpMessage),
/* harmony export */   EN: () => (/* binding */ bodyOf),
/* harmony export */   aj: () => (/* binding */ httpRequest)
/* harmony export */ });
/* harmony import */ var _proxy_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2638);

/**
 * One HTTP(S) request through node:http, redirects not followed (the caller decides where they may
 * lead), through the proxy the environment names for this URL (runtime/proxy.ts). Node's global fetch
 * loads undici and compiles its HTTP parser on first use, 25 to 40 ms of a run that asks a registry one
 * or two questions; node:http is already half loaded. The proxy code is loaded only when a proxy is
 * used. Aborting the signal fails the request, or the body read, with the signal's reason.
 */
async function httpRequest(url, init) {
    return responseOf(await httpMessage(url, init), init.signal);
}
/** `httpRequest`'s answer as node:http gives it (status, raw headers, body stream), for adapters. */
async function httpMessage(url, init) {
    const proxy = (0,_proxy_js__WEBPACK_IMPORTED_MODULE_0__/* .proxyFor */ .iJ)(url, init.env ?? process.env);
    if (proxy) {
        const { proxiedRequest } = await __webpack_require__.e(/* import() */ 53).then(__webpack_require__.bind(__webpack_require__, 4053));
        return send(proxiedRequest(url, init, proxy), init);
    }
    const transport = process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http');
    return send(transport.request(url, { method: init.method, headers: init.headers, signal: init.signal }), init);
}
/** Sends the body and resolves with the answer's head; the body is read from the message. */
function send(request, init) {
    return new Promise((resolve, reject) => {
        // Kept for the request's life: an error after the answer came (a reset) must not go unheard.
        // An aborted request fails with the signal's reason (TimeoutError for a deadline), as fetch's does:
        // Node's own AbortError is one Octokit's retry plugin never retries.
        request.on('error', error => reject(init.signal?.aborted ? init.signal.reason : error));
        request.once('response', (message) => {
            // A body nobody reads holds its socket, and the socket holds the process: HEAD answers have none.
            if (init.method === 'HEAD')
                message.resume();
            resolve(message);
        });
        request.end(init.body);
    });
}
/** The body as `signal` ends it: an aborted read fails with the signal's reason, as fetch's does. */
async function* bodyOf(message, signal) {
    try {
        yield* message;
    }
    catch (error) {
        // An aborted request resets the socket; say why, as fetch does (AbortError, TimeoutError).
        throw signal?.aborted ? signal.reason : error;
    }
}
function responseOf(message, signal) {
    const status = message.statusCode ?? 0;
    return {
        status,
        ok: status >= 200 && status < 300,
        headers: {
            get(name) {
                const value = message.headers[name.toLowerCase()];
                if (value === undefined)
                    return null;
                return Array.isArray(value) ? value.join(', ') : value;
            }
        },
        body: {
            [Symbol.asyncIterator]: () => bodyOf(message, signal),
            cancel() {
                message.destroy();
                return Promise.resolve();
            }
        }
    };
}


/***/ }),

/***/ 3705:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FY: () => (/* binding */ isSafeUrl),
/* harmony export */   cW: () => (/* binding */ isLoopbackHost),
/* harmony export */   xX: () => (/* binding */ isLoopbackName)
/* harmony export */ });
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_0__);

const LOOPBACK = new node_net__WEBPACK_IMPORTED_MODULE_0__.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
/**
 * localhost, 127.0.0.0/8 and ::1 (a URL's hostname, with or without IPv6 brackets): this machine, the
 * only place spoken to over plain http and never through a proxy.
 */
function isLoopbackName(hostname) {
    const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const family = (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host);
    if (family === 0)
        return host === 'localhost';
    return LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
/** The same for `host[:port]`: a URL's host, or a registry's name. */
function isLoopbackHost(hostWithPort) {
    const host = hostWithPort.startsWith('[')
        ? hostWithPort.slice(0, hostWithPort.indexOf(']') + 1)
        : hostWithPort.replace(/:\d+$/, '');
    return isLoopbackName(host);
}
/** A URL credentials or tokens may be sent to: https, or http on the loopback interface. */
function isSafeUrl(url) {
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackName(url.hostname));
}


/***/ }),

/***/ 2638:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   iJ: () => (/* binding */ proxyFor)
/* harmony export */ });
/* unused harmony exports parseProxyUrl, redactUserinfo, bypasses */
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _loopback_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3705);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7115);



function proxyFor(target, env) {
    if (target.protocol !== 'https:' && target.protocol !== 'http:')
        return undefined;
    const scheme = target.protocol.slice(0, -1);
    const variable = firstSet(env, `${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`);
    if (!variable)
        return undefined;
    // Parsed before NO_PROXY is read: a malformed value fails every request alike, not only some.
    const url = parseProxyUrl(variable, env[variable]);
    const host = normalHost(target.hostname);
    if ((0,_loopback_js__WEBPACK_IMPORTED_MODULE_1__/* .isLoopbackName */ .xX)(host))
        return undefined;
    const noProxy = firstSet(env, 'no_proxy', 'NO_PROXY');
    if (noProxy && bypasses(host, portOf(target), env[noProxy]))
        return undefined;
    return { url, variable };
}
function firstSet(env, ...names) {
    return names.find(name => (env[name] ?? '').trim() !== '');
}
/**
 * `http://` or `https://`, or a bare `host:port`, read as http:// as curl and Go read it. Anything
 * else (socks5://, a path, garbage) is the user's to fix, named by its variable, credentials hidden.
 */
function parseProxyUrl(variable, value) {
    const raw = value.trim();
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
    const url = URL.parse(withScheme);
    const shown = `'${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeLineBreaks */ .yO)(redactUserinfo(raw))}'`;
    // A path, query or fragment is no part of a proxy's address; one here is mostly an unencoded / ? or #
    // in the password, which made the parser read part of the password as the host or port.
    const addressOnly = url && ['', '/'].includes(url.pathname) && url.search === '' && url.hash === '';
    if (!url || url.hostname === '' || !addressOnly || !decodable(url))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${variable} ${shown} is not a proxy URL: set it like http://proxy.example:3128`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${variable} ${shown} names a ${url.protocol.slice(0, -1)} proxy: only http:// and https:// proxies are supported`);
    return url;
}
/** Whether Proxy-Authorization can be built (runtime/http-proxy.ts decodes the userinfo). */
function decodable(url) {
    try {
        decodeURIComponent(url.username);
        decodeURIComponent(url.password);
        return true;
    }
    catch {
        return false;
    }
}
/** A URL (or what should have been one) with its `user:password@` shown as `***@`. */
function redactUserinfo(text) {
    // Up to the last @ anywhere: a password may hold an unencoded @ : / ? or #, and a proxy URL has no
    // path or query an @ could belong to.
    return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, '$1***@');
}
function normalHost(hostname) {
    return hostname
        .toLowerCase()
        .replace(/^\[(.*)\]$/, '$1')
        .replace(/\.$/, '');
}
function portOf(url) {
    return url.port || (url.protocol === 'https:' ? '443' : '80');
}
/** Whether `host` (normalised) on `port` is reached directly under this NO_PROXY value. */
function bypasses(host, port, noProxy) {
    const family = (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host);
    return noProxy
        .split(/[\s,]+/)
        .filter(entry => entry !== '')
        .some(entry => {
        if (entry === '*')
            return true;
        const parsed = parseEntry(entry.toLowerCase());
        if (!parsed || (parsed.port !== undefined && parsed.port !== port))
            return false;
        if (family === 0)
            return parsed.kind === 'name' && matchesName(host, parsed.name);
        if (parsed.kind === 'name')
            return false;
        const list = new node_net__WEBPACK_IMPORTED_MODULE_0__.BlockList();
        const type = parsed.family === 4 ? 'ipv4' : 'ipv6';
        if (parsed.prefix === undefined)
            list.addAddress(parsed.address, type);
        else
            list.addSubnet(parsed.address, parsed.prefix, type);
        return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
    });
}
/** One NO_PROXY entry, or undefined for one that can match nothing (`:1`, `10.0.0.0/99`). */
function parseEntry(entry) {
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
        const family = (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(cidr[1]);
        const prefix = Number(cidr[2]);
        if (family === 0 || prefix > (family === 4 ? 32 : 128))
            return undefined;
        return { kind: 'ip', address: cidr[1], family, prefix };
    }
    if ((0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(entry) === 6)
        return { kind: 'ip', address: entry, family: 6 };
    const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!hostPort)
        return undefined;
    const host = normalHost(hostPort[1]);
    const port = hostPort[2];
    const family = (0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host);
    if (family !== 0)
        return { kind: 'ip', address: host, family, ...(port ? { port } : {}) };
    if (host === '' || host === '.' || host === '*.')
        return undefined;
    return { kind: 'name', name: host.replace(/^\*\./, '.'), ...(port ? { port } : {}) };
}
function matchesName(host, name) {
    if (name.startsWith('.'))
        return host.endsWith(name);
    return host === name || host.endsWith(`.${name}`);
}


/***/ })

};
;