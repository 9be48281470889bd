"use strict";
exports.id = 4;
exports.ids = [4];
exports.modules = {

/***/ 4004:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  loadRulePack: () => (/* binding */ loadRulePack)
});

// UNUSED EXPORTS: readRuleFiles, rulePackProblems, testTargetOf

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/core/src/runtime/errors.ts
var errors = __webpack_require__(7115);
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

// EXTERNAL MODULE: ./packages/core/src/sast/pack.ts
var pack = __webpack_require__(7896);
;// CONCATENATED MODULE: ./packages/core/src/sast/rule-pack.ts
// The rule pack's YAML sources: read for user configs, the compiled pack and the pack's own checks.
// Never imported at start-up (the YAML parser is the slowest thing a cold action could load).







const RULE_FILE = /\.ya?ml$/;
/**
 * A pull request's version of the repository's rules is read for their languages: a structure the parser
 * would spend minutes and gigabytes on (or overflow its stack) is refused first. Big rule packs are a
 * small fraction of this.
 */
const RULE_FILE_STRUCTURE = { maxItems: 500_000, maxDepth: 200, maxDocuments: 10 };
const MAX_RULE_FILE_BYTES = 10 * 1024 * 1024;
/** Semgrep skips these when loading a config directory; they are the YAML targets of `semgrep --test`. */
const TEST_TARGET = /\.test\.ya?ml$/;
function ruleFileNames(dir, rel = '') {
    const out = [];
    for (const entry of (0,external_node_fs_.readdirSync)(external_node_path_.join(dir, rel), { withFileTypes: true })) {
        if (entry.name.startsWith('.'))
            continue;
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory())
            out.push(...ruleFileNames(dir, child));
        else if (RULE_FILE.test(entry.name) && !TEST_TARGET.test(entry.name))
            out.push(child);
    }
    return out.sort();
}
/**
 * A rule file's text. A link among a pull request's rules could point anywhere on the runner (and its
 * text come back in a parse error), and a huge file costs before any limit applies: both are refused.
 */
function readRuleFile(dir, file) {
    const stat = (0,external_node_fs_.lstatSync)(external_node_path_.join(dir, file));
    if (stat.isSymbolicLink())
        throw new errors/* BrokenInputError */.YU(file, 'rule file is a symbolic link, which could point anywhere on the runner, so it is not read; commit the rules themselves');
    if (stat.size > MAX_RULE_FILE_BYTES)
        throw new errors/* BrokenInputError */.YU(file, `rule file is over ${MAX_RULE_FILE_BYTES / 1024 / 1024} MiB; split it`);
    return (0,external_node_fs_.readFileSync)(external_node_path_.join(dir, file), 'utf8');
}
/** Every rule file under `dir` (or just `onlyFile`), the way `semgrep --config <dir>` would pick them. */
function readRuleFiles(dir, onlyFile) {
    return (onlyFile ? [onlyFile] : ruleFileNames(dir)).map(file => {
        const text = readRuleFile(dir, file);
        const excess = structureExcess(text, RULE_FILE_STRUCTURE);
        if (excess)
            throw new errors/* BrokenInputError */.YU(file, `rule file was not parsed: it ${describeExcess(excess, RULE_FILE_STRUCTURE)}; split it`);
        let doc;
        try {
            doc = parseYamlValue(text, { maxNodes: RULE_FILE_STRUCTURE.maxItems });
        }
        catch (error) {
            throw new errors/* BrokenInputError */.YU(file, `rule file is not valid YAML: ${error.message}`);
        }
        const rules = doc?.rules;
        if (!Array.isArray(rules))
            throw new errors/* BrokenInputError */.YU(file, 'rule file has no `rules:` list');
        return { file, rules };
    });
}
/** Reads every rule file under `dir` the way `semgrep --config <dir>` would pick them. */
function loadRulePack(dir, onlyFile) {
    return (0,pack/* packOf */.FM)(dir, readRuleFiles(dir, onlyFile));
}
/** The target file `semgrep --test` pairs with a rule file: same directory and stem, another extension. */
function testTargetOf(dir, ruleFile) {
    const stem = ruleFile.replace(RULE_FILE, '');
    const folder = path.join(dir, path.dirname(ruleFile));
    const base = path.basename(stem);
    return readdirSync(folder)
        .filter(name => name.startsWith(`${base}.`) && !(RULE_FILE.test(name) && !TEST_TARGET.test(name)))
        .map(name => path.join(folder, name))
        .find(file => statSync(file).isFile());
}
/** Everything a rule of ours must have; an empty list means the pack meets the bar. */
function rulePackProblems(pack) {
    const problems = [];
    const seen = new Set();
    for (const rule of pack.rules) {
        const where = `${rule.file} (${rule.id})`;
        if (seen.has(rule.id))
            problems.push(`${where}: duplicate rule id`);
        seen.add(rule.id);
        if (rule.cwe.length === 0 || rule.cwe.some(c => !cweId(c)))
            problems.push(`${where}: metadata.cwe missing or malformed`);
        if (rule.owasp.length === 0)
            problems.push(`${where}: metadata.owasp missing`);
        if (rule.securitySeverity === undefined)
            problems.push(`${where}: metadata.security-severity missing`);
        if (!rule.confidence)
            problems.push(`${where}: metadata.confidence missing`);
        if (rule.references.length === 0)
            problems.push(`${where}: metadata.references missing`);
        const target = testTargetOf(pack.dir, rule.file);
        if (!target)
            problems.push(`${where}: no test file next to the rule`);
        else {
            const text = readFileSync(target, 'utf8');
            if (!text.includes(`ruleid: ${rule.id}`))
                problems.push(`${where}: test file has no 'ruleid: ${rule.id}' line`);
            if (!text.includes(`ok: ${rule.id}`))
                problems.push(`${where}: test file has no 'ok: ${rule.id}' line`);
        }
    }
    return problems;
}


/***/ })

};
;