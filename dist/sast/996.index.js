"use strict";
exports.id = 996;
exports.ids = [996];
exports.modules = {

/***/ 5996:
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
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./packages/core/src/runtime/errors.ts
var errors = __webpack_require__(7115);
;// CONCATENATED MODULE: ./packages/core/src/runtime/yaml-structure.ts
/*
 * What a YAML text would cost the parser, measured without it. The yaml library spends some 2 KB and
 * 10 µs on each node it builds and recurses once per level of nesting, so within the 10 MiB size limit a
 * pull request's 2 MB flow list of a million numbers took 15 s and 2 GB, and a line of four million
 * `- ` 17 s and 2.3 GB before the parser overflowed its stack.
 */
const itemBudget = (total) => ({ total, left: total });
const [TAB, NEWLINE, SPACE, COMMA, DASH, COLON, QUESTION] = [9, 10, 32, 44, 45, 58, 63];
const [OPEN_SQUARE, CLOSE_SQUARE, OPEN_CURLY, CLOSE_CURLY] = [91, 93, 123, 125];
/**
 * One pass over the characters as written: brackets and indicators inside strings count too, so both
 * figures are upper bounds for ordinary text and exact for the shapes that hurt.
 */
function measureStructure(text) {
    let items = 0;
    let flow = 0;
    let run = 0;
    let depth = 0;
    let lineStart = true;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code === NEWLINE) {
            items++;
            run = 0;
            lineStart = true;
            continue;
        }
        const after = text.charCodeAt(i + 1);
        const indicator = (code === DASH || code === QUESTION || code === COLON) && (after === SPACE || after === TAB);
        if (indicator)
            items++;
        if (lineStart) {
            if (code === SPACE || code === TAB)
                continue;
            // `- - - x` nests a sequence per dash with no line break, comma or bracket in sight.
            if (indicator && code !== COLON) {
                depth = Math.max(depth, ++run + flow);
                continue;
            }
            lineStart = false;
        }
        if (code === COMMA)
            items++;
        else if (code === OPEN_SQUARE || code === OPEN_CURLY) {
            items++;
            depth = Math.max(depth, run + ++flow);
        }
        else if ((code === CLOSE_SQUARE || code === CLOSE_CURLY) && flow > 0)
            flow--;
    }
    return { items, depth };
}
/**
 * Measures `text` against the limits before any parser sees it, and takes its nodes from `budget` when
 * it fits. Every reader of YAML a pull request can write asks this first.
 */
function structureExcess(text, limits, budget) {
    const { items, depth } = measureStructure(text);
    if (depth > limits.maxDepth)
        return { over: 'depth' };
    if (items > limits.maxItems)
        return { over: 'items', items };
    if (budget && items > budget.left)
        return { over: 'budget' };
    if (budget)
        budget.left -= items;
    return undefined;
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
const RULE_FILE_STRUCTURE = { maxItems: 500_000, maxDepth: 200 };
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
/** Every rule file under `dir` (or just `onlyFile`), the way `semgrep --config <dir>` would pick them. */
function readRuleFiles(dir, onlyFile) {
    return (onlyFile ? [onlyFile] : ruleFileNames(dir)).map(file => {
        const text = (0,external_node_fs_.readFileSync)(external_node_path_.join(dir, file), 'utf8');
        const excess = structureExcess(text, RULE_FILE_STRUCTURE);
        if (excess)
            throw new errors/* BrokenInputError */.YU(file, `rule file was not parsed: it ${excess.over === 'depth' ? `nests over ${RULE_FILE_STRUCTURE.maxDepth} collections deep` : `has over ${RULE_FILE_STRUCTURE.maxItems} YAML nodes`}; split it`);
        let doc;
        try {
            doc = (0,dist/* parse */.qg)(text);
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