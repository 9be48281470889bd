import * as path from 'node:path'
import { comparableName, type ScannedPackage } from './model.js'
import { readXml } from './xml-reader.js'

/** Where a POM keeps a value, as element names from `project` down (namespace prefixes dropped). */
const OWN = { groupId: 'project/groupId', artifactId: 'project/artifactId', version: 'project/version' }
const PARENT = 'project/parent/'
const PROPERTY = 'project/properties/'
const DEPENDENCY = 'project/dependencies/dependency'
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
    // that names another many times, ten levels down, must not grow a coordinate without end.
    for (let depth = 0; depth < 10 && text.includes('${'); depth++) {
      const next = text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => lookup(name) ?? whole)
      if (next === text || next.length > MAX_COORDINATE_CHARS) break
      text = next
    }
    return text
  }
}

/**
 * `group:artifact` of each dependency `<project><dependencies>` declares, interpolated as far as the POM
 * itself goes. Not managed ones, plugins' or profiles' (Maven uses a profile's only when it is active):
 * osv-scanner leaves those out too.
 */
export function pomDependencies(text: string): string[] {
  const values = new Map<string, string>()
  const dependencies: Map<string, string>[] = []
  let fields = new Map<string, string>()
  readXml(
    text,
    ({ path: at, text: value }) => {
      const where = at.join('/')
      // A dependency's fields close before it does.
      if (at.length === 4 && where.startsWith(`${DEPENDENCY}/`)) fields.set(at[3]!, value)
      else if (where === DEPENDENCY) {
        dependencies.push(fields)
        fields = new Map()
      } else if (!values.has(where)) values.set(where, value)
    },
    4
  )
  const interpolate = interpolator(values)
  return dependencies.flatMap(dependency => {
    const groupId = dependency.get('groupId')
    const artifactId = dependency.get('artifactId')
    return groupId && artifactId ? [`${interpolate(groupId)}:${interpolate(artifactId)}`] : []
  })
}

/** Each package an MSBuild project references (`<PackageReference Include="A;B">` in any item group). */
export function packageReferences(text: string): string[] {
  const names: string[] = []
  readXml(
    text,
    ({ path: at, attributes }) => {
      if (at.at(-1) === 'PackageReference' && at.at(-2) === 'ItemGroup' && attributes.Include)
        names.push(
          ...attributes.Include.split(';')
            .map(name => name.trim())
            .filter(Boolean)
        )
    },
    // Project, Choose, When, ItemGroup, PackageReference.
    5
  )
  return names
}

const isPom = (file: string) => path.posix.basename(file) === 'pom.xml' || file.endsWith('.pom')
const isProjectFile = (file: string) => /\.(?:cs|vb|fs)proj$/.test(file)

const READERS = [
  { reads: isPom, ecosystem: 'Maven', declared: pomDependencies },
  { reads: isProjectFile, ecosystem: 'NuGet', declared: packageReferences }
]

/** Maven's artifact id alone: the engine may interpolate a group this reading does not. */
const artifactOf = (name: string) => name.slice(name.lastIndexOf(':') + 1)

/**
 * Offline, osv-scanner leaves out of its report, without a word, every POM dependency whose coordinates
 * need a parent POM (`${log4j2.version}` from spring-boot-starter-parent, `${project.groupId}`
 * inherited) and every PackageReference without a Version (central package management): no advisory is
 * checked against them, and unlisted they would read as absent. Each one the engine did not list comes
 * back as a package without a version, which the scan then reports as a dependency whose version is
 * unknown, and the SBOM lists.
 */
export function dependenciesLeftOut(
  files: readonly string[],
  packages: readonly ScannedPackage[],
  text: (file: string) => string | undefined
): ScannedPackage[] {
  const listedByFile = new Map<string, Set<string>>()
  for (const pkg of packages) {
    const name = comparableName(pkg.ecosystem, pkg.name)
    const listed = listedByFile.get(pkg.lockfile)
    if (listed) listed.add(name).add(pkg.ecosystem === 'Maven' ? artifactOf(name) : name)
    else listedByFile.set(pkg.lockfile, new Set([name, pkg.ecosystem === 'Maven' ? artifactOf(name) : name]))
  }
  const out: ScannedPackage[] = []
  for (const lockfile of files) {
    const reader = READERS.find(r => r.reads(lockfile))
    if (!reader) continue
    const listed = listedByFile.get(lockfile) ?? new Set<string>()
    for (const name of reader.declared(text(lockfile) ?? '')) {
      const key = comparableName(reader.ecosystem, name)
      const artifact = reader.ecosystem === 'Maven' ? artifactOf(key) : key
      if (listed.has(key) || (!artifact.includes('${') && listed.has(artifact))) continue
      listed.add(key)
      out.push({ lockfile, ecosystem: reader.ecosystem, name, licenses: [] })
    }
  }
  return out
}

/** An MSBuild `$(Name)` or Maven `${name}` the engine passed on unexpanded: no version any advisory names. */
const UNEXPANDED = /\$[({]/

/**
 * The engine's packages as the dependency files declare them: a version it left as an unexpanded
 * property (osv-scanner lists `Version="$(SerilogVersion)"` as is, and then matches no advisory) is no
 * version, and what it left out is put back without one (dependenciesLeftOut).
 */
export function asDeclared(
  files: readonly string[],
  packages: readonly ScannedPackage[],
  text: (file: string) => string | undefined
): ScannedPackage[] {
  const versioned = packages.map(pkg => {
    if (!pkg.version || !UNEXPANDED.test(pkg.version)) return pkg
    const { version: _unexpanded, ...rest } = pkg
    return rest
  })
  return [...versioned, ...dependenciesLeftOut(files, versioned, text)]
}
