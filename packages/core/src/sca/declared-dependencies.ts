import * as path from 'node:path'
import { isMsbuildProjectFile, isPomFile } from './lockfiles.js'
import { comparableName, type ScannedPackage } from './model.js'
import { readXml, type XmlElement } from './xml-reader.js'

/** Where a POM keeps a value, as element names from `project` down (namespace prefixes dropped). */
const OWN = { groupId: 'project/groupId', artifactId: 'project/artifactId', version: 'project/version' }
const PARENT = 'project/parent/'
const PROPERTY = 'project/properties/'
const DEPENDENCY = 'project/dependencies/dependency'
const PROFILE = 'project/profiles/profile'
const PROFILE_DEPENDENCY = `${PROFILE}/dependencies/dependency`
const ACTIVATION = `${PROFILE}/activation`
/** Far longer than any real group or artifact id. */
const MAX_COORDINATE_CHARS = 1024

/** Maven's `${name}`: the POM's properties and its own or its parent's coordinates; the rest stays as is. */
function interpolator(values: ReadonlyMap<string, string>): (text: string) => string {
  const lookup = (name: string): string | undefined => {
    const project = /^(?:project|pom)\.(parent\.)?(groupId|artifactId|version)$/.exec(name)
    if (!project) return values.get(`${PROPERTY}${name}`)
    const field = project[2] as keyof typeof OWN
    return project[1]
      ? values.get(`${PARENT}${field}`)
      : (values.get(OWN[field]) ?? values.get(`${PARENT}${field}`))
  }
  return text => {
    // Bounded in depth and in length: a property defined through itself is left unresolved, and one
    // that names another many times, ten levels down, must not grow a coordinate without end. No `$`
    // or `{` inside a name: a run of `${` with no `}` must not make the pattern backtrack.
    for (let depth = 0; depth < 10 && text.length <= MAX_COORDINATE_CHARS && text.includes('${'); depth++) {
      const next = text.replace(/\$\{([^${}]*)\}/g, (whole, name: string) => lookup(name) ?? whole)
      if (next === text || next.length > MAX_COORDINATE_CHARS) break
      text = next
    }
    return text
  }
}

/** A POM as far as the scan needs it: the project's own `group:artifact` and its dependencies'. */
export interface PomReading {
  coordinates: string | undefined
  dependencies: string[]
}

/**
 * Whether a profile's `<activation>` condition may hold in a plain `mvn package`: one on the runner
 * (`jdk`, `os`, `file`, an `env.` variable), one that holds while a property is unset (`!name`, a
 * `!value`), or one this reading does not know. Only a property the command line must set (`-Dname`)
 * keeps it off, as a profile without activation needs `-P`: the scan cannot tell the runner's state,
 * so what such a profile adds is declared rather than absent.
 */
function activatesInPlainBuild(condition: string, property: ReadonlyMap<string, string>): boolean {
  if (condition === 'activeByDefault') return false
  if (condition !== 'property') return true
  const name = property.get('name') ?? ''
  return /^!|^env\./.test(name) || (property.get('value') ?? '').startsWith('!')
}

/**
 * `group:artifact` of the project and of each dependency Maven builds it with by default: its own
 * `<dependencies>` and those of a profile active by default or by a condition a plain build may meet
 * (activatesInPlainBuild), interpolated as far as the POM itself goes (a property defined twice is its
 * last definition, as in Maven). Not managed ones or plugins'.
 */
export function readPom(text: string): PomReading {
  const values = new Map<string, string>()
  const dependencies: Map<string, string>[] = []
  let fields = new Map<string, string>()
  const newProfile = () => ({ active: false, dependencies: [] as Map<string, string>[] })
  let profile = newProfile()
  let property = new Map<string, string>()
  const onClose = ({ path: at, text: value }: XmlElement) => {
    const where = at.join('/')
    const parent = at.slice(0, -1).join('/')
    // A dependency's fields close before it does, and a profile's dependencies before the profile.
    if (parent === DEPENDENCY || parent === PROFILE_DEPENDENCY) fields.set(at.at(-1)!, value)
    else if (where === DEPENDENCY || where === PROFILE_DEPENDENCY) {
      ;(where === DEPENDENCY ? dependencies : profile.dependencies).push(fields)
      fields = new Map()
    } else if (parent === `${ACTIVATION}/property`) property.set(at.at(-1)!, value)
    else if (parent === ACTIVATION) {
      if (where === `${ACTIVATION}/activeByDefault` && value === 'true') profile.active = true
      if (activatesInPlainBuild(at.at(-1)!, property)) profile.active = true
      property = new Map()
    } else if (where === PROFILE) {
      if (profile.active) dependencies.push(...profile.dependencies)
      profile = newProfile()
    } else values.set(where, value)
  }
  readXml(text, onClose, 6)
  const interpolate = interpolator(values)
  const coordinate = (groupId: string | undefined, artifactId: string | undefined) =>
    groupId && artifactId ? `${interpolate(groupId)}:${interpolate(artifactId)}` : undefined
  return {
    coordinates: coordinate(
      values.get(OWN.groupId) ?? values.get(`${PARENT}groupId`),
      values.get(OWN.artifactId)
    ),
    dependencies: dependencies.flatMap(d => coordinate(d.get('groupId'), d.get('artifactId')) ?? [])
  }
}

/** MSBuild item names compare without case. */
const PACKAGE_ITEMS = new Set(['packagereference', 'globalpackagereference'])

/**
 * Each package an MSBuild file references: `<PackageReference Include="A;B">` in any item group (under
 * `Choose`/`When` too), and a Directory.Packages.props' `<GlobalPackageReference>`, which every project
 * under it references.
 */
export function packageReferences(text: string): string[] {
  const names: string[] = []
  const onClose = ({ path: at, attributes }: XmlElement) => {
    const item = at.at(-1)?.toLowerCase()
    const include = Object.entries(attributes).find(([name]) => name.toLowerCase() === 'include')?.[1]
    if (item && PACKAGE_ITEMS.has(item) && at.at(-2)?.toLowerCase() === 'itemgroup' && include)
      names.push(
        ...include
          .split(';')
          .map(name => name.trim())
          .filter(Boolean)
      )
  }
  // Deep enough for item groups in nested Choose/When blocks.
  readXml(text, onClose, 12)
  return names
}

interface Declared {
  lockfile: string
  ecosystem: 'Maven' | 'NuGet'
  names: string[]
}

/** What each POM and MSBuild file among `files` declares, and the coordinates of the POMs themselves. */
function declaredIn(
  files: readonly string[],
  text: (file: string) => string | undefined
): { declared: Declared[]; modules: Set<string> } {
  const declared: Declared[] = []
  const modules = new Set<string>()
  for (const lockfile of files) {
    if (isPomFile(lockfile)) {
      const pom = readPom(text(lockfile) ?? '')
      if (pom.coordinates) modules.add(pom.coordinates)
      declared.push({ lockfile, ecosystem: 'Maven', names: pom.dependencies })
    } else if (isMsbuildProjectFile(lockfile) || path.posix.basename(lockfile) === 'Directory.Packages.props')
      declared.push({ lockfile, ecosystem: 'NuGet', names: packageReferences(text(lockfile) ?? '') })
  }
  return { declared, modules }
}

/** Maven's artifact id alone. */
const artifactOf = (name: string) => name.slice(name.lastIndexOf(':') + 1)

/**
 * Each declared dependency the engine did not list in its file, as a package without a version. A
 * dependency on one of the scanned POMs themselves (a module of this repository) is the project's own.
 * Where this reading left the group unresolved and the engine resolved it, the artifact alone identifies
 * the package; a group this reading resolved must match, or an unrelated package of the same artifact id
 * would stand in for the one the engine dropped.
 */
function leftOut(
  declared: readonly Declared[],
  packages: readonly ScannedPackage[],
  modules: ReadonlySet<string>
): ScannedPackage[] {
  const listedByFile = new Map<string, { names: Set<string>; artifacts: Set<string> }>()
  for (const pkg of packages) {
    const name = comparableName(pkg.ecosystem, pkg.name)
    let listed = listedByFile.get(pkg.lockfile)
    if (!listed) listedByFile.set(pkg.lockfile, (listed = { names: new Set(), artifacts: new Set() }))
    listed.names.add(name)
    if (pkg.ecosystem === 'Maven') listed.artifacts.add(artifactOf(name))
  }
  const out: ScannedPackage[] = []
  for (const { lockfile, ecosystem, names } of declared) {
    const listed = listedByFile.get(lockfile) ?? { names: new Set<string>(), artifacts: new Set<string>() }
    for (const name of names) {
      const key = comparableName(ecosystem, name)
      const groupUnresolved = ecosystem === 'Maven' && key.slice(0, key.lastIndexOf(':')).includes('${')
      if (listed.names.has(key) || modules.has(key)) continue
      if (groupUnresolved && listed.artifacts.has(artifactOf(key))) continue
      listed.names.add(key)
      out.push({ lockfile, ecosystem, name, licenses: [] })
    }
  }
  return out
}

/** An MSBuild `$(Name)` or Maven `${name}` the engine passed on unexpanded: no version any advisory names. */
const UNEXPANDED = /\$[({]/

/**
 * The engine's packages as the dependency files declare them. Offline, osv-scanner leaves out of its
 * report, without a word, every POM dependency whose coordinates need a parent POM (`${log4j2.version}`
 * from spring-boot-starter-parent, `${project.groupId}` inherited) or that a profile Maven may activate
 * by itself adds, and every PackageReference without a literal Version (central package management),
 * and it passes `Version="$(SerilogVersion)"` on as is, then matches no advisory. Each is a package without a
 * version here, which the scan reports as a dependency whose version is unknown and the SBOM lists:
 * unlisted, it would read as absent.
 */
export function asDeclared(
  files: readonly string[],
  packages: readonly ScannedPackage[],
  text: (file: string) => string | undefined
): ScannedPackage[] {
  const { declared, modules } = declaredIn(files, text)
  const versioned = packages.map(pkg => {
    if (!pkg.version || !UNEXPANDED.test(pkg.version) || modules.has(pkg.name)) return pkg
    const { version: _unexpanded, ...rest } = pkg
    return rest
  })
  return [...versioned, ...leftOut(declared, versioned, modules)]
}
