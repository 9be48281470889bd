import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs'
import * as path from 'node:path'
import { sha256File } from '../../tools/download.js'
import { parseRecord } from './record.js'
import { readZipMembers } from '../../runtime/zip.js'

/** The locked requirements: which project each allowed wheel digest (hex sha256) belongs to. */
export interface LockedWheels {
  byDigest: ReadonlyMap<string, string>
  projects: ReadonlySet<string>
}

/** Reads `name==version --hash=sha256:…` entries of a hash-locked requirements file. */
export function lockedWheels(requirements: string): LockedWheels {
  const byDigest = new Map<string, string>()
  const projects = new Set<string>()
  const entries = requirements.replace(/\\\r?\n/g, ' ').split(/\r?\n/)
  for (const entry of entries) {
    const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)==/.exec(entry)?.[1]
    if (!name) continue
    const project = projectKey(name)
    projects.add(project)
    for (const m of entry.matchAll(/--hash=sha256:([0-9a-f]{64})/g)) byDigest.set(m[1]!, project)
  }
  return { byDigest, projects }
}

/** PEP 503 normalization, which also matches a wheel file name's first part. */
function projectKey(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

/** What the interpreter the venv was made from looks like, to check the venv's links and pyvenv.cfg. */
export interface BasePython {
  /** `sys._base_executable` of the interpreter that creates venvs. */
  executable: string
}

/** Files pip writes into a dist-info directory at install time; data only, never executed. */
const INSTALL_RECORDS = new Set(['INSTALLER', 'REQUESTED', 'RECORD', 'direct_url.json'])
/** Written by `python -m venv` for people who activate it; this action never runs them. */
const ACTIVATE_SCRIPTS = new Set(['activate', 'activate.csh', 'activate.fish', 'Activate.ps1'])
const PYVENV_KEYS = new Set([
  'home',
  'include-system-site-packages',
  'version',
  'executable',
  'command',
  'prompt'
])

interface Expected {
  sha256: string
  size?: number
}

/** Every installed file a verified wheel accounts for (absolute path → digest), and its dist-info dirs. */
function expectedFiles(
  venv: string,
  sitePackages: string,
  wheels: readonly string[]
): { files: Map<string, Expected>; distInfos: Set<string> } {
  const files = new Map<string, Expected>()
  const distInfos = new Set<string>()
  for (const wheel of wheels) {
    const members = readZipMembers(wheel, name => /^[^/]+\.dist-info\/RECORD$/.test(name))
    if (members.size !== 1) throw new Error(`${path.basename(wheel)} has ${members.size} RECORD files`)
    const [[recordName, text]] = [...members] as [[string, Buffer]]
    distInfos.add(path.join(sitePackages, path.dirname(recordName)))
    for (const entry of parseRecord(text.toString('utf8'), path.basename(wheel))) {
      if (!entry.sha256) continue
      const target = installedPath(venv, sitePackages, entry.path)
      if (target === undefined) continue
      if (path.relative(venv, target).startsWith('..'))
        throw new Error(`${path.basename(wheel)} installs ${entry.path} outside the venv`)
      files.set(target, { sha256: entry.sha256, ...(entry.size !== undefined ? { size: entry.size } : {}) })
    }
  }
  return { files, distInfos }
}

/** Where pip puts a wheel member; undefined for scripts, which the install removes (nothing runs them). */
function installedPath(venv: string, sitePackages: string, member: string): string | undefined {
  const data = /^([^/]+)\.data\/(purelib|platlib|headers|data|scripts)\/(.+)$/.exec(member)
  if (!data) return path.join(sitePackages, member)
  const [, distribution, scheme, rest] = data as unknown as [string, string, string, string]
  if (scheme === 'scripts') return undefined
  if (scheme === 'data') return path.join(venv, rest)
  if (scheme === 'headers') {
    const python = path.basename(path.dirname(sitePackages))
    return path.join(venv, 'include', 'site', python, distribution.split('-')[0]!, rest)
  }
  return path.join(sitePackages, rest)
}

function parsePyvenvCfg(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^=#]+?)\s*=\s*(.*?)\s*$/.exec(line)
    if (m) out.set(m[1]!, m[2]!)
  }
  return out
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b)
  } catch {
    return false
  }
}

/**
 * Why the venv at `<root>/venv`, built from the wheels in `<root>/wheels`, cannot be trusted; empty when
 * it can. The wheels are checked against the lock file's digests (the lock ships with the action, so a
 * writer of the tool cache cannot forge it); every installed file against the RECORD inside its verified
 * wheel; and nothing else may be there: no extra file in site-packages (a `.pth` or `sitecustomize.py`
 * runs at start-up), no bytecode (the engine keeps its bytecode in a per-job directory), no executable in
 * bin/ but the interpreter links, which must lead to the interpreter the venv was made from.
 */
export async function venvProblems(root: string, lock: LockedWheels, base: BasePython): Promise<string[]> {
  const problems: string[] = []
  const wheelsDir = path.join(root, 'wheels')
  const venv = path.join(root, 'venv')
  let wheelNames: string[]
  let pythonDirs: string[]
  try {
    wheelNames = readdirSync(wheelsDir).sort()
    pythonDirs = readdirSync(path.join(venv, 'lib')).filter(name => /^python3\.\d+$/.test(name))
  } catch (error) {
    return [`incomplete install (${(error as NodeJS.ErrnoException).code ?? String(error)})`]
  }
  if (pythonDirs.length !== 1) return [`lib/ holds ${pythonDirs.length} python3.x directories, not 1`]
  const sitePackages = path.join(venv, 'lib', pythonDirs[0]!, 'site-packages')

  const covered = new Set<string>()
  const wheels: string[] = []
  for (const name of wheelNames) {
    const file = path.join(wheelsDir, name)
    if (!name.endsWith('.whl') || !lstatSync(file).isFile()) {
      problems.push(`wheels/${name} is not a wheel file`)
      continue
    }
    const project = lock.byDigest.get(await sha256File(file))
    if (!project) problems.push(`wheels/${name} has a sha256 the lock file does not list`)
    else if (covered.has(project)) problems.push(`wheels/ holds two wheels of ${project}`)
    else {
      covered.add(project)
      wheels.push(file)
    }
  }
  for (const project of lock.projects)
    if (!covered.has(project)) problems.push(`no verified wheel of ${project}`)
  if (problems.length > 0) return problems

  const { files, distInfos } = expectedFiles(venv, sitePackages, wheels)
  const seen = new Set<string>()
  const visit = async (dir: string): Promise<void> => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name)
      const where = path.relative(venv, file)
      if (entry.isDirectory()) await visit(file)
      else if (entry.isSymbolicLink()) {
        const interpreter = dir === path.join(venv, 'bin') && /^python(3(\.\d+)?)?$/.test(entry.name)
        const lib64 = dir === venv && entry.name === 'lib64' && readlinkSync(file) === 'lib'
        if (!lib64 && !(interpreter && sameFile(file, base.executable)))
          problems.push(`${where} is a symbolic link that is not the venv's own`)
      } else if (!entry.isFile()) problems.push(`${where} is not a regular file`)
      else if (dir === venv && entry.name === 'pyvenv.cfg') problems.push(...pyvenvProblems(file, base))
      else if (dir === path.join(venv, 'bin') && ACTIVATE_SCRIPTS.has(entry.name)) continue
      else if (distInfos.has(dir) && INSTALL_RECORDS.has(entry.name)) continue
      else {
        const expected = files.get(file)
        seen.add(file)
        if (!expected) problems.push(`${where} is not from a verified wheel`)
        else if (expected.size !== undefined && lstatSync(file).size !== expected.size)
          problems.push(`${where} differs from its wheel (size)`)
        else if (Buffer.from(await sha256File(file), 'hex').toString('base64url') !== expected.sha256)
          problems.push(`${where} differs from its wheel (sha256)`)
      }
      if (problems.length >= 10) return
    }
  }
  await visit(venv)
  for (const file of files.keys())
    if (!seen.has(file) && problems.length < 10) problems.push(`${path.relative(venv, file)} is missing`)
  return problems
}

function pyvenvProblems(file: string, base: BasePython): string[] {
  const cfg = parsePyvenvCfg(readFileSync(file, 'utf8'))
  const problems: string[] = []
  const unknown = [...cfg.keys()].filter(key => !PYVENV_KEYS.has(key))
  if (unknown.length > 0) problems.push(`pyvenv.cfg sets ${unknown.join(', ')}`)
  if (cfg.get('include-system-site-packages') !== 'false')
    problems.push('pyvenv.cfg does not keep system site-packages out')
  const home = cfg.get('home')
  if (!home || !sameFile(home, path.dirname(base.executable)))
    problems.push(`pyvenv.cfg home ${home ?? '(none)'} is not ${path.dirname(base.executable)}`)
  const executable = cfg.get('executable')
  if (executable !== undefined && !sameFile(executable, base.executable))
    problems.push(`pyvenv.cfg executable ${executable} is not ${base.executable}`)
  return problems
}
