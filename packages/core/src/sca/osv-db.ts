import { createHash } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { BrokenInputError, ConfigurationError, IntegrityError } from '../runtime/errors.js'
import { canonicalOsvEcosystem, osvPackageOfPurl, pep503Name } from '../sbom/purl.js'
import { zipArchive } from './zip-writer.js'

/**
 * osv-scanner 2.6.0's offline database: `<dir>/osv-scalibr/<Ecosystem>/all.zip`, one archive of OSV
 * JSON records per ecosystem (osv-scalibr `enricher/vulnmatch/osvlocal`: `path.Join(dbBasePath, name,
 * "all.zip")` under `<local-db-path>/osv-scalibr`). Releases before 2.x kept them under `osv-scanner/`.
 */
export const DB_SUBDIR = 'osv-scalibr'
const OLD_SUBDIR = 'osv-scanner'
export const MANIFEST = 'secure-pipeline-osv-db.json'
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/

export interface OsvDbManifest {
  format: 1
  /** sha256 and advisory count of each archive, by ecosystem. */
  ecosystems: Record<string, { sha256: string; advisories: number }>
  /** The newest `modified` among the records: how current the database is. */
  newestModified?: string
  withdrawn: string[]
  /** Records with an affected package that names no ecosystem or name (nor a purl that does): unmatchable. */
  unplaced?: string[]
}

interface OsvRecordShape {
  id: string
  modified?: string
  withdrawn?: string
  affected?: { package?: { ecosystem?: string; name?: string; purl?: string } }[]
}

/** The OSV schema's ecosystem names without a release suffix (`Debian:12` is in the `Debian` archive). */
const baseEcosystem = (ecosystem: string) => ecosystem.split(':')[0]!

type AffectedPackage = NonNullable<NonNullable<OsvRecordShape['affected']>[number]['package']>

/**
 * A package as osv-scanner's local matcher must see it: the ecosystem spelled as the OSV schema does
 * (archives and matching are case-sensitive: `pypi` or `maven` would sit in an archive it never opens),
 * the ecosystem and name taken from the purl when the record gives only that, and PyPI names in PEP 503
 * form (GitHub's advisories say `PyYAML`; a lockfile's `pyyaml 5.3.1` would otherwise match nothing).
 */
function normalizePackage(pkg: AffectedPackage): AffectedPackage {
  const fromPurl = pkg.purl ? osvPackageOfPurl(pkg.purl) : undefined
  const ecosystem = pkg.ecosystem ? canonicalOsvEcosystem(pkg.ecosystem) : fromPurl?.ecosystem
  const name = pkg.name || fromPurl?.name
  if (!ecosystem || !name) return pkg
  return { ...pkg, ecosystem, name: baseEcosystem(ecosystem) === 'PyPI' ? pep503Name(name) : name }
}

/** A record as the local matcher must see it: each affected package as normalizePackage writes it. */
export function normalizeRecord(record: OsvRecordShape): OsvRecordShape {
  const affected = record.affected?.map(entry =>
    entry.package ? { ...entry, package: normalizePackage(entry.package) } : entry
  )
  return affected ? { ...record, affected } : record
}

function parseRecord(file: string, text: string): OsvRecordShape {
  let record: unknown
  try {
    record = JSON.parse(text)
  } catch (error) {
    throw new ConfigurationError(`${file} is not JSON: ${(error as Error).message}`)
  }
  const shape = record as OsvRecordShape
  if (typeof record !== 'object' || record === null || typeof shape.id !== 'string' || !ID.test(shape.id))
    throw new ConfigurationError(`${file} is not an OSV record: no valid "id".`)
  if (shape.affected !== undefined && !Array.isArray(shape.affected))
    throw new ConfigurationError(`${file}: "affected" is not a list.`)
  return shape
}

export interface BuildOsvDbOptions {
  /** Ecosystems to write an archive for even with no record: the database says "no advisories". */
  ecosystems?: readonly string[]
}

/**
 * Writes the offline database for a set of OSV records. Withdrawn records are kept as they are (the
 * OSV exports keep them; osv-scanner skips them when matching, and so does this action's reader).
 */
export function buildOsvDb(
  records: readonly { file: string; text: string }[],
  outDir: string,
  options: BuildOsvDbOptions = {}
): OsvDbManifest {
  const byEcosystem = new Map<string, Map<string, { record: OsvRecordShape; file: string }>>()
  for (const name of options.ecosystems ?? []) byEcosystem.set(canonicalOsvEcosystem(name), new Map())
  const withdrawn = new Set<string>()
  const unplaced = new Set<string>()
  let newest: string | undefined
  for (const { file, text } of records) {
    const record = normalizeRecord(parseRecord(file, text))
    if (record.withdrawn) withdrawn.add(record.id)
    if (record.modified && (!newest || record.modified > newest)) newest = record.modified
    for (const entry of record.affected ?? []) {
      const ecosystem = entry.package?.ecosystem
      // No archive can hold it, so no scan would match it: said by the command, never dropped unseen.
      if (!ecosystem || !entry.package?.name) {
        if (!record.withdrawn) unplaced.add(record.id)
        continue
      }
      const archive = byEcosystem.get(baseEcosystem(ecosystem)) ?? new Map()
      byEcosystem.set(baseEcosystem(ecosystem), archive)
      const earlier = archive.get(record.id)
      if (earlier && earlier.file !== file && (earlier.record.modified ?? '') >= (record.modified ?? ''))
        continue
      archive.set(record.id, { record, file })
    }
  }
  const manifest: OsvDbManifest = { format: 1, ecosystems: {}, withdrawn: [...withdrawn].sort() }
  if (unplaced.size > 0) manifest.unplaced = [...unplaced].sort()
  if (newest) manifest.newestModified = newest
  for (const [ecosystem, archive] of [...byEcosystem].sort(([a], [b]) => a.localeCompare(b))) {
    if (!/^[A-Za-z0-9][A-Za-z0-9. _-]*$/.test(ecosystem))
      throw new ConfigurationError(`Ecosystem '${ecosystem}' cannot name a directory.`)
    const members = [...archive]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, { record }]) => ({ name: `${id}.json`, data: Buffer.from(JSON.stringify(record)) }))
    const zip = zipArchive(members)
    const dir = path.join(outDir, DB_SUBDIR, ecosystem)
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'all.zip'), zip)
    manifest.ecosystems[ecosystem] = { sha256: sha256(zip), advisories: members.length }
  }
  writeFileSync(path.join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}

/** Every `*.json` directly in `recordsDir` or below it, as read for buildOsvDb. */
export function readRecordFiles(recordsDir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = []
  const pending = [recordsDir]
  while (pending.length > 0) {
    const dir = pending.pop()!
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) pending.push(full)
      else if (entry.isFile() && entry.name.endsWith('.json'))
        out.push({ file: full, text: readFileSync(full, 'utf8') })
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file))
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

export interface OfflineDbInfo {
  dir: string
  ecosystems: string[]
  /** Set when the directory carries this project's manifest and every archive matched it. */
  manifest?: OsvDbManifest
}

/**
 * Checks an offline database before osv-scanner reads it: the 2.6.0 layout with at least one archive,
 * and, when it was built by this project's command, every archive's sha256 as its manifest recorded
 * (a restored cache or a copied directory must hold what was built, not a truncated or swapped file).
 */
export function checkOfflineDb(dir: string, inputName: string): OfflineDbInfo {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ConfigurationError(
      `Input '${inputName}' (${dir}) is not a directory; build one with the osv-db command (see the README) or leave it empty to use the OSV API.`
    )
  const root = path.join(dir, DB_SUBDIR)
  const ecosystems = existsSync(root)
    ? readdirSync(root, { withFileTypes: true })
        .filter(e => e.isDirectory() && existsSync(path.join(root, e.name, 'all.zip')))
        .map(e => e.name)
        .sort()
    : []
  if (ecosystems.length === 0) {
    const old = existsSync(path.join(dir, OLD_SUBDIR))
    throw new BrokenInputError(
      'osv-scanner',
      `the offline database ${dir} has no ${DB_SUBDIR}/<Ecosystem>/all.zip (the layout osv-scanner 2.6.0 reads)${old ? `; it has the ${OLD_SUBDIR}/ layout of older releases: rebuild it` : ''}`
    )
  }
  const manifestFile = path.join(dir, MANIFEST)
  if (!existsSync(manifestFile)) return { dir, ecosystems }
  let manifest: OsvDbManifest
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as OsvDbManifest
  } catch (error) {
    throw new IntegrityError(
      `the offline database manifest ${manifestFile} is not JSON: ${(error as Error).message}`
    )
  }
  for (const ecosystem of ecosystems) {
    const expected = manifest.ecosystems?.[ecosystem]?.sha256
    const archive = path.join(root, ecosystem, 'all.zip')
    if (lstatSync(archive).isSymbolicLink() || !expected || sha256(readFileSync(archive)) !== expected)
      throw new IntegrityError(
        `the offline database archive ${archive} is not the one its manifest ${MANIFEST} recorded${expected ? '' : ' (not listed)'}; rebuild the database`
      )
  }
  return { dir, ecosystems, manifest }
}
