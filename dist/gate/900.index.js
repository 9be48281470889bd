"use strict";
exports.id = 900;
exports.ids = [900];
exports.modules = {

/***/ 1900:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  parsePolicy: () => (/* binding */ parsePolicy)
});

// UNUSED EXPORTS: loadPolicy

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./packages/core/src/findings/sha256.ts
var sha256 = __webpack_require__(5153);
// EXTERNAL MODULE: ./packages/core/src/runtime/errors.ts
var errors = __webpack_require__(7115);
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

;// CONCATENATED MODULE: ./packages/core/src/runtime/yaml-structure.ts
/*
 * What a YAML text would cost the parser, measured without it. The yaml library spends some 2 KB and
 * 10 µs on each node it builds and recurses once per level of nesting, so within the 10 MiB size limit a
 * pull request's 2 MB flow list of a million numbers took 15 s and 2 GB, and a line of four million
 * `- ` 17 s and 2.3 GB before the parser overflowed its stack. Some of its costs grow faster than the
 * nodes: each alias is resolved by a walk of the document up to it, a document costs ~20 times a node,
 * a pair inside a flow sequence builds a map of its own, and each escape or stray character in a quoted
 * string can be an error of its own. Those are counted here too.
 */
const itemBudget = (total) => ({ total, left: total });
const [TAB, NEWLINE, CR, SPACE, COMMA, DASH, COLON, QUESTION] = [9, 10, 13, 32, 44, 45, 58, 63];
const [OPEN_SQUARE, CLOSE_SQUARE, OPEN_CURLY, CLOSE_CURLY] = [91, 93, 123, 125];
const [DOT, STAR, BACKSLASH, DOUBLE_QUOTE, SINGLE_QUOTE, PERCENT] = [46, 42, 92, 34, 39, 37];
const isBlank = (code) => code === SPACE || code === TAB || code === NEWLINE || code === CR;
/** What ends an alias name, or stands where none begins. */
const endsName = (code) => Number.isNaN(code) ||
    isBlank(code) ||
    code === COMMA ||
    code === OPEN_SQUARE ||
    code === CLOSE_SQUARE ||
    code === OPEN_CURLY ||
    code === CLOSE_CURLY;
/** What may stand before an alias: the start of a token, or the `:` of a JSON-like pair (`{"a":*x}`). */
const startsToken = (code) => Number.isNaN(code) ||
    isBlank(code) ||
    code === OPEN_SQUARE ||
    code === OPEN_CURLY ||
    code === COMMA ||
    code === COLON;
/** `---` or `...` at column 0, followed by a blank or the end. */
function isDocumentMarker(text, i, code) {
    if (code !== DASH && code !== DOT)
        return false;
    if (text.charCodeAt(i + 1) !== code || text.charCodeAt(i + 2) !== code)
        return false;
    const after = text.charCodeAt(i + 3);
    return Number.isNaN(after) || isBlank(after);
}
/**
 * One pass over the characters as written: brackets and indicators inside strings count too, so the
 * figures are upper bounds for ordinary text and exact for the shapes that hurt.
 */
function measureStructure(text) {
    let items = 0;
    let documents = 0;
    let directives = 0;
    let aliases = 0;
    /** The flow collections open, innermost last: true for a sequence. */
    const flows = [];
    let run = 0;
    let depth = 0;
    let lineStart = true;
    let column0 = true;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        const after = text.charCodeAt(i + 1);
        // The lexer breaks lines at a lone CR as at LF; CRLF is one break.
        if (code === NEWLINE || (code === CR && after !== NEWLINE)) {
            items++;
            run = 0;
            lineStart = column0 = true;
            continue;
        }
        if (code === CR)
            continue;
        if (column0 && isDocumentMarker(text, i, code))
            documents++;
        if (column0 && code === PERCENT)
            directives++;
        column0 = false;
        const inFlowSequence = flows.at(-1) === true;
        const before = text.charCodeAt(i - 1);
        const flowPair = code === COLON && flows.length > 0 && (before === DOUBLE_QUOTE || before === SINGLE_QUOTE);
        const indicator = flowPair ||
            ((code === DASH || code === QUESTION || code === COLON) &&
                (after === SPACE || after === TAB || after === CR));
        if (indicator)
            items += code === COLON && inFlowSequence ? 3 : 1;
        if (code === BACKSLASH)
            items++;
        else if (code === STAR && startsToken(before) && !endsName(after))
            aliases++;
        if (lineStart) {
            if (code === SPACE || code === TAB)
                continue;
            // `- - - x` nests a sequence per dash with no line break, comma or bracket in sight.
            if (indicator && code !== COLON) {
                depth = Math.max(depth, ++run + flows.length);
                continue;
            }
            lineStart = false;
        }
        if (code === COMMA)
            items++;
        else if (code === OPEN_SQUARE || code === OPEN_CURLY) {
            items++;
            flows.push(code === OPEN_SQUARE);
            depth = Math.max(depth, run + flows.length);
        }
        else if (code === CLOSE_SQUARE || code === CLOSE_CURLY)
            flows.pop();
    }
    return { items, depth, documents, directives, aliases };
}
/**
 * Aliases times nodes: each alias is resolved by walking the document up to it, and a `<<` merge copies
 * the map it names, so 10,000 aliases among 20,000 nodes took 4 s, and 99 merges of a 99,000-key map
 * 9 s and 1 GB. At this bound such merges take under 2 s. A manifest of 100,000 nodes keeps 20 aliases,
 * one of 10,000 nodes 200; Helm and kustomize output has none.
 */
const MAX_ALIAS_WORK = 2_000_000;
/** Directives times documents: 20,000 `%TAG` lines before 1,000 documents took 12 s and 861 MB. */
const MAX_DIRECTIVE_WORK = 100_000;
/**
 * Measures `text` against the limits before any parser sees it, and takes its nodes from `budget` when
 * it fits. Every reader of YAML a pull request can write asks this first.
 */
function structureExcess(text, limits, budget) {
    const { items, depth, documents, directives, aliases } = measureStructure(text);
    if (depth > limits.maxDepth)
        return { over: 'depth' };
    if (documents > limits.maxDocuments)
        return { over: 'documents', documents };
    if (items > limits.maxItems)
        return { over: 'items', items };
    if (aliases * items > MAX_ALIAS_WORK)
        return { over: 'aliases', aliases, items };
    if (directives * (documents + 1) > MAX_DIRECTIVE_WORK)
        return { over: 'directives', directives, documents };
    if (budget && items > budget.left)
        return { over: 'budget' };
    if (budget)
        budget.left -= items;
    return undefined;
}
/** Why, in words that follow the file's name: "… nests over 500 collections deep". */
function describeExcess(excess, limits, budget) {
    switch (excess.over) {
        case 'depth':
            return `nests over ${limits.maxDepth} collections deep`;
        case 'documents':
            return `holds about ${excess.documents} YAML documents, over the limit of ${limits.maxDocuments}`;
        case 'items':
            return `has about ${excess.items} YAML nodes, over the limit of ${limits.maxItems}`;
        case 'aliases':
            return `has ${excess.aliases} aliases among about ${excess.items} YAML nodes, more than the parser resolves in reasonable time`;
        case 'directives':
            return `has ${excess.directives} directives carried into about ${excess.documents} documents`;
        case 'budget':
            return `would take this run over ${budget?.total ?? 'its budget of'} YAML nodes with the files read before it`;
    }
}

// EXTERNAL MODULE: ./packages/core/src/findings/finding.ts
var finding = __webpack_require__(1333);
// EXTERNAL MODULE: ./packages/core/src/runtime/glob-match.ts
var glob_match = __webpack_require__(1470);
;// CONCATENATED MODULE: ./packages/core/src/policy/schema.ts



const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const WORKLOAD = /^[A-Z][A-Za-z0-9]{0,62}\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const RULE_SWITCH = {
    on: true,
    true: true,
    enabled: true,
    off: false,
    false: false,
    disabled: false
};
/** One pass over a parsed policy file: its typed content, or every problem with its path. */
function checkPolicyFile(value) {
    const issues = [];
    const data = new Reader(issues).policyFile(value);
    return issues.length === 0 ? { success: true, data } : { success: false, issues };
}
class Reader {
    issues;
    constructor(issues) {
        this.issues = issues;
    }
    fail(path, message) {
        // Values from the file are quoted in messages; a line break among them must not split the error.
        this.issues.push({ path, message: (0,errors/* escapeLineBreaks */.yO)(message) });
        return undefined;
    }
    /** An object with only `known` keys; each unknown one is a problem. */
    object(value, path, known) {
        if (!isPlainMapping(value))
            return this.fail(path, `expected a mapping, got ${describe(value)}`);
        const unknown = Object.keys(value).filter(key => !known.includes(key));
        if (unknown.length > 0)
            this.fail(path, `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map(key => JSON.stringify(key)).join(', ')}`);
        return value;
    }
    optional(object, key, path, read) {
        return object[key] === undefined ? undefined : read(object[key], [...path, key]);
    }
    boolean(value, path) {
        return typeof value === 'boolean'
            ? value
            : this.fail(path, `expected true or false, got ${describe(value)}`);
    }
    integer(value, path, min, max = Number.MAX_SAFE_INTEGER) {
        if (typeof value !== 'number' || !Number.isInteger(value))
            return this.fail(path, `expected a whole number, got ${describe(value)}`);
        if (value < min || value > max)
            return this.fail(path, `must be ${max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min} to ${max}`}, got ${value}`);
        return value;
    }
    text(value, path) {
        if (typeof value !== 'string')
            return this.fail(path, `expected text, got ${describe(value)}`);
        return value === '' ? this.fail(path, 'must not be empty') : value;
    }
    /** A mapping of any keys; built with fromEntries, so a key `__proto__` stays a key. */
    record(value, path, read) {
        const object = this.object(value, path, Object.keys(value ?? {}));
        if (!object)
            return undefined;
        const entries = [];
        for (const [key, item] of Object.entries(object)) {
            const checked = read(item, [...path, key]);
            if (checked !== undefined)
                entries.push([key, checked]);
        }
        return Object.fromEntries(entries);
    }
    /**
     * Scanner and category names match in any case, so `Trivy` and `trivy` are one name: the policy keeps
     * the last, and the other's settings would be dropped without a word.
     */
    caseDuplicates(value, path) {
        if (!isPlainMapping(value))
            return;
        const byLower = new Map();
        for (const key of Object.keys(value))
            byLower.set(key.toLowerCase(), [...(byLower.get(key.toLowerCase()) ?? []), key]);
        for (const [name, keys] of byLower)
            if (keys.length > 1)
                this.fail(path, `names ${name} ${keys.length === 2 ? 'twice' : `${keys.length} times`} (${keys.map(key => JSON.stringify(key)).join(', ')}); names are compared without case, keep one`);
    }
    /** Severity words users write, in any case; `moderate` is GitHub's advisory word for medium. */
    severity(value, path) {
        const word = typeof value === 'string'
            ? value
                .trim()
                .toLowerCase()
                .replace(/^moderate$/, 'medium')
            : value;
        if (finding/* SEVERITIES */.oC.includes(word))
            return word;
        return this.fail(path, `must be one of ${finding/* SEVERITIES */.oC.join(', ')}, got ${describe(value)}`);
    }
    list(value, path, read) {
        if (!Array.isArray(value))
            return this.fail(path, `expected a list, got ${describe(value)}`);
        return value.map((item, i) => read(item, [...path, i])).filter((item) => item !== undefined);
    }
    thresholds(value, path, extra = []) {
        const object = this.object(value, path, ['fail-on', 'fix-available-only', 'max', ...extra]);
        if (!object)
            return undefined;
        const max = this.optional(object, 'max', path, (v, p) => {
            const limits = this.object(v, p, finding/* SEVERITIES */.oC);
            if (!limits)
                return undefined;
            const out = {};
            for (const severity of finding/* SEVERITIES */.oC) {
                const limit = this.optional(limits, severity, p, (n, q) => this.integer(n, q, 0));
                if (limit !== undefined)
                    out[severity] = limit;
            }
            return out;
        });
        return compact({
            'fail-on': this.optional(object, 'fail-on', path, (v, p) => this.list(v, p, (s, q) => this.severity(s, q))),
            'fix-available-only': this.optional(object, 'fix-available-only', path, (v, p) => this.boolean(v, p)),
            max
        });
    }
    gate(value, path) {
        const own = ['warn-only', 'max-exception-days', 'scanners', 'categories', 'upload', 'comment'];
        const thresholds = this.thresholds(value, path, own);
        if (!thresholds)
            return undefined;
        const object = value;
        const auto = (v, p) => (v === 'auto' ? 'auto' : this.boolean(v, p));
        const byName = (v, p) => {
            this.caseDuplicates(v, p);
            return this.record(v, p, (t, q) => this.thresholds(t, q));
        };
        return compact({
            ...thresholds,
            'warn-only': this.optional(object, 'warn-only', path, (v, p) => this.boolean(v, p)),
            'max-exception-days': this.optional(object, 'max-exception-days', path, (v, p) => this.integer(v, p, 1, 3650)),
            scanners: this.optional(object, 'scanners', path, byName),
            categories: this.optional(object, 'categories', path, byName),
            upload: this.optional(object, 'upload', path, auto),
            comment: this.optional(object, 'comment', path, auto)
        });
    }
    /** A glob the exception matcher can read, refused here rather than when the first finding is matched. */
    glob(value, path) {
        const pattern = this.text(value, path);
        if (pattern === undefined)
            return undefined;
        try {
            new glob_match/* Glob */.fo(pattern);
            return pattern;
        }
        catch (error) {
            return this.fail(path, (0,errors/* getErrorMessage */.u1)(error).replace(/\.$/, ''));
        }
    }
    matching(value, path, pattern, message) {
        const text = this.text(value, path);
        return text === undefined || pattern.test(text) ? text : this.fail(path, message);
    }
    required(value, path, message) {
        const text = typeof value === 'string' ? value.trim() : '';
        return text === '' ? this.fail(path, message) : text;
    }
    date(value, path) {
        // A `%YAML 1.1` timestamp arrives as written (parsePolicy keeps its text), so it is checked here too.
        const text = typeof value === 'string' ? value.trim() : undefined;
        if (text === undefined)
            return this.fail(path, `must be a date written YYYY-MM-DD, got ${describe(value)}`);
        if (!isCalendarDate(text))
            return this.fail(path, `must be a date written YYYY-MM-DD, got ${describe(text)}`);
        return text;
    }
    exception(value, path) {
        const keys = [
            'id',
            'rule',
            'package',
            'path',
            'image',
            'scanner',
            'namespace',
            'workload',
            'reason',
            'owner',
            'expires'
        ];
        const object = this.object(value, path, keys);
        if (!object)
            return undefined;
        const at = (key) => [...path, key];
        const before = this.issues.length;
        const entry = compact({
            id: this.optional(object, 'id', path, (v, p) => this.glob(v, p)),
            rule: this.optional(object, 'rule', path, (v, p) => this.glob(v, p)),
            package: this.optional(object, 'package', path, (v, p) => this.text(v, p)),
            path: this.optional(object, 'path', path, (v, p) => this.glob(v, p)),
            image: this.optional(object, 'image', path, (v, p) => this.glob(v, p)),
            scanner: this.optional(object, 'scanner', path, (v, p) => this.text(v, p)),
            namespace: this.optional(object, 'namespace', path, (v, p) => this.matching(v, p, DNS_LABEL, 'must be a Kubernetes namespace name (lower case letters, digits and -)')),
            workload: this.optional(object, 'workload', path, (v, p) => this.matching(v, p, WORKLOAD, 'must be Kind/name, e.g. Deployment/web')),
            reason: this.required(object.reason, at('reason'), 'is required: say why this finding is accepted'),
            owner: this.required(object.owner, at('owner'), 'is required: who answers for this exception'),
            expires: this.date(object.expires, at('expires'))
        });
        if (!entry.id && !entry.rule && object.id === undefined && object.rule === undefined)
            this.fail(path, 'needs `id` (vulnerability or rule id) or `rule`');
        if (entry.id && entry.rule && entry.id !== entry.rule)
            this.fail(path, '`id` and `rule` name the same thing; give one');
        return this.issues.length === before ? entry : undefined;
    }
    k8sPolicy(value, path) {
        const object = this.object(value, path, ['rules']);
        if (!object)
            return undefined;
        const rules = this.optional(object, 'rules', path, (v, p) => this.record(v, p, (s, q) => {
            if (typeof s === 'boolean')
                return s;
            if (typeof s === 'string' && Object.hasOwn(RULE_SWITCH, s))
                return RULE_SWITCH[s];
            return this.fail(q, `must be on, off, true, false, enabled or disabled, got ${describe(s)}`);
        }));
        return compact({ rules });
    }
    policyFile(value) {
        const object = this.object(value, [], ['version', 'gate', 'exceptions', 'k8s-policy']);
        if (!object)
            return {};
        if (object.version !== undefined && object.version !== 1)
            this.fail(['version'], `must be 1, got ${describe(object.version)}`);
        return compact({
            version: object.version === 1 ? 1 : undefined,
            gate: this.optional(object, 'gate', [], (v, p) => this.gate(v, p)),
            exceptions: this.optional(object, 'exceptions', [], (v, p) => this.list(v, p, (e, q) => this.exception(e, q))),
            'k8s-policy': this.optional(object, 'k8s-policy', [], (v, p) => this.k8sPolicy(v, p))
        });
    }
}
/** YYYY-MM-DD naming a day that exists: `2024-02-31` is refused, not rolled over to March 2. */
function isCalendarDate(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text))
        return false;
    const time = Date.parse(`${text}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}
/**
 * A YAML mapping as the reader builds it. `!!omap`, `!!set` and `!!pairs` come back as a Map, a Set or
 * a list of pairs: a Map or Set has no own keys to check, so taking it for a mapping would read every
 * setting in it as absent.
 */
function isPlainMapping(value) {
    if (typeof value !== 'object' || value === null)
        return false;
    const prototype = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
}
function describe(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    if (value instanceof Date)
        return 'a date';
    if (value instanceof Map)
        return 'an ordered map (!!omap)';
    if (value instanceof Set)
        return 'a set (!!set)';
    if (typeof value === 'object')
        return 'a mapping';
    if (typeof value === 'string')
        return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
    return String(value);
}
/** The object without its undefined fields, as a schema library returns optional fields that are absent. */
function compact(object) {
    return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

// EXTERNAL MODULE: ./packages/core/src/policy/policy.ts
var policy = __webpack_require__(936);
;// CONCATENATED MODULE: ./packages/core/src/policy/load.ts








const MAX_POLICY_BYTES = (/* unused pure expression or super */ null && (1024 * 1024));
/**
 * A pull request's policy file is parsed too (to say what it would change): 1 MiB of `- ` on one line
 * takes the parser out of memory. Thousands of exceptions fit these limits many times over.
 */
const POLICY_STRUCTURE = { maxItems: 200_000, maxDepth: 64, maxDocuments: 10 };
function describeIssue(issue) {
    const where = issue.path.length > 0
        ? issue.path
            .map(p => (typeof p === 'number' ? `[${p}]` : `.${(0,errors/* escapeLineBreaks */.yO)(String(p))}`))
            .join('')
            .replace(/^\./, '')
        : '(top level)';
    return `${where}: ${issue.message}`;
}
/**
 * Under `%YAML 1.1` an unquoted timestamp becomes an instant: `2026-02-30` rolls over to March 2 and
 * `2026-01-01T14:00:00-10:00` lands on January 2, so the day the reviewer read is gone. The text as
 * written is what the schema checks.
 */
function writtenTimestamps(document) {
    (0,dist/* visit */.YR)(document, {
        Scalar(_, node) {
            if (node.value instanceof Date && node.source !== undefined)
                node.value = node.source;
        }
    });
}
/**
 * `%YAML 1.1` reads an unquoted `Y`, `yes`, `on`, `off`… as a boolean, so `id: Y` was refused as
 * "expected text, got true", naming neither what the file says nor the fix. The scalar keeps its source.
 */
function withYaml11Hint(document, issue) {
    const node = issue.path.length > 0 ? document?.getIn(issue.path, true) : undefined;
    if (!(0,dist/* isScalar */.jn)(node) || typeof node.value !== 'boolean' || node.source === undefined)
        return issue;
    if (/^(true|false)$/i.test(node.source))
        return issue;
    const word = (0,errors/* escapeLineBreaks */.yO)(node.source);
    return {
        ...issue,
        message: `${issue.message}: YAML 1.1 reads an unquoted ${word} (like Y, yes, on, N, no, off) as true or false; quote it: '${word}'`
    };
}
/** Parses and validates policy text; every problem is reported at once, each with its YAML path. */
function parsePolicy(text, source) {
    // Read as UTF-8 wherever it comes from, so other bytes are U+FFFD here: a UTF-16 file would otherwise
    // be reported as a mapping of NULs, and Latin-1 text would be read with some of its letters replaced.
    if (/[\0\uFFFD]/.test(text))
        throw new errors/* ConfigurationError */.j1(`Policy file ${source} is not UTF-8 text (it holds bytes that are not UTF-8, or a NUL); save it as UTF-8.`);
    const excess = structureExcess(text, POLICY_STRUCTURE);
    if (excess)
        throw new errors/* ConfigurationError */.j1(`Policy file ${source} was not parsed: it ${describeExcess(excess, POLICY_STRUCTURE)}, which no policy needs.`);
    const documents = parseYamlDocuments(text, { maxNodes: POLICY_STRUCTURE.maxItems });
    const first = documents[0]?.errors[0];
    if (documents.length > 1 || first) {
        const line = first?.linePos?.[0]?.line;
        throw new errors/* ConfigurationError */.j1(`Policy file ${source}${line ? ` line ${line}` : ''} is not valid YAML: ${first ? first.message.split('\n')[0] : `it holds ${documents.length} documents, and a policy is one`}`);
    }
    let value;
    try {
        if (documents[0])
            writtenTimestamps(documents[0]);
        value = (documents[0] && plainValue(documents[0])) ?? {};
    }
    catch (error) {
        throw new errors/* ConfigurationError */.j1(`Policy file ${source} cannot be read: ${error.message}`);
    }
    const parsed = checkPolicyFile(value);
    if (!parsed.success) {
        const issues = parsed.issues
            .slice(0, 5)
            .map(issue => describeIssue(withYaml11Hint(documents[0], issue)))
            .join('; ');
        const more = parsed.issues.length > 5 ? ` (and ${parsed.issues.length - 5} more)` : '';
        throw new errors/* ConfigurationError */.j1(`Policy file ${source} is invalid: ${issues}${more}. See the gate README for the format.`);
    }
    const digest = (0,sha256/* sha256Hex */.fg)(text);
    return (0,policy/* resolvePolicy */.nZ)(parsed.data, digest, source);
}
/**
 * The default path may be absent (the defaults apply); a path the user named must exist.
 */
function loadPolicy(filePath, { explicit }) {
    if (!existsSync(filePath)) {
        if (explicit)
            throw new ConfigurationError(`Input 'policy': file ${filePath} does not exist; create it or leave the input empty.`);
        return defaultPolicy();
    }
    if (statSync(filePath).size > MAX_POLICY_BYTES)
        throw new ConfigurationError(`Policy file ${filePath} is over 1 MiB.`);
    return parsePolicy(readFileSync(filePath, 'utf8'), filePath);
}


/***/ })

};
;