"use strict";
exports.id = 861;
exports.ids = [861];
exports.modules = {

/***/ 9861:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   loadRulePack: () => (/* binding */ loadRulePack)
/* harmony export */ });
/* unused harmony exports readRuleFiles, testTargetOf, rulePackProblems */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8815);
/* harmony import */ var _runtime_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7115);
/* harmony import */ var _pack_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7896);
// The rule pack's YAML sources: read for user configs, the compiled pack and the pack's own checks.
// Never imported at start-up (the YAML parser is the slowest thing a cold action could load).






const RULE_FILE = /\.ya?ml$/;
/** Semgrep skips these when loading a config directory; they are the YAML targets of `semgrep --test`. */
const TEST_TARGET = /\.test\.ya?ml$/;
function ruleFileNames(dir, rel = '') {
    const out = [];
    for (const entry of (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, rel), { withFileTypes: true })) {
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
        let doc;
        try {
            doc = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parse */ .qg)((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, file), 'utf8'));
        }
        catch (error) {
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .BrokenInputError */ .YU(file, `rule file is not valid YAML: ${error.message}`);
        }
        const rules = doc?.rules;
        if (!Array.isArray(rules))
            throw new _runtime_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .BrokenInputError */ .YU(file, 'rule file has no `rules:` list');
        return { file, rules };
    });
}
/** Reads every rule file under `dir` the way `semgrep --config <dir>` would pick them. */
function loadRulePack(dir, onlyFile) {
    return (0,_pack_js__WEBPACK_IMPORTED_MODULE_4__/* .packOf */ .FM)(dir, readRuleFiles(dir, onlyFile));
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