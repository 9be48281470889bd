"use strict";
exports.id = 728;
exports.ids = [728];
exports.modules = {

/***/ 4728:
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
// EXTERNAL MODULE: ./packages/core/src/runtime/yaml-read.ts
var yaml_read = __webpack_require__(2028);
// EXTERNAL MODULE: ./packages/core/src/runtime/yaml-structure.ts
var yaml_structure = __webpack_require__(7711);
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
    const excess = (0,yaml_structure/* structureExcess */.BU)(text, POLICY_STRUCTURE);
    if (excess)
        throw new errors/* ConfigurationError */.j1(`Policy file ${source} was not parsed: it ${(0,yaml_structure/* describeExcess */.d9)(excess, POLICY_STRUCTURE)}, which no policy needs.`);
    const documents = (0,yaml_read/* parseYamlDocuments */.v)(text, { maxNodes: POLICY_STRUCTURE.maxItems });
    const first = documents[0]?.errors[0];
    if (documents.length > 1 || first) {
        const line = first?.linePos?.[0]?.line;
        throw new errors/* ConfigurationError */.j1(`Policy file ${source}${line ? ` line ${line}` : ''} is not valid YAML: ${first ? first.message.split('\n')[0] : `it holds ${documents.length} documents, and a policy is one`}`);
    }
    let value;
    try {
        if (documents[0])
            writtenTimestamps(documents[0]);
        value = (documents[0] && (0,yaml_read/* plainValue */._y)(documents[0])) ?? {};
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