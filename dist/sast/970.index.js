"use strict";
exports.id = 970;
exports.ids = [970];
exports.modules = {

/***/ 4105:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   v: () => (/* binding */ readZipMembers)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7115);



const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
/** General purpose flag 3: the CRC and sizes follow the data, the local header holds zeros. */
const DATA_DESCRIPTOR = 0x08;
const ENCRYPTED = 0x01;
const STRONG_ENCRYPTION = 0x40;
const UNIX_HOST = 3;
const FILE_TYPE = 0o170000;
const REGULAR_FILE = 0o100000;
const SYMLINK = 0o120000;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const MAX_TAIL = 22 + 0xffff;
/** A member is inflated to at most this by default: a small archive can claim (and inflate to) gigabytes. */
const DEFAULT_MAX_MEMBER_BYTES = 256 * 1024 * 1024;
function fileSource(fd) {
    const size = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fstatSync)(fd).size;
    return {
        size,
        readAt(position, length) {
            // The lengths are the archive's word: checked against the file before a buffer that size is made.
            checkWithin(position, length, size);
            const buffer = Buffer.alloc(length);
            let done = 0;
            while (done < length) {
                const n = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, buffer, done, length - done, position + done);
                if (n === 0)
                    throw new Error(`unexpected end of file at byte ${position + done}`);
                done += n;
            }
            return buffer;
        }
    };
}
function checkWithin(position, length, size) {
    if (position < 0 || position + length > size)
        throw new Error(`unexpected end of archive at byte ${Math.min(position + length, size)}`);
}
function bufferSource(bytes) {
    return {
        size: bytes.length,
        readAt(position, length) {
            checkWithin(position, length, bytes.length);
            return bytes.subarray(position, position + length);
        }
    };
}
/**
 * The members of a zip archive (a wheel, a workflow artifact) whose names `wanted` accepts, by name.
 * Only what those use is read: plain files, stored or deflated, not encrypted, no ZIP64; anything else
 * is an error, never a guess. A wanted name that is no relative path inside the archive is refused too:
 * callers match names by suffix and show them in messages, and a name climbing out with `..`, rooted,
 * written with backslashes or carrying control characters is no file any archiver put there.
 */
function readZipMembers(archive, wanted, options = {}) {
    if (Buffer.isBuffer(archive))
        return readMembers(bufferSource(archive), wanted, options);
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(archive, 'r');
    try {
        return readMembers(fileSource(fd), wanted, options);
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
}
function readMembers(source, wanted, options) {
    const maxMemberBytes = options.maxMemberBytes ?? DEFAULT_MAX_MEMBER_BYTES;
    const maxTotalBytes = options.maxTotalBytes ?? Infinity;
    let total = 0;
    const members = new Map();
    for (const entry of directoryEntries(source)) {
        const { name, size } = entry;
        if (!wanted(name))
            continue;
        if (!isRelativePath(name))
            throw new Error(`'${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeLineBreaks */ .yO)(name)}' is not a relative path inside the archive`);
        // Readers differ on which of two same-named members is the file (Python's zipfile the last, a
        // streaming one the first): the one checked and the one used could be different files.
        if (members.has(name))
            throw new Error(`${name} is in the archive more than once`);
        const refused = notAPlainMember(entry);
        if (refused)
            throw new Error(`${name} ${refused}`);
        if (size > maxMemberBytes)
            throw new Error(`${name} is ${size} bytes uncompressed, over the ${maxMemberBytes}-byte limit`);
        if (total + size > maxTotalBytes)
            throw new Error(`the members read are over ${maxTotalBytes} bytes together`);
        if (entry.method !== STORED && entry.method !== DEFLATED)
            throw new Error(`${name} uses compression method ${entry.method}`);
        const bytes = memberBytes(name, entry.method, localData(source, entry), entry);
        total += bytes.length;
        members.set(name, bytes);
    }
    return members;
}
function isRelativePath(name) {
    return (name !== '' &&
        (0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .escapeLineBreaks */ .yO)(name) === name &&
        !name.includes('\\') &&
        !name.startsWith('/') &&
        !/^[A-Za-z]:/.test(name) &&
        !name.split('/').includes('..'));
}
/** Why a member's bytes are not the file it names: they are a link's target, ciphertext, or sizes not read. */
function notAPlainMember(entry) {
    if (entry.madeBy === UNIX_HOST) {
        const type = (entry.externalAttributes >>> 16) & FILE_TYPE;
        if (type === SYMLINK)
            return 'is a symbolic link: its content is the path it points to, not a file';
        if (type !== 0 && type !== REGULAR_FILE)
            return `is not a regular file (mode ${type.toString(8)})`;
    }
    if (entry.flags & (ENCRYPTED | STRONG_ENCRYPTION))
        return 'is encrypted';
    if ([entry.size, entry.compressedSize, entry.localOffset].includes(0xffffffff))
        return 'is a ZIP64 member (its sizes or offset are in an extra field), which is not read';
    return undefined;
}
function directoryEntries(source) {
    const tailLength = Math.min(source.size, MAX_TAIL);
    const tail = source.readAt(source.size - tailLength, tailLength);
    let end = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
            end = i;
            break;
        }
    }
    if (end === -1)
        throw new Error('not a zip archive (no end of central directory)');
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff)
        throw new Error('ZIP64 archives are not read');
    const directory = source.readAt(directoryOffset, directorySize);
    const entries = [];
    let at = 0;
    for (let n = 0; n < count; n++) {
        if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_ENTRY)
            throw new Error('corrupt central directory');
        const nameLength = directory.readUInt16LE(at + 28);
        const rawName = directory.subarray(at + 46, at + 46 + nameLength);
        entries.push({
            name: rawName.toString('utf8'),
            rawName,
            flags: directory.readUInt16LE(at + 8),
            method: directory.readUInt16LE(at + 10),
            crc: directory.readUInt32LE(at + 16),
            compressedSize: directory.readUInt32LE(at + 20),
            size: directory.readUInt32LE(at + 24),
            localOffset: directory.readUInt32LE(at + 42),
            madeBy: directory.readUInt16LE(at + 4) >> 8,
            externalAttributes: directory.readUInt32LE(at + 38)
        });
        at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    }
    // Entries past the count are members a reader walking the directory by its size would see, and this one not.
    if (at !== directory.length)
        throw new Error(`corrupt central directory: ${directory.length - at} bytes past its ${count} entries`);
    return entries;
}
/**
 * The member's compressed bytes, after its local header: what a streaming reader takes for the member
 * must be what the central directory says it is, else the archive means two things.
 */
function localData(source, entry) {
    const local = source.readAt(entry.localOffset, 30);
    if (local.readUInt32LE(0) !== LOCAL_HEADER)
        throw new Error(`corrupt local header for ${entry.name}`);
    const nameLength = local.readUInt16LE(26);
    const localName = source.readAt(entry.localOffset + 30, nameLength);
    if (!localName.equals(entry.rawName))
        throw new Error(`${entry.name}: its local header names ${JSON.stringify(localName.toString('utf8'))}, the central directory another file`);
    const disagrees = local.readUInt16LE(8) !== entry.method ||
        // Without a data descriptor (flag 3) the local header carries the CRC and sizes itself.
        ((entry.flags & DATA_DESCRIPTOR) === 0 &&
            (local.readUInt32LE(14) !== entry.crc ||
                local.readUInt32LE(18) !== entry.compressedSize ||
                local.readUInt32LE(22) !== entry.size));
    if (disagrees)
        throw new Error(`${entry.name}: its local header and the central directory disagree on its method, CRC or sizes`);
    return source.readAt(entry.localOffset + 30 + nameLength + local.readUInt16LE(28), entry.compressedSize);
}
/**
 * A member's content, held to what its directory entry records: the size was checked against the limits,
 * so inflating no further than it keeps a bomb from growing past them, and a member whose length or
 * CRC-32 differs from the record is corrupt or altered, never returned.
 */
function memberBytes(name, method, data, recorded) {
    const bytes = method === STORED ? data : inflateNoMoreThan(name, data, recorded.size);
    if (bytes.length !== recorded.size)
        throw new Error(`${name} holds ${bytes.length} bytes, not the ${recorded.size} bytes its directory entry records`);
    if ((0,node_zlib__WEBPACK_IMPORTED_MODULE_1__.crc32)(bytes) !== recorded.crc)
        throw new Error(`${name} fails its CRC-32 check: the member is corrupt or altered`);
    return bytes;
}
function inflateNoMoreThan(name, data, size) {
    try {
        return (0,node_zlib__WEBPACK_IMPORTED_MODULE_1__.inflateRawSync)(data, { maxOutputLength: Math.max(1, size) });
    }
    catch (error) {
        if (error.code === 'ERR_BUFFER_TOO_LARGE')
            throw new Error(`${name} inflates to more than the ${size} bytes its directory entry records`, {
                cause: error
            });
        throw new Error(`${name} cannot be inflated: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .getErrorMessage */ .u1)(error)}`, { cause: error });
    }
}


/***/ }),

/***/ 9970:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  installTool: () => (/* binding */ installTool)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/core/src/runtime/errors.ts
var errors = __webpack_require__(7115);
// EXTERNAL MODULE: ./packages/core/src/runtime/process.ts + 1 modules
var runtime_process = __webpack_require__(5350);
// EXTERNAL MODULE: ./packages/core/src/runtime/zip.ts
var zip = __webpack_require__(4105);
;// CONCATENATED MODULE: ./packages/core/src/tools/catalog.json
const catalog_namespaceObject = /*#__PURE__*/JSON.parse('{"$comment":["Pinned release assets for the scanners the actions install. Every sha256 is the value published for that exact","release asset, as recorded in public pin files (install scripts, Bazel toolchains, Homebrew formulae, Makefiles)","that were located with the code index on 2026-11-25 by searching for the asset file name; `source` says how many","independent files agreed. A platform missing from a version has no hash we could confirm: the installer refuses it","and points at the pre-provisioned path (<tool>-path input / SECURE_PIPELINE_<TOOL>_PATH). Never invent a hash here;","trivy 0.69.4, 0.69.5 and 0.69.6 were compromised releases and are refused in code whatever this file says."],"tools":{"trivy":{"default":"0.74.0","versions":{"0.74.0":{"linux-x64":{"url":"https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz","sha256":"2ae6fe3ee734b7fdf11335663e18c75ea12dccc76062f09f164a3b0f8be4371a","archive":"tar.gz","binary":"trivy","source":"7+ independent public pin files agree (Bazel toolchain, Go installer manifest, CI install scripts, justfile)"},"linux-arm64":{"url":"https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-ARM64.tar.gz","sha256":"b94ce1976bbf3c15b514b605ee88be7c6d94a29be2302847ff01cb794d47aad5","archive":"tar.gz","binary":"trivy","source":"5+ public pin files agree, one records re-hashing the downloaded asset"},"darwin-x64":{"url":"https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_macOS-64bit.tar.gz","sha256":"472816f6888dda689d075c30254d4210b4d1035acf365aa72332f584c2f60485","archive":"tar.gz","binary":"trivy","source":"3 public pin files agree (Bazel toolchain, Go installer manifest, generated TS pin table)"},"darwin-arm64":{"url":"https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_macOS-ARM64.tar.gz","sha256":"1caada5e0e2091909357c7525d3aa76f4b660b13821bc143b190c7483e31cc11","archive":"tar.gz","binary":"trivy","source":"4 public pin files agree (Bazel toolchain, Go installer manifest, TS pin table, shell installer)"},"win32-x64":{"url":"https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_windows-64bit.zip","sha256":"94c40e0696e4b907a74b7b2e1438d5d72ebaca83115817407f568a002d520842","archive":"zip","binary":"trivy.exe","source":"6+ public pin files agree, one states it was checked against trivy_0.74.0_checksums.txt"}}}},"osv-scanner":{"default":"2.6.0","versions":{"2.6.0":{"linux-x64":{"url":"https://github.com/google/osv-scanner/releases/download/v2.6.0/osv-scanner_linux_amd64","sha256":"ca69b3d3cd08f889a49dc0a383122f71cc528b83803671df5fd874d97485b108","archive":"none","binary":"osv-scanner","source":"5+ public pin files agree (Homebrew formula resources, install scripts); bare binary, no archive"},"linux-arm64":{"url":"https://github.com/google/osv-scanner/releases/download/v2.6.0/osv-scanner_linux_arm64","sha256":"2c71403eb443d05891c4f268c3ad771cf4f16e5443463fd7851ef8f454d3c7e4","archive":"none","binary":"osv-scanner","source":"4+ public pin files agree"},"darwin-x64":{"url":"https://github.com/google/osv-scanner/releases/download/v2.6.0/osv-scanner_darwin_amd64","sha256":"60c5296637e977b28eeda5c7f13573e447659a632922737f94d11fa7e30ad6ca","archive":"none","binary":"osv-scanner","source":"8+ public pin files agree, one states it matches the release osv-scanner_SHA256SUMS"},"darwin-arm64":{"url":"https://github.com/google/osv-scanner/releases/download/v2.6.0/osv-scanner_darwin_arm64","sha256":"98c460dcd37de25819babd757d04542045b6243113e209edcd4d89fedb0256b4","archive":"none","binary":"osv-scanner","source":"8+ public pin files agree"},"win32-x64":{"url":"https://github.com/google/osv-scanner/releases/download/v2.6.0/osv-scanner_windows_amd64.exe","sha256":"e0ed7644118b717b028c249ee9d3515024e55e8510747ca08906eb96765354d6","archive":"none","binary":"osv-scanner.exe","source":"4 public pin files agree"}}}},"opengrep":{"default":"1.30.0","versions":{"1.30.0":{"linux-x64":{"url":"https://github.com/opengrep/opengrep/releases/download/v1.30.0/opengrep_manylinux_x86","sha256":"35779bdd72e92129c8df2a77f0c55e8c08356801ea92591ef32108d6b28d564c","archive":"none","binary":"opengrep","source":"8+ public pin files agree (Homebrew formula, CI scripts, TS installers)"},"linux-arm64":{"url":"https://github.com/opengrep/opengrep/releases/download/v1.30.0/opengrep_manylinux_aarch64","sha256":"a5d5a4a58ba5d46ff51e921663da1c2bba38f4b03987f4aeec87f16c6ad3ecae","archive":"none","binary":"opengrep","source":"8+ public pin files agree, one quotes the digest GitHub shows on the release"},"darwin-x64":{"url":"https://github.com/opengrep/opengrep/releases/download/v1.30.0/opengrep_osx_x86","sha256":"650772a849a2986880982b7dea0371f96a75d354de95f94e8c1a2e6f8f6262d1","archive":"none","binary":"opengrep","source":"4+ public pin files agree"},"darwin-arm64":{"url":"https://github.com/opengrep/opengrep/releases/download/v1.30.0/opengrep_osx_arm64","sha256":"0f5bc3dec09d995c61331a4017b856ede508f90d95b018d95f1dc6166be89fdd","archive":"none","binary":"opengrep","source":"4+ public pin files agree"},"win32-x64":{"url":"https://github.com/opengrep/opengrep/releases/download/v1.30.0/opengrep_windows_x86.exe","sha256":"b5cf4f8fe9f44e030aab2d579d96bd395c139db1f1ba66633676ff4d5ebc7c39","archive":"none","binary":"opengrep.exe","source":"5 public files agree (TS installer, Python pin table, two component records naming release v1.30.0)"}}}},"grype":{"default":"0.118.0","versions":{"0.118.0":{"linux-x64":{"url":"https://github.com/anchore/grype/releases/download/v0.118.0/grype_0.118.0_linux_amd64.tar.gz","sha256":"1d444c5e7360471815f7158f71935fcecc68a3c417d85c7344f770854300bba2","archive":"tar.gz","binary":"grype","source":"5+ public pin files agree (Bazel toolchain, Go installer whose author cosign-verified the checksums file, CI scripts)"},"linux-arm64":{"url":"https://github.com/anchore/grype/releases/download/v0.118.0/grype_0.118.0_linux_arm64.tar.gz","sha256":"32aceeb8ee837244775fcb522372c8b3a47914986385f3148f4ee2c930482a84","archive":"tar.gz","binary":"grype","source":"2 public pin files agree (Bazel toolchain, Go installer manifest)"},"darwin-x64":{"url":"https://github.com/anchore/grype/releases/download/v0.118.0/grype_0.118.0_darwin_amd64.tar.gz","sha256":"cfeecf3462321c37ec4bd37dcd8a7f6630cc6c0c9997a07ff34002c5d7ef9bb3","archive":"tar.gz","binary":"grype","source":"2 public pin files agree (Bazel toolchain, Go installer manifest)"},"darwin-arm64":{"url":"https://github.com/anchore/grype/releases/download/v0.118.0/grype_0.118.0_darwin_arm64.tar.gz","sha256":"938f050bb5076c8aa761867b39843abad2414dfe4cc82b7d36886e634f49c640","archive":"tar.gz","binary":"grype","source":"2 public pin files agree (Bazel toolchain, Go installer manifest)"},"win32-x64":{"url":"https://github.com/anchore/grype/releases/download/v0.118.0/grype_0.118.0_windows_amd64.zip","sha256":"82fb07f246e61526e8f2bf187fc6bb29ed23c7450cda6e9d1868a60fb942fc98","archive":"zip","binary":"grype.exe","source":"1 public file only, which states it was checked against the release checksums file and GitHub digest"}}}},"crane":{"default":"0.22.1","versions":{"0.22.1":{"linux-x64":{"url":"https://github.com/google/go-containerregistry/releases/download/v0.22.1/go-containerregistry_Linux_x86_64.tar.gz","sha256":"0ab7a1d6932a213aed964ce97666c3077fe691c8606413674a8b3e0b9ec4cda0","archive":"tar.gz","binary":"crane","source":"8+ public pin files agree (incl. a nixpkgs SRI hash that decodes to the same digest)"},"linux-arm64":{"url":"https://github.com/google/go-containerregistry/releases/download/v0.22.1/go-containerregistry_Linux_arm64.tar.gz","sha256":"898c0cff975f898a33e8c4580bdafb0e7c02c7faa33374e946762f97c4ab7110","archive":"tar.gz","binary":"crane","source":"4 public pin files agree"},"darwin-x64":{"url":"https://github.com/google/go-containerregistry/releases/download/v0.22.1/go-containerregistry_Darwin_x86_64.tar.gz","sha256":"6fedd06a648c11335f0e8b9547e4783002c30e9336047fec292942cd518bb799","archive":"tar.gz","binary":"crane","source":"4 public pin files agree"},"darwin-arm64":{"url":"https://github.com/google/go-containerregistry/releases/download/v0.22.1/go-containerregistry_Darwin_arm64.tar.gz","sha256":"2231fc8df8806d20d680ff1225db44e095a55dd6ac1ae8eced4faf4b278b78fb","archive":"tar.gz","binary":"crane","source":"4 public pin files agree"},"win32-x64":{"url":"https://github.com/google/go-containerregistry/releases/download/v0.22.1/go-containerregistry_Windows_x86_64.tar.gz","sha256":"0e073ea8192c3b8442ec8aaf44d53c1050a09084669fae3a6ceb0f2026cf8b21","archive":"tar.gz","binary":"crane.exe","source":"3 public pin files agree (Chocolatey package script, two PowerShell installers)"}}}},"kustomize":{"default":"5.8.2","versions":{"5.8.2":{"linux-x64":{"url":"https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize/v5.8.2/kustomize_v5.8.2_linux_amd64.tar.gz","sha256":"06af0a202c2b831207d0173f9c9cdb1b30abceca0747cb3fbb72792d26055c95","archive":"tar.gz","binary":"kustomize","source":"5 public pin files agree, one states the pins were cross-checked with the release checksums.txt"},"linux-arm64":{"url":"https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize/v5.8.2/kustomize_v5.8.2_linux_arm64.tar.gz","sha256":"0991957191951cb7dddd142403b5bb98a1fcd6378ba0079dddc1e2c309080a7f","archive":"tar.gz","binary":"kustomize","source":"3 public pin files agree"}}}},"uv":{"default":"0.13.0","versions":{"0.13.0":{"linux-x64":{"url":"https://github.com/astral-sh/uv/releases/download/0.13.0/uv-x86_64-unknown-linux-gnu.tar.gz","sha256":"1468ebd5a5541121837c5a2817b9972ba6090fa6caa3d142620850a47fb75154","archive":"tar.gz","binary":"uv-x86_64-unknown-linux-gnu/uv","source":"6 public pin files agree (Homebrew formula, shell version pins, TS/JS pin tables, one stating it was checked against GitHub\'s release asset digests)"},"linux-arm64":{"url":"https://github.com/astral-sh/uv/releases/download/0.13.0/uv-aarch64-unknown-linux-gnu.tar.gz","sha256":"3ccfb6af6e242433eb552f7d9676abd5412c6595c497e990d9c8cb7b5bd4d2c3","archive":"tar.gz","binary":"uv-aarch64-unknown-linux-gnu/uv","source":"5 public pin files agree (Homebrew formula, shell version pins, TS/JS pin tables)"},"darwin-x64":{"url":"https://github.com/astral-sh/uv/releases/download/0.13.0/uv-x86_64-apple-darwin.tar.gz","sha256":"5f44dcbde809b632f47c36fadb241cb4d6f9af71d0c8f172b5d2026d3dde742c","archive":"tar.gz","binary":"uv-x86_64-apple-darwin/uv","source":"6 public pin files agree (two Homebrew formulae, shell version pins, TS/JS pin tables)"},"darwin-arm64":{"url":"https://github.com/astral-sh/uv/releases/download/0.13.0/uv-aarch64-apple-darwin.tar.gz","sha256":"a9c1b29002cf3c83f07fa9cd8a887a3be0107d90e23189721221e7257db8e3d6","archive":"tar.gz","binary":"uv-aarch64-apple-darwin/uv","source":"7 public pin files agree (two Homebrew formulae, shell version pins, TS/JS pin tables)"}}}}}}');
;// CONCATENATED MODULE: ./packages/core/src/tools/catalog.ts


const PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];
/**
 * Releases that were published by an attacker under the project's own name (trivy, March 2026).
 * Refused in code, not just left out of the catalog, so no catalog edit or input can bring them back.
 */
const COMPROMISED_RELEASES = {
    trivy: ['0.69.4', '0.69.5', '0.69.6']
};
const EXACT_VERSION = /^\d+\.\d+\.\d+$/;
let builtIn;
/*
 * The catalog shipped in the bundle, as written in the repository: its shape is checked by the tests
 * (catalog-schema.ts) rather than on every run, since the bundle cannot change it. The compromised
 * releases are refused here too, so no catalog edit can bring one back.
 */
function defaultCatalog() {
    if (!builtIn) {
        const catalog = catalog_namespaceObject;
        const [listed] = compromisedReleasesIn(catalog);
        if (listed)
            throw new errors/* IntegrityError */.cs(`the tool catalog lists ${listed.tool} ${listed.version}, a compromised release`);
        builtIn = catalog;
    }
    return builtIn;
}
/** Every compromised release a catalog lists (the schema and the shipped catalog both refuse them). */
function compromisedReleasesIn(catalog) {
    return Object.entries(COMPROMISED_RELEASES).flatMap(([tool, bad]) => bad.filter(version => catalog.tools[tool]?.versions[version]).map(version => ({ tool, version })));
}
function isPlatform(value) {
    return PLATFORMS.includes(value);
}
function currentPlatform() {
    return `${process.platform}-${process.arch}`;
}

// EXTERNAL MODULE: ./packages/core/src/tools/locate.ts
var locate = __webpack_require__(4535);
;// CONCATENATED MODULE: ./packages/core/src/tools/version.ts


/**
 * Turns a user's version input into an exact `x.y.z`. Only digits and dots survive, so the value is
 * safe to put in URLs, paths and log lines; `latest` is an alias for the catalog's pinned default,
 * never a lookup of whatever was published last.
 */
function resolveVersion(tool, requested, entry, 
/** How messages name the setting: the caller's `Input '…'`, else what it is. */
setting = `The ${tool} version`) {
    const raw = requested?.trim() ?? '';
    let version;
    if (raw === '' || raw === 'latest') {
        if (!entry.default) {
            throw new errors/* ConfigurationError */.j1(`${setting} is ${raw === '' ? 'empty' : "'latest'"} but ${tool} has no default version in the catalog; set an exact version such as ${Object.keys(entry.versions)[0] ?? '1.2.3'}.`);
        }
        version = entry.default;
    }
    else {
        version = raw.startsWith('v') ? raw.slice(1) : raw;
        if (!EXACT_VERSION.test(version)) {
            throw new errors/* ConfigurationError */.j1(`${setting} must be an exact version like 1.2.3 (one leading 'v' allowed) or 'latest', got ${JSON.stringify(raw)}.`);
        }
    }
    if (COMPROMISED_RELEASES[tool]?.includes(version)) {
        throw new errors/* ConfigurationError */.j1(`${setting}: ${tool} ${version} is a known-compromised release (malicious binaries were published under it); pin ${entry.default ?? 'another version'} instead.`);
    }
    return version;
}

;// CONCATENATED MODULE: ./packages/core/src/tools/install.ts









/** Unpacking a verified archive of tens of MB takes seconds; this only stops a wedged tar. */
const UNPACK_DEADLINE_MS = 300_000;
/** Larger than any scanner binary (trivy.exe is about 200 MB); the zip reader holds the member in memory. */
const MAX_BINARY_BYTES = 1024 * 1024 * 1024;
/**
 * Provides a pinned scanner binary: pre-provisioned if the user gave one, else the catalog's release
 * asset, whose sha256 is checked before a single byte of it is unpacked or run.
 */
async function installTool(options) {
    const { tool, logger } = options;
    const env = options.env ?? process.env;
    const entry = catalogEntry(options.catalog ?? defaultCatalog(), tool);
    const names = options.inputs ?? {};
    const versionSetting = (0,locate/* settingName */.QX)(names.version, `The ${tool} version`);
    const version = resolveVersion(tool, options.version, entry, versionSetting);
    const own = await preProvisioned(options, env);
    if (own)
        return { path: own, version, source: 'pre-provisioned' };
    const platform = options.platform ?? currentPlatform();
    const asset = pinnedAsset(entry, tool, version, platform, { versionSetting, names });
    const mirror = options.mirror?.trim() || env[locate/* MIRROR_ENV */.Ic]?.trim();
    const mirrorSetting = options.mirror?.trim() ? (0,locate/* settingName */.QX)(names.mirror, 'The tools mirror') : locate/* MIRROR_ENV */.Ic;
    const url = (0,locate/* applyMirror */.iy)(asset.url, mirror, mirrorSetting);
    // A fresh mkdtemp directory (mode 0700) per run, never a fixed path: nothing in a shared temp dir is reused.
    const tempRoot = options.tempDir ?? env.RUNNER_TEMP ?? (0,external_node_os_.tmpdir)();
    const label = `${tool} ${version} (${platform})`;
    return logger.group(`Install ${label}`, async () => {
        const workDir = await (0,promises_.mkdtemp)(external_node_path_.join(tempRoot, `sp-${tool}-download-`));
        try {
            let archive = await fromToolCache(tool, version, platform, asset, workDir, logger);
            const source = archive ? 'cache' : 'download';
            if (!archive) {
                if (mirror)
                    logger.info(`${label}: using mirror ${mirror}`);
                archive = external_node_path_.join(workDir, assetFileName(asset));
                logger.info(`${label}: downloading ${url}`);
                await (options.download ?? (await downloads()).fetchDownload)(url, archive, {
                    logger,
                    retry: options.retry,
                    cancel: options.cancel
                });
                await verifyOrDelete(archive, asset.sha256, `${label} downloaded from ${url}`);
                logger.info(`${label}: sha256 ${asset.sha256} verified`);
                await saveToToolCache(archive, tool, version, platform, asset, logger);
            }
            const binary = await unpack(archive, asset, tempRoot, tool, version);
            logger.info(`${label}: ${binary}`);
            return { path: binary, version, source };
        }
        finally {
            await (0,promises_.rm)(workDir, { recursive: true, force: true });
        }
    });
}
function catalogEntry(catalog, tool) {
    const entry = catalog.tools[tool];
    if (entry)
        return entry;
    throw new errors/* ConfigurationError */.j1(`Unknown tool '${tool}': the pinned catalog has ${Object.keys(catalog.tools).join(', ')}.`);
}
/** The user's own binary, from the option or SECURE_PIPELINE_<TOOL>_PATH; undefined when none is given. */
async function preProvisioned(options, env) {
    const { tool, logger } = options;
    const given = (0,locate/* givenBinary */.$e)(tool, options.preProvisionedPath, env, options.inputs?.path);
    if (!given)
        return undefined;
    const origin = given.setting.replace(/^./, first => first.toUpperCase());
    const binary = await (0,locate/* checkPreProvisioned */.Us)(tool, given.path, origin);
    logger.info(`${tool}: using the pre-provisioned binary ${binary} (from ${origin}) as is; it is not hash-verified, because no pinned sha256 applies to a file this action did not download.`);
    return binary;
}
function pinnedAsset(entry, tool, version, platform, { versionSetting, names }) {
    const envName = (0,locate/* preProvisionedEnvName */.u0)(tool);
    const ownBinary = names.path ? `the '${names.path}' input or ${envName}` : envName;
    const assets = entry.versions[version];
    if (!assets) {
        throw new errors/* ConfigurationError */.j1(`${versionSetting}: ${tool} ${version} is not in the pinned catalog (pinned: ${Object.keys(entry.versions).join(', ')}); choose a pinned version or provide your own binary with ${ownBinary}.`);
    }
    const asset = isPlatform(platform) ? assets[platform] : undefined;
    if (asset)
        return asset;
    throw new errors/* ConfigurationError */.j1(`${tool} ${version} has no published sha256 pinned for ${platform} (pinned: ${Object.keys(assets).join(', ')}), so it will not be downloaded; provide a pre-provisioned binary with ${ownBinary}.`);
}
async function verifyOrDelete(file, expected, what) {
    const actual = await (await downloads()).sha256File(file);
    if (actual === expected)
        return;
    await (0,promises_.rm)(file, { force: true });
    throw new errors/* IntegrityError */.cs(`sha256 mismatch for ${what}: expected ${expected}, got ${actual}. The file was deleted; nothing was extracted or executed.`);
}
function assetFileName(asset) {
    return external_node_path_.posix.basename(new URL(asset.url).pathname);
}
// Cached under our own name so another action's extracted `trivy` in the same cache is never mistaken for ours.
function cacheName(tool) {
    return `secure-pipeline-${tool}-archive`;
}
/**
 * Loaded on first use: @actions/tool-cache brings @actions/core and its HTTP client (undici), ~35 ms of
 * start-up that a run with a pre-provisioned or already installed tool never needs.
 */
const toolCache = () => __webpack_require__.e(/* import() */ 991).then(__webpack_require__.bind(__webpack_require__, 5991));
/** Loaded on first use too: the downloader and hashing bring node:crypto and streams (5-10 ms). */
const downloads = () => __webpack_require__.e(/* import() */ 256).then(__webpack_require__.bind(__webpack_require__, 5256));
/**
 * The tool cache keeps the verified ARCHIVE, and every hit is re-hashed and extracted afresh: on
 * self-hosted runners that cache outlives the job and anything running as the runner user can
 * write to it, so "it was verified when it was stored" proves nothing about what is there now.
 * The copy is hashed, not the shared file, so nothing can swap the bytes between check and use.
 */
async function fromToolCache(tool, version, platform, asset, workDir, logger) {
    if (!process.env.RUNNER_TOOL_CACHE)
        return undefined;
    const dir = (await toolCache()).find(cacheName(tool), version, platform);
    if (!dir)
        return undefined;
    const cached = external_node_path_.join(dir, assetFileName(asset));
    const copy = external_node_path_.join(workDir, assetFileName(asset));
    try {
        await (0,promises_.copyFile)(cached, copy);
    }
    catch {
        logger.warning(`${tool} ${version}: the tool-cache entry ${dir} has no ${assetFileName(asset)}; downloading again.`);
        return undefined;
    }
    const actual = await (await downloads()).sha256File(copy);
    if (actual !== asset.sha256) {
        await (0,promises_.rm)(copy, { force: true });
        await (0,promises_.rm)(dir, { recursive: true, force: true });
        await (0,promises_.rm)(`${dir}.complete`, { force: true });
        throw new errors/* IntegrityError */.cs(`sha256 mismatch for the cached archive ${cached} of ${tool} ${version} (${platform}): expected ${asset.sha256}, got ${actual}. The cache entry was removed; nothing was extracted or executed. Someone or something wrote to the tool cache: find out what before re-running.`);
    }
    logger.info(`${tool} ${version}: cached archive re-verified (sha256 ${actual})`);
    return copy;
}
async function saveToToolCache(archive, tool, version, platform, asset, logger) {
    if (!process.env.RUNNER_TOOL_CACHE) {
        logger.debug(`RUNNER_TOOL_CACHE is not set; ${tool} ${version} is not cached.`);
        return;
    }
    await (await toolCache()).cacheFile(archive, assetFileName(asset), cacheName(tool), version, platform);
}
/** Unpacks into a directory nobody else has seen, and returns the binary's real path inside it. */
async function unpack(archive, asset, tempRoot, tool, version) {
    const dest = await (0,promises_.mkdtemp)(external_node_path_.join(tempRoot, `sp-${tool}-${version}-`));
    try {
        if (asset.archive === 'tar.gz')
            await untar(archive, dest, asset.url);
        else if (asset.archive === 'zip')
            await unzipBinary(archive, asset, dest);
        else
            await (0,promises_.copyFile)(archive, external_node_path_.join(dest, asset.binary));
        const binary = await containedFile(dest, asset.binary);
        if (!binary)
            throw new errors/* BrokenInputError */.YU(asset.url, `the archive has no file ${asset.binary}`);
        if (process.platform !== 'win32')
            await (0,promises_.chmod)(binary, 0o755);
        return binary;
    }
    catch (error) {
        await (0,promises_.rm)(dest, { recursive: true, force: true });
        throw error;
    }
}
/**
 * The system tar through the one process runner, so it gets the allowlisted environment: tool-cache's
 * extractTar hands tar (whichever `tar` PATH names) the whole environment, the token among the inputs.
 */
async function untar(archive, dest, url) {
    const outcome = await (0,runtime_process/* runProcess */.R3)('tar', ['-xzf', archive, '--no-same-owner', '-C', dest], {
        cwd: dest,
        deadlineMs: UNPACK_DEADLINE_MS,
        env: (0,runtime_process/* childEnv */.gf)()
    });
    if (outcome.exitCode === 0)
        return;
    const why = outcome.timedOut
        ? `took over ${UNPACK_DEADLINE_MS} ms`
        : `exit ${outcome.exitCode ?? outcome.signal}`;
    throw new errors/* BrokenInputError */.YU(url, `tar could not unpack it (${why}): ${outcome.stderr.trim().slice(-500)}`);
}
/** Only the binary is read out of a zip, in this process: no unzip or PowerShell child, no other member written. */
async function unzipBinary(archive, asset, dest) {
    let members;
    try {
        members = (0,zip/* readZipMembers */.v)(archive, name => name === asset.binary, { maxMemberBytes: MAX_BINARY_BYTES });
    }
    catch (error) {
        throw new errors/* BrokenInputError */.YU(asset.url, `the zip cannot be read: ${(0,errors/* getErrorMessage */.u1)(error)}`);
    }
    const bytes = members.get(asset.binary);
    if (!bytes)
        return;
    const target = external_node_path_.join(dest, asset.binary);
    await (0,promises_.mkdir)(external_node_path_.dirname(target), { recursive: true });
    await (0,promises_.writeFile)(target, bytes, { flag: 'wx', mode: 0o755 });
}
async function containedFile(root, relative) {
    try {
        const realRoot = await (0,promises_.realpath)(root);
        const real = await (0,promises_.realpath)(external_node_path_.join(root, relative));
        const inside = external_node_path_.relative(realRoot, real);
        if (inside.startsWith('..') || external_node_path_.isAbsolute(inside))
            return undefined;
        return (await (0,promises_.stat)(real)).isFile() ? real : undefined;
    }
    catch {
        return undefined;
    }
}


/***/ })

};
;