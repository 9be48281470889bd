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
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
// EXTERNAL MODULE: ./node_modules/zod/v4/core/core.js
var core = __webpack_require__(8532);
// EXTERNAL MODULE: ./packages/core/src/findings/finding.ts
var finding = __webpack_require__(1333);
// EXTERNAL MODULE: ./packages/core/src/runtime/glob-match.ts
var glob_match = __webpack_require__(1470);
;// CONCATENATED MODULE: ./packages/core/src/policy/schema.ts




const severity = schemas/* enum */.k5n(finding/* SEVERITIES */.oC);
/** Severity words users write; `moderate` is GitHub's advisory word for medium. */
const severityWord = schemas/* preprocess */.vkY(value => typeof value === 'string'
    ? value
        .trim()
        .toLowerCase()
        .replace(/^moderate$/, 'medium')
    : value, severity);
const thresholds = schemas/* object */.Ikc({
    'fail-on': schemas/* array */.YOg(severityWord).optional(),
    'fix-available-only': schemas/* boolean */.zMY().optional(),
    max: schemas/* partialRecord */.jgl(severity, schemas/* number */.aig().int().min(0)).optional()
})
    .strict();
const isoDate = schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* date */.p6U()]).transform((value, ctx) => {
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : value.trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
        ctx.addIssue({ code: 'custom', message: `must be a date written YYYY-MM-DD, got '${text}'` });
        return core/* NEVER */.tm;
    }
    return text;
});
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const WORKLOAD = /^[A-Z][A-Za-z0-9]{0,62}\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** A glob the exception matcher can read, refused here rather than when the first finding is matched. */
const glob = schemas/* string */.YjP()
    .min(1)
    .superRefine((pattern, ctx) => {
    try {
        new glob_match/* Glob */.fo(pattern);
    }
    catch (error) {
        ctx.addIssue({ code: 'custom', message: (0,errors/* getErrorMessage */.u1)(error).replace(/\.$/, '') });
    }
});
const exception = schemas/* object */.Ikc({
    id: glob.optional(),
    rule: glob.optional(),
    package: schemas/* string */.YjP().min(1).optional(),
    path: glob.optional(),
    image: glob.optional(),
    scanner: schemas/* string */.YjP().min(1).optional(),
    // Kubernetes findings only: the namespace and the workload (`Deployment/web`) of the object, exact.
    namespace: schemas/* string */.YjP()
        .regex(DNS_LABEL, 'must be a Kubernetes namespace name (lower case letters, digits and -)')
        .optional(),
    workload: schemas/* string */.YjP().regex(WORKLOAD, 'must be Kind/name, e.g. Deployment/web').optional(),
    reason: schemas/* string */.YjP().trim().min(1, 'is required: say why this finding is accepted'),
    owner: schemas/* string */.YjP().trim().min(1, 'is required: who answers for this exception'),
    expires: isoDate
})
    .strict()
    .superRefine((entry, ctx) => {
    if (!entry.id && !entry.rule)
        ctx.addIssue({ code: 'custom', message: 'needs `id` (vulnerability or rule id) or `rule`' });
    if (entry.id && entry.rule && entry.id !== entry.rule)
        ctx.addIssue({ code: 'custom', message: '`id` and `rule` name the same thing; give one' });
});
/** `on`/`off` (or true/false) per rule id, as written in `k8s-policy.rules`. */
const ruleSwitch = schemas/* union */.KCZ([
    schemas/* boolean */.zMY(),
    schemas/* enum */.k5n(['on', 'off', 'true', 'false', 'enabled', 'disabled'])
        .transform(word => ['on', 'true', 'enabled'].includes(word))
]);
const k8sPolicySection = schemas/* object */.Ikc({ rules: schemas/* record */.g1P(schemas/* string */.YjP(), ruleSwitch).optional() }).strict();
const policyFileSchema = schemas/* object */.Ikc({
    version: schemas/* literal */.euz(1).optional(),
    gate: thresholds
        .extend({
        'warn-only': schemas/* boolean */.zMY().optional(),
        'max-exception-days': schemas/* number */.aig().int().positive().max(3650).optional(),
        scanners: schemas/* record */.g1P(schemas/* string */.YjP(), thresholds).optional(),
        categories: schemas/* record */.g1P(schemas/* string */.YjP(), thresholds).optional(),
        upload: schemas/* union */.KCZ([schemas/* boolean */.zMY(), schemas/* literal */.euz('auto')]).optional(),
        comment: schemas/* union */.KCZ([schemas/* boolean */.zMY(), schemas/* literal */.euz('auto')]).optional()
    })
        .strict()
        .optional(),
    exceptions: schemas/* array */.YOg(exception).optional(),
    // Every section is validated here, whichever action reads it: an action that cannot read its
    // section fails, and a gate that accepted it unchecked would pass without that action's report.
    'k8s-policy': k8sPolicySection.optional()
})
    .strict();

// EXTERNAL MODULE: ./packages/core/src/policy/policy.ts
var policy = __webpack_require__(936);
;// CONCATENATED MODULE: ./packages/core/src/policy/load.ts






const MAX_POLICY_BYTES = (/* unused pure expression or super */ null && (1024 * 1024));
function describeIssue(issue) {
    const where = issue.path.length > 0
        ? issue.path
            .map(p => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
            .join('')
            .replace(/^\./, '')
        : '(top level)';
    return `${where}: ${issue.message}`;
}
/** Parses and validates policy text; every problem is reported at once, each with its YAML path. */
function parsePolicy(text, source) {
    const doc = (0,dist/* parseDocument */.Tp)(text, { prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
        const first = doc.errors[0];
        const line = first.linePos?.[0]?.line;
        throw new errors/* ConfigurationError */.j1(`Policy file ${source}${line ? ` line ${line}` : ''} is not valid YAML: ${first.message.split('\n')[0]}`);
    }
    let value;
    try {
        value = doc.toJS({ maxAliasCount: 100 }) ?? {};
    }
    catch (error) {
        throw new errors/* ConfigurationError */.j1(`Policy file ${source} cannot be read: ${error.message}`);
    }
    const parsed = policyFileSchema.safeParse(value);
    if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 5).map(describeIssue).join('; ');
        const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
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