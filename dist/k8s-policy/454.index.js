"use strict";
exports.id = 454;
exports.ids = [454];
exports.modules = {

/***/ 1454:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  exportAdmission: () => (/* reexport */ exportAdmission),
  summarizeExport: () => (/* binding */ summarizeExport),
  writeAdmissionExport: () => (/* binding */ writeAdmissionExport)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/core/src/runtime/output-files.ts
var output_files = __webpack_require__(5071);
// EXTERNAL MODULE: ./packages/core/src/findings/sha256.ts
var sha256 = __webpack_require__(5153);
;// CONCATENATED MODULE: ./packages/core/src/runtime/yaml-text.ts
const INDENT = '  ';
function yamlText(value) {
    const out = [];
    if (isCollection(value) && !isEmpty(value))
        writeBlock(value, '', out);
    // A block at the left margin could hold a line `---`: a lone scalar's block is indented.
    else
        out.push(inline(value, INDENT));
    return `${out.join('\n')}\n`;
}
function isCollection(value) {
    return typeof value === 'object' && value !== null;
}
function isEmpty(value) {
    return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}
/** Lines of a non-empty mapping or sequence, each starting at `indent`. */
function writeBlock(value, indent, out) {
    if (Array.isArray(value)) {
        for (const item of value)
            writeEntry(`${indent}- `, `${indent}  `, item, out);
        return;
    }
    for (const [key, item] of Object.entries(value)) {
        if (item === undefined)
            continue;
        const written = scalarText(key);
        // Quotes do not lift YAML's 1,024-character limit on an implicit key.
        if (written.length > 1000)
            throw new TypeError(`yamlText: a key of ${written.length} characters as written`);
        // A sequence under a key is indented one level too, as kubectl and the yaml library write it.
        writeEntry(`${indent}${written}:`, `${indent}${INDENT}`, item, out, true);
    }
}
/**
 * One `- item` or `key: value`. A non-empty collection under a key starts on the next line; under a
 * dash, its first line shares the dash's line.
 */
function writeEntry(lead, indent, item, out, afterKey = false) {
    if (isCollection(item) && !isEmpty(item)) {
        if (afterKey) {
            out.push(lead);
            writeBlock(item, indent, out);
            return;
        }
        const start = out.length;
        writeBlock(item, indent, out);
        out[start] = lead + out[start].slice(indent.length);
        return;
    }
    out.push(`${lead}${afterKey ? ' ' : ''}${inline(item, indent)}`);
}
function inline(value, indent) {
    if (value === null)
        return 'null';
    if (typeof value === 'boolean')
        return String(value);
    if (typeof value === 'number') {
        // YAML 1.1 reads an exponent without a dot (1e+21) as a string, so such numbers are refused.
        const text = JSON.stringify(value);
        if (!/^-?\d+(?:\.\d+)?$/.test(text))
            throw new TypeError(`yamlText: ${value} has no form YAML 1.1 and 1.2 agree on`);
        return text;
    }
    if (typeof value === 'string')
        return literalBlock(value, indent) ?? scalarText(value);
    return Array.isArray(value) ? '[]' : '{}';
}
/** Printable ASCII only: anything else is written escaped, where no reader or editor can change it. */
const PLAIN = /^[A-Za-z_/][\x20-\x7e]*$/;
/** Words YAML 1.1 reads as booleans or null (1.2 reads a subset of them so). */
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null)$/i;
function scalarText(text) {
    const plain = PLAIN.test(text) &&
        !RESERVED.test(text) &&
        // ': ' and ' #' end a plain scalar, and so does a trailing ':' or space.
        !/: | #|:$|\s$/.test(text);
    return plain ? text : quoted(text);
}
/**
 * A double-quoted scalar of printable ASCII. JSON's escapes are YAML's, but JSON leaves U+0085, U+2028
 * and U+2029 raw, which YAML 1.1 readers (Kubernetes') take as line breaks, and other characters they
 * refuse; so everything else is escaped too, by code point (YAML has no surrogate pairs).
 */
function quoted(text) {
    // Printable ASCII (nearly every string of an export) comes out of JSON.stringify as it must be.
    if (/^[\x20-\x7e]*$/.test(text))
        return JSON.stringify(text);
    if (/\p{Surrogate}/u.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')))
        throw new TypeError('yamlText: a string with a lone surrogate has no YAML form');
    return JSON.stringify(text).replace(/[^\x20-\x7e]/gu, char => {
        const code = char.codePointAt(0);
        return code > 0xffff
            ? `\\U${code.toString(16).padStart(8, '0')}`
            : `\\u${code.toString(16).padStart(4, '0')}`;
    });
}
/**
 * A string that spans lines as a `|` or `|-` block whose lines start at `indent`, when the block reads
 * back exactly: printable text and tabs, no line of only blanks (a reader drops those), no leading
 * blank on the first line with text (that would need an indentation indicator) and at most one final
 * line break.
 */
function literalBlock(text, indent) {
    if (!text.includes('\n') || !/^[\x20-\x7e\t\n]*$/.test(text) || text.endsWith('\n\n'))
        return undefined;
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    const lines = body.split('\n');
    // The first line with text sets the block's indentation; a block of empty lines reads back as ''.
    const first = lines.find(line => line !== '');
    if (first === undefined || /^[ \t]/.test(first) || lines.some(line => /^[ \t]+$/.test(line)))
        return undefined;
    return `|${text.endsWith('\n') ? '' : '-'}\n${lines.map(line => (line === '' ? '' : indent + line)).join('\n')}`;
}

// EXTERNAL MODULE: ./packages/core/src/policy/exceptions.ts
var policy_exceptions = __webpack_require__(1752);
// EXTERNAL MODULE: ./packages/core/src/report/markdown.ts
var markdown = __webpack_require__(7195);
// EXTERNAL MODULE: ./packages/core/src/runtime/job-summary.ts
var job_summary = __webpack_require__(4384);
// EXTERNAL MODULE: ./packages/core/src/k8s/rules/catalog.ts
var catalog = __webpack_require__(8129);
// EXTERNAL MODULE: ./packages/core/src/k8s/rules/pss-version.ts
var pss_version = __webpack_require__(9677);
// EXTERNAL MODULE: ./packages/core/src/k8s/quantity.ts
var quantity = __webpack_require__(2073);
// EXTERNAL MODULE: ./packages/core/src/k8s/rules/pss.ts
var rules_pss = __webpack_require__(1620);
// EXTERNAL MODULE: ./packages/core/src/k8s/rules/pss-baseline.ts
var pss_baseline = __webpack_require__(4094);
// EXTERNAL MODULE: ./packages/core/src/k8s/rules/pss-profiles.ts
var pss_profiles = __webpack_require__(9163);
// EXTERNAL MODULE: ./packages/core/src/k8s/rules/pss-restricted.ts
var pss_restricted = __webpack_require__(2512);
;// CONCATENATED MODULE: ./packages/core/src/k8s/export/cel-text.ts
// Small builders of CEL text shared by the rule translations.
/** A CEL string literal: single-quoted, with the characters that would end or break it escaped. */
function celString(text) {
    const escaped = [...text]
        .map(c => {
        if (c === '\\' || c === "'")
            return `\\${c}`;
        const code = c.charCodeAt(0);
        return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
    })
        .join('');
    return `'${escaped}'`;
}
/** A CEL list of string literals. */
const celList = (items) => `[${[...items].map(celString).join(', ')}]`;
/** `path` exists and is a map (asRecord in the evaluator); its parent must be a map already. */
const hasMap = (path) => `(has(${path}) && type(${path}) == map)`;
/**
 * `base.f1.f2…` exists as a map at every step, tested left to right so a missing or scalar step stops
 * the test instead of raising an evaluation error. `base` itself must be a map.
 */
function mapAt(base, ...fields) {
    return `(${fields.map((_, i) => hasMap([base, ...fields.slice(0, i + 1)].join('.'))).join(' && ')})`;
}

;// CONCATENATED MODULE: ./packages/core/src/k8s/export/cel-pss.ts
// The Pod Security Standards checks (rules/pss-*.ts) in CEL, one revision at a time. Each expression
// repeats its evaluator: a field that is absent, null or of the wrong type counts as the evaluator
// counts it (asRecord, asArray, === comparisons), so CI and the cluster give the same verdict.




const SPEC = 'variables.podSpec';
const POD_SC = `${SPEC}.securityContext`;
const SC = 'c.securityContext';
const not = (condition) => `!(${condition})`;
const isTrue = (path) => `(has(${path}) && ${path} == true)`;
const listAt = (path) => `(has(${path}) && type(${path}) == list)`;
/** Set to a non-empty string: `host`, `user`, `role`. */
const nonEmptyString = (path) => `(has(${path}) && type(${path}) == string && ${path} != '')`;
const hostUsersFalse = `(has(${SPEC}.hostUsers) && ${SPEC}.hostUsers == false)`;
const windowsPod = `(${mapAt(SPEC, 'os')} && has(${SPEC}.os.name) && ${SPEC}.os.name == 'windows')`;
const ALLOWED_PROFILE_TYPES = celList(['RuntimeDefault', 'Localhost']);
const allowedProfile = (profile) => `(has(${profile}.type) && ${profile}.type in ${ALLOWED_PROFILE_TYPES})`;
/** A `<field>.type` set on the pod or a container must be RuntimeDefault or Localhost. */
function profileType(field) {
    return {
        pod: `(${not(mapAt(SPEC, 'securityContext', field))} || ${allowedProfile(`${POD_SC}.${field}`)})`,
        each: `(${not(mapAt('c', 'securityContext', field))} || ${allowedProfile(`${SC}.${field}`)})`
    };
}
/** Every annotation whose key starts with `prefix` has a value `allowed` admits. */
const annotationsWithPrefix = (prefix, allowed) => (annotations) => `${annotations}.all(k, !k.startsWith(${celString(prefix)}) || ${allowed(`${annotations}[k]`)})`;
const appArmorAnnotation = (value) => `(type(${value}) == string && (${value} == '' || ${value} == 'runtime/default' || ${value}.startsWith('localhost/')))`;
const seccompAnnotation = (value) => `(type(${value}) == string && (${value} == 'runtime/default' || ${value} == 'docker/default' || ${value}.startsWith('localhost/')))`;
function seLinux(since) {
    const types = celList(since >= 31 ? pss_profiles/* SELINUX_TYPES_1_31 */.oH : pss_profiles/* SELINUX_TYPES_1_0 */.sd);
    const allowed = (options) => `((!has(${options}.type) || ${options}.type == null || (type(${options}.type) == string && ${options}.type in ${types})) && ` +
        `!${nonEmptyString(`${options}.user`)} && !${nonEmptyString(`${options}.role`)})`;
    return {
        pod: `(${not(mapAt(SPEC, 'securityContext', 'seLinuxOptions'))} || ${allowed(`${POD_SC}.seLinuxOptions`)})`,
        each: `(${not(mapAt('c', 'securityContext', 'seLinuxOptions'))} || ${allowed(`${SC}.seLinuxOptions`)})`
    };
}
function procMount(relaxForUserNamespaces) {
    return {
        ...(relaxForUserNamespaces ? { skip: hostUsersFalse } : {}),
        each: not(`${mapAt('c', 'securityContext')} && has(${SC}.procMount) && ${SC}.procMount != null && ${SC}.procMount != 'Default'`)
    };
}
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
/** Before 1.19 the alpha annotations: the pod's, and each container's by its name. */
const seccompAnnotations = {
    annotations: a => {
        const key = `(${celString(SECCOMP_CONTAINER_PREFIX)} + (has(c.name) && type(c.name) == string ? c.name : ''))`;
        return (`(!(${celString(SECCOMP_POD_ANNOTATION)} in ${a}) || ${seccompAnnotation(`${a}[${celString(SECCOMP_POD_ANNOTATION)}]`)}) && ` +
            `variables.containers.all(c, type(c) != map || !(${key} in ${a}) || ${seccompAnnotation(`${a}[${key}]`)})`);
    }
};
function sysctls(since) {
    const list = `${POD_SC}.sysctls`;
    return {
        pod: `(!(${mapAt(SPEC, 'securityContext')} && ${listAt(list)}) || ` +
            `${list}.all(s, type(s) == map && has(s.name) && type(s.name) == string && s.name in ${celList((0,pss_baseline/* safeSysctls */.Zl)(since))}))`
    };
}
const HANDLERS = [
    ['livenessProbe'],
    ['readinessProbe'],
    ['startupProbe'],
    ['lifecycle', 'postStart'],
    ['lifecycle', 'preStop']
];
const hostProbes = {
    each: HANDLERS.flatMap(handler => ['httpGet', 'tcpSocket'].map(kind => not(`${mapAt('c', ...handler, kind)} && ${nonEmptyString(['c', ...handler, kind, 'host'].join('.'))}`))).join(' && ')
};
const volumes = (test) => `(!${listAt(`${SPEC}.volumes`)} || ${SPEC}.volumes.all(v, ${test}))`;
const restrictedVolumes = {
    // A volume without a source is defaulted to emptyDir by the API server.
    pod: volumes(`type(v) != map || v.all(k, k == 'name' || v[k] == null) || ` +
        `${celList(pss_restricted/* ALLOWED_VOLUME_SOURCES */.$4)}.exists(s, s in v && v[s] != null)`)
};
const podFieldNot = (field, value) => not(`${mapAt(SPEC, 'securityContext')} && has(${POD_SC}.${field}) && ${POD_SC}.${field} == ${value}`);
const containerFieldNot = (field, value) => not(`${mapAt('c', 'securityContext')} && has(${SC}.${field}) && ${SC}.${field} == ${value}`);
function runAsNonRoot(relaxForUserNamespaces) {
    const podTrue = `(${mapAt(SPEC, 'securityContext')} && ${isTrue(`${POD_SC}.runAsNonRoot`)})`;
    const containerSet = `(${mapAt('c', 'securityContext')} && has(${SC}.runAsNonRoot) && ${SC}.runAsNonRoot != null)`;
    return {
        ...(relaxForUserNamespaces ? { skip: hostUsersFalse } : {}),
        pod: podFieldNot('runAsNonRoot', 'false'),
        each: `(${containerSet} ? ${SC}.runAsNonRoot != false : ${podTrue})`
    };
}
function runAsUser(relaxForUserNamespaces) {
    return {
        ...(relaxForUserNamespaces ? { skip: hostUsersFalse } : {}),
        pod: podFieldNot('runAsUser', '0'),
        each: containerFieldNot('runAsUser', '0')
    };
}
function seccompRestricted(exemptWindows) {
    const podProfile = `${POD_SC}.seccompProfile`;
    const podHas = mapAt(SPEC, 'securityContext', 'seccompProfile');
    return {
        ...(exemptWindows ? { skip: windowsPod } : {}),
        pod: `(!${podHas} || ${allowedProfile(podProfile)})`,
        each: `(${mapAt('c', 'securityContext', 'seccompProfile')} ? ${allowedProfile(`${SC}.seccompProfile`)} : (${podHas} && ${allowedProfile(podProfile)}))`
    };
}
function capabilitiesRestricted(exemptWindows) {
    const caps = `${SC}.capabilities`;
    return {
        ...(exemptWindows ? { skip: windowsPod } : {}),
        each: `(${mapAt('c', 'securityContext', 'capabilities')} && ${listAt(`${caps}.drop`)} && 'ALL' in ${caps}.drop && ` +
            `(!${listAt(`${caps}.add`)} || ${caps}.add.all(x, x == 'NET_BIND_SERVICE')))`
    };
}
const capabilitiesBaseline = {
    each: `(!(${mapAt('c', 'securityContext', 'capabilities')} && ${listAt(`${SC}.capabilities.add`)}) || ` +
        `${SC}.capabilities.add.all(x, type(x) == string && x in ${celList(pss_baseline/* BASELINE_CAPABILITIES */.x4)}))`
};
const windowsHostProcess = {
    pod: not(`${mapAt(SPEC, 'securityContext', 'windowsOptions')} && ${isTrue(`${POD_SC}.windowsOptions.hostProcess`)}`),
    each: not(`${mapAt('c', 'securityContext', 'windowsOptions')} && ${isTrue(`${SC}.windowsOptions.hostProcess`)}`)
};
/**
 * Each rule's CEL for the revision that starts at `since` (rules/pss.ts picks it for the level and
 * version); the thresholds below are the ones rules/pss.ts hands its evaluators.
 */
const PSS_CEL = {
    'pss-host-namespaces': () => ({
        pod: ['hostNetwork', 'hostPID', 'hostIPC'].map(f => not(isTrue(`${SPEC}.${f}`))).join(' && ')
    }),
    'pss-privileged': () => ({
        each: not(`${mapAt('c', 'securityContext')} && ${isTrue(`${SC}.privileged`)}`)
    }),
    'pss-capabilities-baseline': () => capabilitiesBaseline,
    'pss-host-path-volumes': () => ({
        pod: volumes(`!(type(v) == map && has(v.hostPath) && v.hostPath != null)`)
    }),
    'pss-host-ports': () => ({
        each: `(!${listAt('c.ports')} || c.ports.all(p, !(type(p) == map && has(p.hostPort) && p.hostPort != null && p.hostPort != 0)))`
    }),
    'pss-apparmor': () => ({
        ...profileType('appArmorProfile'),
        annotations: annotationsWithPrefix('container.apparmor.security.beta.kubernetes.io/', appArmorAnnotation)
    }),
    'pss-selinux': seLinux,
    'pss-proc-mount': since => procMount(since >= 35),
    'pss-seccomp-baseline': since => (since >= 19 ? profileType('seccompProfile') : seccompAnnotations),
    'pss-sysctls': sysctls,
    'pss-windows-host-process': () => windowsHostProcess,
    'pss-host-probes': () => hostProbes,
    'pss-restricted-volumes': () => restrictedVolumes,
    'pss-allow-privilege-escalation': since => ({
        ...(since >= 25 ? { skip: windowsPod } : {}),
        each: `(${mapAt('c', 'securityContext')} && has(${SC}.allowPrivilegeEscalation) && ${SC}.allowPrivilegeEscalation == false)`
    }),
    'pss-run-as-non-root': since => runAsNonRoot(since >= 35),
    'pss-run-as-user': since => runAsUser(since >= 35),
    'pss-seccomp-restricted': since => seccompRestricted(since >= 25),
    'pss-capabilities-restricted': since => capabilitiesRestricted(since >= 25),
    'pss-proc-mount-restricted': () => procMount(false)
};

// EXTERNAL MODULE: ./packages/core/src/images/reference.ts
var reference = __webpack_require__(3757);
// EXTERNAL MODULE: ./packages/core/src/k8s/registry-scope.ts
var registry_scope = __webpack_require__(5422);
;// CONCATENATED MODULE: ./packages/core/src/k8s/export/image-patterns.ts
// Regular expressions over an image reference as written, equal to what images/reference.ts and
// registry-scope.ts decide after parsing. Admission engines have RE2 `matches` everywhere, but not the
// same string libraries, so the parse is compiled into the pattern instead of written out in CEL.
// Only constructs that RE2 and JavaScript read alike are used (classes, groups, alternation, anchors).


const image_patterns_escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, c => `\\${c}`);
/** A host matched without regard to case, as normalizeRegistry lowers it. */
const caseless = (text) => [...text].map(c => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : image_patterns_escape(c))).join('');
const DOCKER_HUB_HOSTS = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];
/** The end of a reference after its name: an optional tag (no `/`, no further `:`), an optional digest. */
const SUFFIX = '(:[^/@:]*)?(@.*)?$';
/**
 * The repository is `path` or lies below it. `needsSlash`: the repository must have more than one
 * segment here (a one-segment repository on Docker Hub is read as `library/<name>`).
 */
function under(path, needsSlash) {
    if (path === '')
        return needsSlash ? '[^@]*/[^@]*' : '[^@]*';
    return needsSlash && !path.includes('/') ? `${image_patterns_escape(path)}/[^@]*` : `${image_patterns_escape(path)}(/[^@]*)?`;
}
/** A one-segment Docker Hub name admitted by `path` (as `library/<name>`), or undefined. */
function officialImage(path) {
    if (path === '' || path === 'library')
        return '[^/@]*';
    const name = path.startsWith('library/') ? path.slice('library/'.length) : undefined;
    return name !== undefined && !name.includes('/') ? image_patterns_escape(name) : undefined;
}
const plain = (regex) => ({ regex, notLocalhost: false });
function hubPatterns(path) {
    const hosts = `(${DOCKER_HUB_HOSTS.map(caseless).join('|')})`;
    const patterns = [];
    const official = officialImage(path);
    // docker.io/<repo>: one segment is library/<name>, more are the repository as written.
    patterns.push(plain(`^${hosts}/${under(path, true)}${SUFFIX}`));
    if (official)
        patterns.push(plain(`^${hosts}/${official}${SUFFIX}`));
    // No registry: a single segment (any characters but `/`) is an official image …
    if (official)
        patterns.push(plain(`^${official}${SUFFIX}`));
    // … and several segments are the repository when the first is not a host (no `.`, `:` or upper case,
    // not localhost).
    const first = path.split('/')[0] ?? '';
    if (path === '')
        patterns.push({ regex: `^[^/.:@A-Z]*/[^@]*${SUFFIX}`, notLocalhost: true });
    else if (!(0,reference/* isRegistryHost */.EV)(first))
        patterns.push(plain(`^${under(path, true)}${SUFFIX}`));
    return patterns;
}
function scopePatterns(scope) {
    return scope.paths.flatMap(path => {
        if (scope.registry === 'docker.io')
            return hubPatterns(path);
        return [plain(`^${caseless(scope.registry)}/${under(path, false)}${SUFFIX}`)];
    });
}
/** The ways an image is admitted by `entries` (isAllowedImage): it must match one of them. */
function allowedImagePatterns(entries) {
    const seen = new Set();
    return entries
        .map(entry => (0,registry_scope/* parseRegistryScope */.lC)(entry))
        .filter((scope) => !('error' in scope))
        .flatMap(scopePatterns)
        .filter(p => {
        const key = `${p.notLocalhost}${p.regex}`;
        return !seen.has(key) && Boolean(seen.add(key));
    });
}
/** image-untagged: the last path segment has a `:` (a tag, or the digest's algorithm separator). */
const TAGGED = ':[^/]*$';
/** image-digest: the reference ends with a valid digest after its first `@` (hasValidDigest). */
const DIGEST_PINNED = '^[^@]*@(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$';

;// CONCATENATED MODULE: ./packages/core/src/k8s/export/cel-rules.ts






const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ALL_CONTAINERS = ['initContainers', 'containers', 'ephemeralContainers'];
const RESOURCED_CONTAINERS = ['initContainers', 'containers'];
/** The rule's containers, from `variables.podSpec` (set by the format's wrapper). */
function containersVariable(fields) {
    const lists = fields.map(f => `(has(variables.podSpec.${f}) ? variables.podSpec.${f} : [])`);
    return { name: 'containers', expression: lists.join(' + ') };
}
const isString = (field) => `(has(c.${field}) && type(c.${field}) == string)`;
/** exemptImages: an exact image, or a prefix when the entry ends with `*` (images/reference.ts). */
function exempt(options) {
    if (options.exemptImages.length === 0)
        return 'false';
    const tests = options.exemptImages.map(p => p.endsWith('*') ? `c.image.startsWith(${celString(p.slice(0, -1))})` : `c.image == ${celString(p)}`);
    return `(${isString('image')} && (${tests.join(' || ')}))`;
}
/** A field that is absent, null or '' counts as missing (seed.ts `missing`). */
const present = (path) => `(has(${path}) && ${path} != null && (type(${path}) != string || ${path} != ''))`;
const QUANTITY_CEL = `^\\s*(${quantity/* QUANTITY */.G.source.slice(1, -1)})\\s*$`;
function limitCheck(key, max) {
    const value = `c.resources.limits.${key}`;
    // A list of types would not type-check (its elements differ), so each type is compared on its own.
    const scalar = ['string', 'int', 'uint', 'double'].map(t => `type(${value}) == ${t}`).join(' || ');
    const parses = `((${scalar}) && string(${value}).matches(${celString(QUANTITY_CEL)}))`;
    const withinMax = max === undefined ? '' : ` && quantity(string(${value})).compareTo(quantity(${celString(max)})) <= 0`;
    return `(${present(value)} && ${parses}${withinMax})`;
}
function rule(id, fields, each, extra = {}) {
    const meta = (0,catalog/* ruleMeta */.ME)(id);
    return {
        id,
        serving: extra.serving ?? false,
        variables: [containersVariable(fields)],
        validations: [
            { expression: `variables.containers.all(c, ${each})`, message: `${meta.title}: ${meta.help}` }
        ]
    };
}
const BUILDERS = {
    'privileged-container': options => rule('privileged-container', ALL_CONTAINERS, `${exempt(options)} || !(${hasMap('c.securityContext')} && has(c.securityContext.privileged) && c.securityContext.privileged == true)`),
    'image-disallowed-tag': options => {
        const tags = options.disallowedTags.map(t => `c.image.endsWith(${celString(`:${t}`)})`);
        const banned = tags.length === 0 ? 'false' : tags.join(' || ');
        return rule('image-disallowed-tag', ALL_CONTAINERS, `!${isString('image')} || ${exempt(options)} || !(${banned})`);
    },
    'image-untagged': options => rule('image-untagged', ALL_CONTAINERS, `!${isString('image')} || ${exempt(options)} || c.image.matches(${celString(TAGGED)})`),
    'resource-limits': options => {
        const keys = ['cpu', 'memory'].filter(k => options.limits[k]);
        const max = { cpu: options.limits.maxCpu, memory: options.limits.maxMemory };
        const checks = keys.map(k => ` && ${limitCheck(k, max[k])}`).join('');
        return rule('resource-limits', RESOURCED_CONTAINERS, `${exempt(options)} || (${hasMap('c.resources')} && ${hasMap('c.resources.limits')}${checks})`);
    },
    'resource-requests': options => {
        const keys = ['cpu', 'memory'].filter(k => options.requests[k]);
        const checks = keys.map(k => present(`c.resources.requests.${k}`));
        if (checks.length === 0)
            return rule('resource-requests', RESOURCED_CONTAINERS, 'true');
        return rule('resource-requests', RESOURCED_CONTAINERS, `${exempt(options)} || (${hasMap('c.resources')} && ${hasMap('c.resources.requests')} && ${checks.join(' && ')})`);
    },
    'allowed-registries': options => {
        const patterns = allowedImagePatterns(options.allowedRegistries).map(p => p.notLocalhost
            ? `(c.image.matches(${celString(p.regex)}) && !c.image.startsWith('localhost/'))`
            : `c.image.matches(${celString(p.regex)})`);
        const admitted = patterns.length === 0 ? 'false' : patterns.join(' || ');
        return rule('allowed-registries', ALL_CONTAINERS, `${isString('image')} && c.image != '' && (${admitted})`);
    },
    'image-digest': () => rule('image-digest', ALL_CONTAINERS, `${isString('image')} && c.image.matches(${celString(DIGEST_PINNED)})`),
    'required-probes': options => {
        const names = [...options.probes.required, ...options.probes.handlers];
        const odd = names.find(n => !IDENTIFIER.test(n));
        if (odd !== undefined)
            return {
                id: 'required-probes',
                reason: `probe or handler name '${odd}' is not a field name CEL can test`
            };
        // A handler written as null is none (probes.ts); has() alone is true for it.
        const handler = (path) => `(has(${path}) && ${path} != null)`;
        const handled = (probe) => options.probes.handlers.length === 0
            ? 'false'
            : options.probes.handlers.map(h => handler(`c.${probe}.${h}`)).join(' || ');
        const each = options.probes.required.map(p => `(${hasMap(`c.${p}`)} && (${handled(p)}))`);
        return rule('required-probes', ['containers'], each.length === 0 ? 'true' : each.join(' && '), {
            serving: true
        });
    }
};
/** A Pod Security Standards rule at the revision in force: pod, containers and annotations all pass. */
function pssRule(id, since) {
    const cel = PSS_CEL[id]?.(since);
    if (!cel)
        throw new Error(`no CEL form of ${id}`);
    const meta = (0,catalog/* ruleMeta */.ME)(id);
    const tests = [
        ...(cel.pod ? [cel.pod] : []),
        ...(cel.each ? [`variables.containers.all(c, type(c) != map || ${cel.each})`] : []),
        ...(cel.annotations ? ['variables.podAnnotationsAllowed'] : [])
    ];
    const passes = tests.join(' && ');
    return {
        id,
        serving: false,
        variables: [containersVariable(ALL_CONTAINERS)],
        validations: [
            { expression: cel.skip ? `${cel.skip} || (${passes})` : passes, message: `${meta.title}: ${meta.help}` }
        ],
        ...(cel.annotations ? { podAnnotations: cel.annotations } : {})
    };
}
/**
 * The enabled rules in the catalog's order: as CEL, or why they cannot be exported. A Pod Security
 * Standards rule the level and version do not put in force is not checked in CI either, and is left out.
 */
function celRules(options) {
    const rules = [];
    const notExportable = [];
    const pss = (0,rules_pss/* pssRevisionsFor */.cF)(options.level, options.version);
    for (const id of catalog/* RULES */.y0.map(r => r.id).filter(id => options.rules.has(id))) {
        if ((0,catalog/* ruleMeta */.ME)(id).pss) {
            const revision = pss.get(id);
            if (revision)
                rules.push(pssRule(id, revision.since));
            continue;
        }
        const build = BUILDERS[id];
        if (!build) {
            notExportable.push({ id, reason: 'no admission form of this rule yet' });
            continue;
        }
        const built = build(options);
        if ('reason' in built)
            notExportable.push(built);
        else
            rules.push(built);
    }
    return { rules, notExportable };
}

// EXTERNAL MODULE: ./packages/core/src/k8s/to-findings.ts
var to_findings = __webpack_require__(3104);
;// CONCATENATED MODULE: ./packages/core/src/k8s/export/exclusions.ts
// The policy file's exceptions for k8s-policy rules as admission exclusions. Only what the cluster can
// see is exported: a namespace and a workload. An exception scoped by repository path, image or package
// would waive more in the cluster than in CI, so it is listed instead, never widened.




const appliesToK8sPolicy = (entry) => (entry.scanner === undefined || entry.scanner.toLowerCase() === to_findings/* K8S_SCANNER */._1) &&
    catalog/* RULES */.y0.some(rule => (0,policy_exceptions/* exceptionNamesRule */.u0)(entry, rule.id));
const META = 'object.metadata';
const ownedBy = (test) => `(has(${META}.ownerReferences) && ${META}.ownerReferences.exists(r, ${test}))`;
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * The workload itself, and what its controller creates: an object it owns (a ReplicaSet, a Job, a
 * StatefulSet's or DaemonSet's Pod, and the Pod Gatekeeper expands from it), a Deployment's Pods (owned
 * by `<name>-<pod-template-hash>`) and a CronJob's Pods (owned by the Job `<name>-<scheduled time>`).
 */
function workloadTest(workload) {
    const [kind = '', name = ''] = workload.split('/');
    const tests = [
        `(object.kind == ${celString(kind)} && has(${META}.name) && ${META}.name == ${celString(name)})`,
        ownedBy(`r.kind == ${celString(kind)} && r.name == ${celString(name)}`)
    ];
    if (kind === 'Deployment')
        tests.push(`(object.kind == 'Pod' && has(${META}.labels) && 'pod-template-hash' in ${META}.labels && ` +
            `${ownedBy(`r.kind == 'ReplicaSet' && r.name == ${celString(`${name}-`)} + ${META}.labels['pod-template-hash']`)})`);
    if (kind === 'CronJob')
        tests.push(`(object.kind == 'Pod' && ${ownedBy(`r.kind == 'Job' && r.name.matches(${celString(`^${escapeRegex(name)}-[0-9]+$`)})`)})`);
    return `(${tests.join(' || ')})`;
}
/** CEL that is true for the objects one exception covers. */
function scopeTest(entry) {
    const tests = [
        ...(entry.namespace
            ? [`(has(${META}.namespace) && ${META}.namespace == ${celString(entry.namespace)})`]
            : []),
        ...(entry.workload ? [workloadTest(entry.workload)] : [])
    ];
    return tests.length === 1 ? tests[0] : `(${tests.join(' && ')})`;
}
function whyNot(entry, today, exportedRules) {
    if (entry.expires < today)
        return `expired on ${entry.expires}: it waives nothing in CI either`;
    const narrowedBy = ['path', 'image', 'package'].filter(field => entry[field] !== undefined);
    if (narrowedBy.length > 0)
        return `also scoped by ${narrowedBy.join(', ')}, which the cluster cannot match the same way; excluding the whole workload or namespace would waive more than CI does`;
    if (!entry.namespace && !entry.workload)
        return 'the policy file names no namespace or workload for it, so the cluster would waive it everywhere';
    if (!exportedRules.some(id => (0,policy_exceptions/* exceptionNamesRule */.u0)(entry, id)))
        return 'names no rule of this export';
    return undefined;
}
/** Which exceptions become exclusions of which exported rules, and why the others do not. */
function exportExceptions(exceptions, exportedRules) {
    const result = { excluded: new Map(), exported: [], notExported: [] };
    const byRule = new Map();
    for (const entry of exceptions.entries.filter(appliesToK8sPolicy)) {
        const reason = whyNot(entry, exceptions.today, exportedRules);
        if (reason) {
            result.notExported.push({ entry, reason });
            continue;
        }
        const rules = exportedRules.filter(id => (0,policy_exceptions/* exceptionNamesRule */.u0)(entry, id));
        result.exported.push({ entry, rules });
        for (const id of rules)
            byRule.set(id, [...(byRule.get(id) ?? []), scopeTest(entry)]);
    }
    for (const [id, tests] of byRule)
        result.excluded.set(id, tests.join(' || '));
    return result;
}

// EXTERNAL MODULE: ./packages/core/src/k8s/export/format-option.ts
var format_option = __webpack_require__(6410);
// EXTERNAL MODULE: ./packages/core/src/k8s/pod-spec.ts
var pod_spec = __webpack_require__(2229);
;// CONCATENATED MODULE: ./packages/core/src/k8s/export/workloads.ts

const WORKLOAD_KINDS = [
    { kind: 'Pod', groups: [{ group: '', versions: ['v1'] }], template: '' },
    { kind: 'PodTemplate', groups: [{ group: '', versions: ['v1'] }], template: 'template' },
    { kind: 'ReplicationController', groups: [{ group: '', versions: ['v1'] }], template: 'spec.template' },
    {
        kind: 'Deployment',
        groups: [
            { group: 'apps', versions: ['v1', 'v1beta1', 'v1beta2'] },
            { group: 'extensions', versions: ['v1beta1'] }
        ],
        template: 'spec.template'
    },
    {
        kind: 'StatefulSet',
        groups: [{ group: 'apps', versions: ['v1', 'v1beta1', 'v1beta2'] }],
        template: 'spec.template'
    },
    {
        kind: 'DaemonSet',
        groups: [
            { group: 'apps', versions: ['v1', 'v1beta2'] },
            { group: 'extensions', versions: ['v1beta1'] }
        ],
        template: 'spec.template'
    },
    {
        kind: 'ReplicaSet',
        groups: [
            { group: 'apps', versions: ['v1', 'v1beta2'] },
            { group: 'extensions', versions: ['v1beta1'] }
        ],
        template: 'spec.template'
    },
    { kind: 'Job', groups: [{ group: 'batch', versions: ['v1'] }], template: 'spec.template' },
    {
        kind: 'CronJob',
        groups: [{ group: 'batch', versions: ['v1', 'v1beta1'] }],
        template: 'spec.jobTemplate.spec.template'
    }
];
const isServing = (kind) => pod_spec/* SERVING_KINDS */.LQ.has(kind.kind);
const specPath = (kind) => (kind.template === '' ? 'spec' : `${kind.template}.spec`);
/** `has(object.a) && has(object.a.b) …`: true when every step of the path exists, never an error. */
function hasPath(path) {
    const steps = path.split('.');
    return steps.map((_, i) => `has(object.${steps.slice(0, i + 1).join('.')})`).join(' && ');
}
/** Chooses per kind, falling back to the last kind's expression (all kinds are matched beforehand). */
function byKind(kinds, pick) {
    const groups = new Map();
    for (const kind of kinds)
        groups.set(pick(kind), [...(groups.get(pick(kind)) ?? []), kind.kind]);
    const entries = [...groups.entries()];
    const last = entries.pop();
    if (!last)
        throw new Error('no workload kinds');
    return entries.reduceRight((otherwise, [expression, names]) => `(${kindIn(names)} ? ${expression} : ${otherwise})`, last[0]);
}
const kindIn = (names) => names.length === 1
    ? `object.kind == '${names[0]}'`
    : `object.kind in [${names.map(n => `'${n}'`).join(', ')}]`;
/** True when the object has a pod spec: podContextOf skips a workload without one, and so must every format. */
const hasPodSpec = (kinds) => byKind(kinds, kind => `(${hasPath(specPath(kind))})`);
/** The pod spec of any of `kinds`. */
const podSpecOf = (kinds) => byKind(kinds, kind => `object.${specPath(kind)}`);
/** `test` on the annotations of the pod template of any of `kinds`; true when there are none. */
const podAnnotationsTest = (kinds, test) => byKind(kinds, kind => {
    const annotations = `${kind.template === '' ? '' : `${kind.template}.`}metadata.annotations`;
    return `(!(${hasPath(annotations)}) || type(object.${annotations}) != map || ${test(`object.${annotations}`)})`;
});

;// CONCATENATED MODULE: ./packages/core/src/k8s/export/formats.ts

const NAME_PREFIX = 'secure-pipeline-';
const kindsFor = (rule) => WORKLOAD_KINDS.filter(k => !rule.serving || isServing(k));
/** The pod spec of whatever the rule matched, then the rule's own variables. */
const variablesOf = (rule, kinds) => [
    { name: 'podSpec', expression: podSpecOf(kinds) },
    ...rule.variables,
    ...(rule.podAnnotations
        ? [{ name: 'podAnnotationsAllowed', expression: podAnnotationsTest(kinds, rule.podAnnotations) }]
        : [])
];
/**
 * The kind test repeats the match rules inside the policy: the Kyverno CLI judges a
 * ValidatingAdmissionPolicy against every resource it is given, so without it a Job met required-probes.
 */
const matchConditionsOf = (rule, kinds) => [
    { name: 'is-checked-kind', expression: kindIn(kinds.map(k => k.kind)) },
    { name: 'has-pod-spec', expression: hasPodSpec(kinds) },
    // The policy file's exceptions that name a namespace or workload: the same objects CI waives.
    ...(rule.excluded ? [{ name: 'not-excepted', expression: `!(${rule.excluded})` }] : [])
];
/** Kubernetes resource rules for `kinds`: one entry per API group, as admission matching wants them. */
function resourceRules(kinds) {
    const byGroup = new Map();
    for (const kind of kinds)
        for (const { group } of kind.groups)
            byGroup.set(group, [...(byGroup.get(group) ?? []), ...resourcesOf(kind.kind)]);
    return [...byGroup.entries()].map(([group, resources]) => ({
        apiGroups: [group],
        apiVersions: ['*'],
        operations: ['CREATE', 'UPDATE'],
        resources
    }));
}
/**
 * The resources a workload kind is written through. `kubectl debug` adds its container with an UPDATE
 * of the pods/ephemeralcontainers subresource (its object is the whole Pod), which a rule for `pods`
 * alone never sees; Pod Security Admission and Gatekeeper's default webhook judge it too.
 */
const resourcesOf = (kind) => {
    const plural = `${kind.toLowerCase()}s`;
    return kind === 'Pod' ? [plural, `${plural}/ephemeralcontainers`] : [plural];
};
const validations = (rule) => rule.validations.map(v => ({ expression: v.expression, message: v.message }));
// ---- native ValidatingAdmissionPolicy -------------------------------------------------------------
function vapDocuments(rules) {
    return rules.flatMap(rule => {
        const kinds = kindsFor(rule);
        const name = `${NAME_PREFIX}${rule.id}`;
        return [
            {
                apiVersion: 'admissionregistration.k8s.io/v1',
                kind: 'ValidatingAdmissionPolicy',
                metadata: { name },
                spec: {
                    failurePolicy: 'Fail',
                    matchConstraints: { resourceRules: resourceRules(kinds) },
                    matchConditions: matchConditionsOf(rule, kinds),
                    variables: variablesOf(rule, kinds),
                    validations: validations(rule)
                }
            },
            {
                apiVersion: 'admissionregistration.k8s.io/v1',
                kind: 'ValidatingAdmissionPolicyBinding',
                metadata: { name },
                spec: { policyName: name, validationActions: ['Deny'] }
            }
        ];
    });
}
// ---- Kyverno ValidatingPolicy (policies.kyverno.io/v1) --------------------------------------------
function kyvernoDocuments(rules) {
    return rules.map(rule => {
        const kinds = kindsFor(rule);
        return {
            apiVersion: 'policies.kyverno.io/v1',
            kind: 'ValidatingPolicy',
            metadata: { name: `${NAME_PREFIX}${rule.id}` },
            spec: {
                validationActions: ['Deny'],
                failurePolicy: 'Fail',
                // Every workload kind is matched and read directly; generated rules would judge them twice.
                autogen: { podControllers: { controllers: [] } },
                matchConstraints: { resourceRules: resourceRules(kinds) },
                matchConditions: matchConditionsOf(rule, kinds),
                variables: variablesOf(rule, kinds),
                validations: validations(rule)
            }
        };
    });
}
// ---- Gatekeeper: ConstraintTemplates (CEL), Constraints, ExpansionTemplate ------------------------
const pascal = (id) => id
    .split('-')
    .map(part => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
const gatekeeperKind = (rule) => `SecurePipeline${pascal(rule.id)}`;
/**
 * Kinds Gatekeeper judges as themselves, not as the Pod it expands from them. An expanded Pod is owned
 * by its workload alone, so a ReplicaSet's or Job's own owner (the Deployment or CronJob an exception
 * names) is lost, and the exclusion for an excepted Deployment's Pods (owner `<name>-<hash>`) would admit
 * any ReplicaSet so named.
 */
const JUDGED_DIRECTLY = new Set(['Pod', 'ReplicaSet', 'Job']);
const DIRECT_KINDS = WORKLOAD_KINDS.filter(k => JUDGED_DIRECTLY.has(k.kind));
/**
 * Gatekeeper judges the other workloads through the ExpansionTemplate: each rule matches the direct
 * kinds and the Pods expanded from a workload's template. required-probes depends on the workload kind
 * (Jobs run to completion), which an expanded Pod no longer shows, so it matches the serving kinds
 * themselves and only originals.
 */
function gatekeeperDocuments(rules) {
    const templates = rules.map(rule => {
        const kinds = rule.serving ? kindsFor(rule) : DIRECT_KINDS;
        return {
            apiVersion: 'templates.gatekeeper.sh/v1',
            kind: 'ConstraintTemplate',
            metadata: { name: gatekeeperKind(rule).toLowerCase() },
            spec: {
                crd: { spec: { names: { kind: gatekeeperKind(rule) } } },
                targets: [
                    {
                        target: 'admission.k8s.gatekeeper.sh',
                        code: [
                            {
                                engine: 'K8sNativeValidation',
                                source: {
                                    // Gatekeeper's K8sNativeValidation source spells this field in the singular.
                                    matchCondition: matchConditionsOf(rule, kinds),
                                    variables: variablesOf(rule, kinds),
                                    validations: validations(rule)
                                }
                            }
                        ]
                    }
                ]
            }
        };
    });
    const constraints = rules.map(rule => {
        const kinds = rule.serving ? kindsFor(rule) : DIRECT_KINDS;
        return {
            apiVersion: 'constraints.gatekeeper.sh/v1beta1',
            kind: gatekeeperKind(rule),
            metadata: {
                name: `${NAME_PREFIX}${rule.id}`,
                // The constraint's kind exists only once its template is in place.
                annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' }
            },
            spec: {
                enforcementAction: 'deny',
                match: {
                    kinds: kindGroups(kinds),
                    ...(rule.serving ? { source: 'Original' } : {})
                }
            }
        };
    });
    return [...expansionTemplates(), ...templates, ...constraints];
}
function kindGroups(kinds) {
    const byGroup = new Map();
    for (const kind of kinds)
        for (const { group } of kind.groups)
            byGroup.set(group, [...(byGroup.get(group) ?? []), kind.kind]);
    return [...byGroup.entries()].map(([group, names]) => ({ apiGroups: [group], kinds: names }));
}
/** One ExpansionTemplate per template location: the workload is judged as the Pod it creates. */
function expansionTemplates() {
    const bySource = new Map();
    for (const kind of WORKLOAD_KINDS.filter(k => !JUDGED_DIRECTLY.has(k.kind)))
        bySource.set(kind.template, [...(bySource.get(kind.template) ?? []), kind]);
    return [...bySource.entries()].map(([templateSource, kinds]) => ({
        apiVersion: 'expansion.gatekeeper.sh/v1beta1',
        kind: 'ExpansionTemplate',
        metadata: { name: `${NAME_PREFIX}expand-${templateSource.replace(/\./g, '-').toLowerCase()}` },
        spec: {
            applyTo: kinds.flatMap(kind => kind.groups.map(g => ({ groups: [g.group], kinds: [kind.kind], versions: [...g.versions] }))),
            templateSource,
            generatedGVK: { group: '', version: 'v1', kind: 'Pod' }
        }
    }));
}

;// CONCATENATED MODULE: ./packages/core/src/k8s/export/export.ts










/** Where each format's documents go; the other formats' files are removed when they are not chosen. */
const FORMAT_FILES = {
    gatekeeper: 'gatekeeper/policies.yaml',
    kyverno: 'kyverno/policies.yaml',
    vap: 'validating-admission-policy/policies.yaml'
};
const DOCUMENTS = {
    gatekeeper: gatekeeperDocuments,
    kyverno: kyvernoDocuments,
    vap: vapDocuments
};
let ruleSet;
/** Changes whenever a rule is added, removed or re-described: the rule set an export was made from. */
function ruleSetVersion() {
    ruleSet ??= (0,sha256/* sha256Hex */.fg)(catalog/* RULES */.y0.map(r => `${r.id}\u0000${r.title}\u0000${r.help}`).join('\u0001')).slice(0, 12);
    return ruleSet;
}
/** The options as the header and README state them, one `name: value` per line, in a fixed order. */
function describeOptions(options) {
    const list = (values) => (values.length === 0 ? '(none)' : values.join(', '));
    const limit = (on, max) => on ? `required${max ? `, at most ${max}` : ''}` : 'not checked';
    return [
        ['level', options.level],
        ['version', (0,pss_version/* formatPssVersion */.sX)(options.version)],
        ['rules', list(catalog/* RULES */.y0.map(r => r.id).filter(id => options.rules.has(id)))],
        ['allowed-registries', list(options.allowedRegistries)],
        ['require-digest', String(options.rules.has('image-digest'))],
        ['disallowed-tags', list(options.disallowedTags)],
        ['exempt-images', list(options.exemptImages)],
        ['cpu limit', limit(options.limits.cpu, options.limits.maxCpu)],
        ['memory limit', limit(options.limits.memory, options.limits.maxMemory)],
        ['requests', list(['cpu', 'memory'].filter(k => options.requests[k]))],
        ['required-probes', list(options.probes.required)],
        ['probe handlers', list(options.probes.handlers)]
    ];
}
function header(options, format) {
    const lines = [
        `Generated by secure-pipeline k8s-policy (${format}); do not edit: change the inputs and export again.`,
        `Rule set ${ruleSetVersion()}, checked in CI with the same options:`,
        ...describeOptions(options).map(([name, value]) => `  ${name}: ${value}`)
    ];
    // An option's value is the user's text: a line break of any kind (\r, U+0085, U+2028) would end the
    // comment and start YAML, so whatever is not printable ASCII is written as an escape.
    const printable = (line) => line.replace(/[^\x20-\x7e]/gu, char => `\\u{${char.codePointAt(0).toString(16)}}`);
    return lines.map(line => `# ${printable(line)}`.trimEnd()).join('\n') + '\n';
}
const yamlDocuments = (docs) => docs.map(doc => `---\n${yamlText(doc)}`).join('');
/**
 * The admission policies for `formats`, same rules and options as the CI check. Pure and
 * deterministic: the same inputs give the same bytes.
 */
function exportAdmission(options, formats, exceptions = { entries: [], today: '1970-01-01' }) {
    const { rules, notExportable } = celRules(options);
    const exported = rules.map(r => r.id);
    const fromExceptions = exportExceptions(exceptions, exported);
    const excludedRules = rules.map(rule => {
        const excluded = fromExceptions.excluded.get(rule.id);
        return excluded ? { ...rule, excluded } : rule;
    });
    const chosen = format_option/* EXPORT_FORMATS */.U.filter(f => formats.includes(f));
    const files = chosen.map(format => ({
        path: FORMAT_FILES[format],
        content: header(options, format) + yamlDocuments(DOCUMENTS[format](excludedRules))
    }));
    const result = {
        files,
        exported,
        notExportable,
        exceptionsExported: fromExceptions.exported,
        exceptionsNotExported: fromExceptions.notExported
    };
    files.push({ path: 'README.md', content: readme(options, chosen, result) });
    return result;
}
const APPLY = {
    gatekeeper: 'Gatekeeper 3.16 or later with the K8sNativeValidation engine (on by default). The ExpansionTemplates make Gatekeeper judge Deployments, StatefulSets, DaemonSets, ReplicationControllers, CronJobs and PodTemplates as the Pods they create (Pods, ReplicaSets and Jobs are judged as themselves); the ConstraintTemplates must be ready before their Constraints (the Constraints carry the Argo CD option SkipDryRunOnMissingResource).',
    kyverno: 'Kyverno 1.17 or later (policies.kyverno.io/v1 ValidatingPolicy). Autogen is off: every workload kind is matched directly.',
    vap: 'Kubernetes 1.30 or later (admissionregistration.k8s.io/v1), no admission controller to install. Each policy comes with its binding (validationActions: Deny).'
};
function readme(options, formats, result) {
    const lines = [
        '# Admission policies exported by k8s-policy',
        '',
        'Generated from the same rules and options that k8s-policy checks in CI; do not edit by hand.',
        `Rule set ${ruleSetVersion()}.`,
        '',
        '## Options',
        '',
        ...describeOptions(options).map(([name, value]) => `- ${name}: ${value}`),
        '',
        '## Files',
        '',
        ...formats.map(f => `- \`${FORMAT_FILES[f]}\`: ${APPLY[f]}`),
        '',
        '## Rules exported',
        '',
        ...(result.exported.length === 0
            ? ['None.']
            : result.exported.map(id => `- \`${id}\`: ${catalog/* RULES_BY_ID */.kF.get(id)?.title ?? id}`)),
        '',
        '## Not exported',
        '',
        'These rules run in CI but are not enforced by the exported policies:',
        '',
        ...(result.notExportable.length === 0
            ? ['None.']
            : result.notExportable.map(n => `- \`${n.id}\`: ${n.reason}`)),
        '',
        '## Exceptions',
        '',
        'Exceptions of the policy file that name a namespace or workload, excluded from the rules they name',
        '(the workload, the objects it owns and the Pods its controller creates). The cluster cannot expire them:',
        'export again after an expiry date, and the exclusion is gone.',
        '',
        ...(result.exceptionsExported.length === 0
            ? ['None.']
            : result.exceptionsExported.map(e => `- ${exceptionLine(e.entry)}: excluded from ${e.rules.map(id => `\`${id}\``).join(', ')}`)),
        '',
        'Exceptions of the policy file for k8s-policy rules that are not exported (each still waives the finding in CI):',
        '',
        ...(result.exceptionsNotExported.length === 0
            ? ['None.']
            : result.exceptionsNotExported.map(e => `- ${exceptionLine(e.entry)}: ${e.reason}`)),
        ''
    ];
    return lines.join('\n');
}
/** `id` (namespace …, workload …; owner …, expires …), as the README and the summary list an exception. */
function exceptionLine(entry) {
    return `${(0,markdown/* codeSpan */.SS)((0,policy_exceptions/* describeException */.t8)(entry))} (owner ${(0,job_summary/* escapeMarkdown */.FV)(entry.owner)}, expires ${(0,job_summary/* escapeMarkdown */.FV)(entry.expires)})`;
}

;// CONCATENATED MODULE: ./packages/core/src/k8s/export/write.ts



// What a run that exports loads in one chunk (k8s/run.ts imports it on demand).


/**
 * Writes the export into `dir` (inside the workspace, never through a link) and removes the files of
 * formats not chosen, so the directory never holds a stale policy beside a fresh one.
 */
function writeAdmissionExport(workspace, dir, formats, exported) {
    for (const format of format_option/* EXPORT_FORMATS */.U.filter(f => !formats.includes(f)))
        (0,output_files/* removeStaleOutput */.dN)(workspace, external_node_path_.join(dir, ...FORMAT_FILES[format].split('/')));
    return exported.files.map(file => {
        const target = external_node_path_.join(dir, ...file.path.split('/'));
        (0,output_files/* writeOutputFile */.BF)(workspace, target, file.content);
        return external_node_path_.relative(workspace, target).split(external_node_path_.sep).join('/');
    });
}
/** What the export holds and, above all, what it does not: never dropped silently. */
function summarizeExport(summary, logger, shownDir, formats, exported) {
    logger.info(`Exported ${exported.exported.length} rule(s) as ${formats.join(', ')} admission policies into ${shownDir}: ${exported.exported.join(', ')}`);
    const missing = exported.notExportable.map(n => `${n.id} (${n.reason})`);
    if (missing.length > 0)
        logger.warning(`${missing.length} enabled rule(s) are checked in CI but not in the exported admission policies; see ${shownDir}/README.md: ${exported.notExportable.map(n => n.id).join(', ')}`);
    summary.heading('Admission export', 3);
    summary.add(`${exported.exported.length} rule(s) exported to \`${shownDir}\` as ${formats.join(', ')}: ${exported.exported.map(id => `\`${id}\``).join(', ') || 'none'}.`);
    if (missing.length > 0)
        summary.add(`Not exported (checked in CI only):\n\n${exported.notExportable.map(n => `- \`${n.id}\`: ${n.reason}`).join('\n')}`);
    if (exported.exceptionsExported.length > 0)
        summary.add(`Policy-file exceptions exported as exclusions:\n\n${exported.exceptionsExported
            .map(e => `- ${exceptionLine(e.entry)}: ${e.rules.map(id => `\`${id}\``).join(', ')}`)
            .join('\n')}`);
    if (exported.exceptionsNotExported.length > 0)
        summary.add(`Policy-file exceptions not exported (the cluster enforces these rules without them):\n\n${exported.exceptionsNotExported
            .map(e => `- ${exceptionLine(e.entry)}: ${e.reason}`)
            .join('\n')}`);
}


/***/ })

};
;