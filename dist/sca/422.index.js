"use strict";
exports.id = 422;
exports.ids = [422];
exports.modules = {

/***/ 2422:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  tarballReadReason: () => (/* binding */ tarballReadReason)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./packages/core/src/runtime/yaml-read.ts
// Parsing YAML a pull request may have written, after `structureExcess` has measured it. Two of the
// yaml library's own costs grow with the square of the input, so they are turned off and done here in
// one pass: its duplicate-key check compares each key with every key before it in the map (40,000 keys
// took 19 s, a 1 MiB policy of them 7 minutes), and its pretty errors run a regex over the whole line
// for each error (one error on a line of 150,000 CRs took over a minute). Its alias bound is off too:
// it recounts an anchor's aliases on every use when the count is 0 (empty collections, aliases of
// them), so 1,400 aliases in 4 KB took 74 s; what aliases expand to is counted here instead.

const DEFAULT_MAX_NODES = 1_000_000;
/**
 * Nodes of the document with each alias counted as the whole node it names, in one pass (sizes kept
 * per node); stops counting past `cap`. An alias resolves to the last anchor of its name before it, as
 * the library resolves it; one naming a node still open (a cycle) is left to the library to refuse.
 */
function expandedNodes(document, cap) {
    const anchors = new Map();
    const sizes = new Map();
    const size = (node) => {
        if ((0,dist/* isAlias */.Vj)(node)) {
            const source = anchors.get(node.source);
            return (source && sizes.get(source)) ?? 1;
        }
        if (!(0,dist/* isCollection */.P3)(node) && !(0,dist/* isScalar */.jn)(node))
            return 0;
        if (node.anchor)
            anchors.set(node.anchor, node);
        let total = 1;
        if ((0,dist/* isCollection */.P3)(node))
            for (const item of node.items) {
                total += (0,dist/* isPair */.tO)(item) ? size(item.key) + size(item.value) : size(item);
                if (total > cap)
                    break;
            }
        sizes.set(node, total);
        return total;
    };
    return size(document.contents);
}
/** The first key of a map that repeats an earlier key of the same map, compared as the library would. */
function firstDuplicateKey(document) {
    let found;
    (0,dist/* visit */.YR)(document, {
        Map(_, map) {
            const seen = new Set();
            for (const { key } of map.items) {
                // A scalar key is its value (`1` and `"1"` differ); any other key is only ever itself.
                const id = (0,dist/* isScalar */.jn)(key) ? key.value : key;
                // The library compares values with ===: NaN keys never repeat. A merge key is a new symbol each time.
                if (typeof id === 'number' && Number.isNaN(id))
                    continue;
                if (seen.has(id)) {
                    found = key;
                    return dist/* visit */.YR.BREAK;
                }
                seen.add(id);
            }
            return undefined;
        }
    });
    return found;
}
/**
 * Every document of `text`; each one's `errors` hold a duplicate key as the library's own check would
 * report it, and every error its `linePos`.
 */
function parseYamlDocuments(text, options = {}) {
    const lineCounter = options.lineCounter ?? new dist/* LineCounter */.HN();
    const version = options.version ?? '1.2';
    const documents = (0,dist/* parseAllDocuments */.hR)(text, {
        version,
        lineCounter,
        prettyErrors: false,
        uniqueKeys: false
    });
    const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
    return Array.from(documents, document => {
        const fault = document.errors.length === 0 ? semanticFault(document, version, maxNodes) : undefined;
        if (fault)
            document.errors.push(fault);
        for (const error of document.errors)
            error.linePos ??= [lineCounter.linePos(error.pos[0]), lineCounter.linePos(error.pos[1])];
        return document;
    });
}
/** What the library's own checks would have said, or what they no longer bound, as a parse error. */
function semanticFault(document, version, maxNodes) {
    // Kubernetes reads 1.1 only (go-yaml v2 refuses another %YAML); a directive must not switch the schema.
    if (version === '1.1' && document.directives.yaml.version !== '1.1')
        return new dist/* YAMLParseError */.XT([0, 0], 'BAD_DIRECTIVE', `a %YAML ${document.directives.yaml.version} directive; this is read as YAML 1.1`);
    const duplicate = firstDuplicateKey(document);
    if (duplicate)
        return new dist/* YAMLParseError */.XT(duplicate.range ? [duplicate.range[0], duplicate.range[1]] : [0, 0], 'DUPLICATE_KEY', 'Map keys must be unique');
    if (expandedNodes(document, maxNodes) > maxNodes)
        return new dist/* YAMLParseError */.XT([0, 0], 'RESOURCE_EXHAUSTION', `its aliases expand it to over ${maxNodes} nodes`);
    return undefined;
}
/** The document as plain values: its aliases were bounded by `parseYamlDocuments`, not the library. */
function plainValue(document) {
    return document.toJS({ maxAliasCount: -1 });
}
/** Where an error is, for a message: " at line 3, column 7". */
function errorPlace(error) {
    const at = error.linePos?.[0];
    return at ? ` at line ${at.line}, column ${at.col}` : '';
}
/**
 * The one document of `text` as plain values, or the first error thrown with its place. A text of
 * several documents is refused, as the library's `parse` refuses it.
 */
function parseYamlValue(text, options = {}) {
    const documents = parseYamlDocuments(text, options);
    if (documents.length > 1)
        throw new Error('Source contains multiple documents');
    const document = documents[0];
    if (!document)
        return null;
    const error = document.errors[0];
    if (error)
        throw new Error(`${error.message.split('\n', 1)[0]}${errorPlace(error)}`);
    return plainValue(document);
}

// EXTERNAL MODULE: ./packages/core/src/sca/npm-tarballs.ts
var npm_tarballs = __webpack_require__(2460);
;// CONCATENATED MODULE: ./packages/core/src/sca/yarn-pnpm-tarballs.ts



/*
 * Yarn 1 installs a yarn.lock entry from its `resolved` URL, Yarn 2+ from its `resolution` locator, and
 * pnpm a pnpm-lock.yaml package from `resolution.tarball` when it has one; osv-scanner reports the
 * entry's `version` line (yarn) or the version its key names (pnpm), and reads neither of those fields
 * for it (osv-scalibr javascript/yarnlock and javascript/pnpmlock). So `version "4.17.21"` resolved to
 * `lodash-4.17.11.tgz` installs 4.17.11 and is scanned as 4.17.21: such an entry is refused, as
 * npmTarballReason refuses it in a package-lock.json.
 */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const YARN = { manager: 'yarn', field: 'resolved URL', relock: 'yarn install' };
const BERRY = { manager: 'yarn', field: 'resolution', relock: 'yarn install' };
const PNPM = { manager: 'pnpm', field: 'resolution tarball', relock: 'pnpm install' };
/** Why the package manager installs another package or version than the lockfile's scan reports, or undefined. */
function tarballReadReason(file, text) {
    const base = external_node_path_.posix.basename(file);
    if (base === 'yarn.lock')
        return yarnTarballReason(text);
    if (base === 'pnpm-lock.yaml')
        return pnpmTarballReason(text);
    return undefined;
}
/** osv-scalibr's version line: two spaces, `version "x"` (Yarn 1) or `version: x` (Yarn 2+). */
const OSV_VERSION = /^ {2}"?version"?:? "?([\w.+-]+)"?$/;
/** What yarn fetches by, quoted or not, as either yarn's parser reads it. */
const FETCHED = /^ {2}"?(resolved|resolution)"?:? +"?([^"\s]+)"?\s*$/;
function yarnEntries(text) {
    const out = [];
    for (const line of text.split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed === '' || trimmed.startsWith('#'))
            continue;
        if (!line.startsWith(' '))
            out.push({ header: line, props: [] });
        else
            out.at(-1)?.props.push(line);
    }
    return out.filter(e => e.header !== '__metadata:' && !e.header.endsWith('@workspace:.":'));
}
/** The name osv-scalibr reports for a header: its first descriptor's, through an `npm:` alias. */
function yarnName(header) {
    const first = header.replace(/^"/, '').replace(/:$/, '').split(',', 1)[0];
    const scoped = first.startsWith('@');
    const rest = scoped ? first.slice(1) : first;
    const at = rest.indexOf('@');
    const name = at < 0 ? rest : rest.slice(0, at);
    const range = at < 0 ? '' : rest.slice(at + 1);
    if (range.startsWith('npm:') && range.includes('@'))
        return yarnName(range.slice(4));
    return scoped ? `@${name}` : name;
}
/**
 * The alias and target of a first descriptor `alias@npm:target` with no range after the target, or
 * undefined. osv-scalibr reads a target only when an `@` follows `npm:`, so it reports such an entry
 * under the alias name (a scoped target, through its own `@`, with the header's closing quote), and
 * yarn writes the same header again from package.json; only a range there (`npm:target@^1.0.0`) helps.
 */
function rangelessAlias(header) {
    const first = header.replace(/^"/, '').replace(/:$/, '').split(',', 1)[0].replace(/"$/, '');
    const scoped = first.startsWith('@');
    const at = first.indexOf('@', scoped ? 1 : 0);
    if (at < 0 || !first.startsWith('npm:', at + 1))
        return undefined;
    const target = first.slice(at + 5);
    if (target === '' || target.includes('@', target.startsWith('@') ? 1 : 0))
        return undefined;
    return { alias: first.slice(0, at), target };
}
/** The advice for an entry yarn would lock again as it is, or undefined for the usual one. */
function yarnFix(header, version) {
    const alias = rangelessAlias(header);
    if (!alias)
        return undefined;
    const spec = `${JSON.stringify(alias.alias.slice(0, 200))}: ${JSON.stringify(`npm:${alias.target.slice(0, 200)}@^${version.slice(0, 100)}`)}`;
    return `give the alias a version range in package.json (${spec}) and run \`yarn install\`, as without one yarn writes the entry again and the scan reads the alias name`;
}
/**
 * What Yarn 2+ fetches for a `name@npm:version` locator: that package and version, or the registry
 * tarball its `__archiveUrl` binding names (a URL of another shape names nothing checkable).
 */
function berryHolds(locator) {
    const npm = /^(@?[^@]+)@npm:([^:]+)(?:::(.*))?$/.exec(locator);
    if (!npm)
        return undefined;
    const archive = new URLSearchParams(npm[3] ?? '').get('__archiveUrl');
    return archive === null ? `${npm[1]}@${npm[2]}` : (0,npm_tarballs/* registryTarball */.E5)(archive, npm[1]);
}
function yarnTarballReason(text) {
    for (const { header, props } of yarnEntries(text)) {
        const version = props.map(p => OSV_VERSION.exec(p)?.[1]).find(v => v !== undefined);
        const fetched = props.map(p => FETCHED.exec(p)).find(m => m !== null);
        if (version === undefined || !fetched)
            continue;
        const entry = {
            at: header.replace(/:$/, ''),
            name: yarnName(header),
            version,
            fix: yarnFix(header, version)
        };
        const reason = fetched[1] === 'resolved'
            ? (0,npm_tarballs/* fetchedOtherwise */.iC)(entry, (0,npm_tarballs/* registryTarball */.E5)(fetched[2], entry.name), YARN)
            : (0,npm_tarballs/* fetchedOtherwise */.iC)(entry, berryHolds(fetched[2]), BERRY);
        if (reason)
            return reason;
    }
    return undefined;
}
/**
 * The name and version osv-scalibr reads from a pnpm-lock.yaml package key: `name@version` from
 * lockfileVersion 9, else `/name/version_peers` or `/name@version(peers)`; undefined for none.
 */
function pnpmKey(key, v9) {
    if (key.startsWith('file:'))
        return undefined;
    if (v9) {
        const scoped = key.startsWith('@');
        const rest = scoped ? key.slice(1) : key;
        const at = rest.indexOf('@');
        const name = at < 0 ? rest : rest.slice(0, at);
        return { name: scoped ? `@${name}` : name, version: at < 0 ? '' : rest.slice(at + 1) };
    }
    const parts = key.split('/').slice(1);
    const scoped = parts[0]?.startsWith('@') ?? false;
    let name = parts.slice(0, scoped ? 2 : 1).join('/');
    let version = parts[scoped ? 2 : 1] ?? '';
    if (version === '') {
        const named = /^(.+)@([\w.-]+)(?:\(|$)/.exec(name);
        if (!named)
            return undefined;
        [name, version] = [named[1], named[2]];
    }
    return /^\d/.test(version) ? { name, version: version.split('_', 1)[0] } : undefined;
}
const stringField = (entry, key) => typeof entry[key] === 'string' && entry[key] !== '' ? entry[key] : undefined;
/** Far above a real monorepo's lockfile, which the 64 MiB cap already bounds; aliases count expanded. */
const PNPM_MAX_NODES = 5_000_000;
/**
 * The lockfile as plain values, undefined for text the engine refuses too (not YAML, several documents, a
 * duplicate key), or why it is too large to read: valid YAML the engine reads whole, so a pull request's
 * padding must not turn the check off for the entry beside it.
 */
function pnpmDocument(text) {
    const [document, ...more] = parseYamlDocuments(text, { maxNodes: PNPM_MAX_NODES });
    const error = document?.errors[0];
    if (error?.code === 'RESOURCE_EXHAUSTION')
        return { tooLarge: error.message };
    return document && !error && more.length === 0 ? { value: plainValue(document) } : undefined;
}
function pnpmTarballReason(text) {
    const read = pnpmDocument(text);
    if (read && 'tooLarge' in read)
        return `is too large to check which tarball pnpm installs for each entry (${read.tooLarge}); remove the aliases or split the workspace`;
    const document = read?.value;
    if (!isObject(document) || !isObject(document.packages))
        return undefined;
    const v9 = Number.parseFloat(String(document.lockfileVersion)) >= 9;
    for (const [key, entry] of Object.entries(document.packages)) {
        if (!isObject(entry) || !isObject(entry.resolution))
            continue;
        const tarball = entry.resolution.tarball;
        if (typeof tarball !== 'string')
            continue;
        const keyed = pnpmKey(key, v9);
        // A `name` or `version` field stands for what the key does not say, for pnpm and the scan alike.
        const name = stringField(entry, 'name') ?? keyed?.name;
        const version = stringField(entry, 'version') ?? keyed?.version;
        if (!name || !version)
            continue;
        const reason = (0,npm_tarballs/* fetchedOtherwise */.iC)({ at: key, name, version }, (0,npm_tarballs/* registryTarball */.E5)(tarball, name), PNPM);
        if (reason)
            return reason;
    }
    return undefined;
}


/***/ })

};
;