import { describe, expect, it } from '@jest/globals'
import type { ScannedPackage } from './model.js'
import { asDeclared, packageReferences, readPom } from './declared-dependencies.js'

const pom = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
${body}
</project>
`
const dependenciesOf = (text: string) => readPom(text).dependencies
const dep = (groupId: string, artifactId: string, version?: string) =>
  `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId>${version ? `<version>${version}</version>` : ''}</dependency>`

describe('readPom', () => {
  it("reads the project's own dependencies, not managed ones, plugins', profiles' or commented out", () => {
    const text = pom(`
  <groupId>com.example</groupId><artifactId>app</artifactId><version>1.0</version>
  <dependencies>
    ${dep('org.a', 'direct', '1.0')}
    <!-- ${dep('org.a', 'commented', '1.0')} -->
    ${dep('org.a', 'unversioned')}
  </dependencies>
  <dependencyManagement><dependencies>${dep('org.a', 'managed', '2.0')}</dependencies></dependencyManagement>
  <profiles><profile><id>p</id><dependencies>${dep('org.a', 'in-profile', '1.0')}</dependencies></profile></profiles>
  <build><plugins><plugin><groupId>org.a</groupId><artifactId>plugin</artifactId>
    <dependencies>${dep('org.a', 'plugin-dependency', '1.0')}</dependencies>
  </plugin></plugins></build>`)
    expect(dependenciesOf(text)).toEqual(['org.a:direct', 'org.a:unversioned'])
  })

  it('interpolates its own properties and coordinates, the parent’s declared ones, and leaves the rest', () => {
    const text = pom(`
  <parent><groupId>org.parent</groupId><artifactId>base</artifactId><version>3.1</version></parent>
  <artifactId>app</artifactId>
  <properties><suffix>core</suffix><nested>\${suffix}-x</nested><loop>\${loop}</loop></properties>
  <dependencies>
    ${dep('${project.groupId}', 'lib-${suffix}')}
    ${dep('${pom.parent.groupId}', '${nested}')}
    ${dep('org.b', '${loop}')}
    ${dep('org.b', 'from-parent', '${log4j2.version}')}
  </dependencies>`)
    expect(dependenciesOf(text)).toEqual([
      'org.parent:lib-core',
      'org.parent:core-x',
      'org.b:${loop}',
      'org.b:from-parent'
    ])
  })

  it('reads the dependencies of a profile active by default, as Maven builds with them', () => {
    const profile = (active: string, artifact: string) =>
      `<profile><id>${artifact}</id><activation><activeByDefault>${active}</activeByDefault></activation>
        <dependencies>${dep('org.p', artifact, '1.0')}</dependencies></profile>`
    expect(
      dependenciesOf(pom(`<profiles>${profile('true', 'on')}${profile('false', 'off')}</profiles>`))
    ).toEqual(['org.p:on'])
  })

  it('reads the dependencies of a profile a condition activates in a plain build, not of one only -P or -D turns on', () => {
    const profile = (activation: string, artifact: string) =>
      `<profile><id>${artifact}</id>${activation}<dependencies>${dep('org.p', artifact, '1.0')}</dependencies></profile>`
    const activation = (condition: string) => `<activation>${condition}</activation>`
    const profiles = [
      profile(activation('<property><name>!skipExtras</name></property>'), 'unless-property'),
      profile(activation('<property><name>env.CI</name></property>'), 'on-ci'),
      profile(activation('<jdk>[1.8,)</jdk>'), 'on-jdk'),
      profile(activation('<os><family>unix</family></os>'), 'on-os'),
      profile(activation('<file><missing>never-there</missing></file>'), 'on-file'),
      profile(activation('<property><name>release</name><value>true</value></property>'), 'with-d'),
      profile(activation('<activeByDefault>false</activeByDefault>'), 'off'),
      profile('', 'with-p')
    ]
    expect(dependenciesOf(pom(`<profiles>${profiles.join('')}</profiles>`))).toEqual([
      'org.p:unless-property',
      'org.p:on-ci',
      'org.p:on-jdk',
      'org.p:on-os',
      'org.p:on-file'
    ])
  })

  it('takes the last definition of a property, as Maven does', () => {
    const text = pom(
      `<properties><art>log4j-api</art><art>log4j-core</art></properties><dependencies>${dep('org.l', '${art}')}</dependencies>`
    )
    expect(dependenciesOf(text)).toEqual(['org.l:log4j-core'])
  })

  it('reads on past a quote in a processing instruction, a comment or a DOCTYPE', () => {
    const text = `<?xml version="1.0"?>
<!DOCTYPE project [ <!ENTITY x "it's"> ]>
<project><?note it's fine?><!-- don't -->
  <dependencies>${dep('org.q', 'first', '1.0')}</dependencies>
  <?note that's all?>
  <properties><v>2</v></properties>
</project>`
    expect(readPom(text)).toEqual({ coordinates: undefined, dependencies: ['org.q:first'] })
  })

  it('reads a long run of hostile text in one pass', () => {
    const long = 'a'.repeat(200_000)
    expect(
      dependenciesOf(`<project><${long}/><dependencies>${dep('org.r', 'x', '1')}</dependencies></project>`)
    ).toEqual(['org.r:x'])
    expect(dependenciesOf(pom(`<dependencies>${dep('${'.repeat(100_000), 'x')}</dependencies>`))).toEqual([
      `${'${'.repeat(100_000)}:x`
    ])
  })

  it('stops interpolating a property that would grow without end', () => {
    const levels = Array.from({ length: 12 }, (_, i) => `<p${i}>${`\${p${i + 1}}`.repeat(50)}</p${i}>`)
    const [only] = dependenciesOf(
      pom(`<properties>${levels.join('')}</properties><dependencies>${dep('org.e', '${p0}')}</dependencies>`)
    )
    expect(only!.startsWith('org.e:')).toBe(true)
    expect(only!.length).toBeLessThanOrEqual('org.e:'.length + 1024)
    expect(only).toContain('${p')
  })

  it('reads namespace prefixes, CDATA, entities and self-closing elements', () => {
    const text = `<m:project xmlns:m="http://maven.apache.org/POM/4.0.0"><m:dependencies>
      <m:dependency><m:groupId><![CDATA[org.c]]></m:groupId><m:artifactId>a&amp;b</m:artifactId></m:dependency>
      <m:dependency/>
      <m:dependency><m:groupId>org.c</m:groupId><m:artifactId>d</m:artifactId><m:optional/></m:dependency>
    </m:dependencies></m:project>`
    expect(dependenciesOf(text)).toEqual(['org.c:a&b', 'org.c:d'])
  })

  it('stops at an unclosed comment, tag or quote, and keeps a character reference it cannot decode', () => {
    const before = dep('org.d', 'before', '1.0')
    const after = dep('org.d', 'after', '1.0')
    for (const broken of ['<!-- never closed', '<![CDATA[ never closed', '<dependency attr="never closed>'])
      expect(dependenciesOf(pom(`<dependencies>${before}${broken}${after}</dependencies>`))).toEqual([
        'org.d:before'
      ])
    expect(dependenciesOf(pom(`<dependencies>${dep('org.d', 'x&#x110000;&#65;')}</dependencies>`))).toEqual([
      'org.d:x&#x110000;A'
    ])
  })

  it('gives nothing for text that is not a POM', () => {
    expect(dependenciesOf('')).toEqual([])
    expect(dependenciesOf('{"dependencies": []}')).toEqual([])
    expect(dependenciesOf('<project><dependencies><dependency><groupId>x')).toEqual([])
  })
})

describe('packageReferences', () => {
  it('reads item names without case, nested Choose blocks and GlobalPackageReference', () => {
    const props = `<Project><ItemGroup>
      <GlobalPackageReference Include="Nerdbank.GitVersioning" Version="3.6.133" />
      <PackageVersion Include="Only.A.Version" Version="1.0" />
      <packagereference include="Lower.Case" Version="1.0" />
    </ItemGroup>
    <Choose><When Condition="a"><Choose><When Condition="b"><ItemGroup>
      <PackageReference Include="Deep" />
    </ItemGroup></When></Choose></When></Choose></Project>`
    expect(packageReferences(props)).toEqual(['Nerdbank.GitVersioning', 'Lower.Case', 'Deep'])
  })

  it('reads every PackageReference of an item group, with or without a version, not updates or tools', () => {
    const project = `<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Include="Newtonsoft.Json" />
    <PackageReference Include='Serilog' Version="2.10.0" />
    <PackageReference Include=" A ; B " />
    <PackageReference Update="Updated.Only" Version="1.0" />
    <!-- <PackageReference Include="Commented" /> -->
  </ItemGroup>
  <Choose><When Condition="'$(OS)' == 'Windows_NT'"><ItemGroup>
    <PackageReference Include="Conditional"><Version>1.0</Version></PackageReference>
  </ItemGroup></When></Choose>
  <ItemGroup><DotNetCliToolReference Include="Tool" Version="1.0" /></ItemGroup>
</Project>`
    expect(packageReferences(project)).toEqual(['Newtonsoft.Json', 'Serilog', 'A', 'B', 'Conditional'])
  })
})

/** What asDeclared adds to the engine's packages. */
const dependenciesLeftOut = (
  files: string[],
  packages: ScannedPackage[],
  text: (file: string) => string | undefined
) => asDeclared(files, packages, text).slice(packages.length)

describe('asDeclared: what the engine left out', () => {
  const listed = (lockfile: string, name: string, version = '1.0'): ScannedPackage => ({
    lockfile,
    ecosystem: 'Maven',
    name,
    version,
    licenses: []
  })
  const files: Record<string, string> = {
    'svc/pom.xml': pom(`
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>2.5.0</version></parent>
  <artifactId>svc</artifactId>
  <dependencies>
    ${dep('org.apache.logging.log4j', 'log4j-core', '${log4j2.version}')}
    ${dep('org.slf4j', 'slf4j-api', '1.7.36')}
    ${dep('${project.groupId}', 'svc-model', '${project.version}')}
  </dependencies>`),
    'all-dropped/pom.xml': pom(`<dependencies>${dep('org.x', 'y', '${undefined}')}</dependencies>`),
    'go.mod': 'module example.com/m\n'
  }
  const text = (file: string) => files[file]

  it('gives back, without a version, each declared dependency the engine did not list', () => {
    const packages = [listed('svc/pom.xml', 'org.slf4j:slf4j-api', '1.7.36'), listed('go.mod', 'stdlib')]
    expect(dependenciesLeftOut(Object.keys(files), packages, text)).toEqual([
      {
        lockfile: 'svc/pom.xml',
        ecosystem: 'Maven',
        name: 'org.apache.logging.log4j:log4j-core',
        licenses: []
      },
      {
        lockfile: 'svc/pom.xml',
        ecosystem: 'Maven',
        name: 'org.springframework.boot:svc-model',
        licenses: []
      },
      { lockfile: 'all-dropped/pom.xml', ecosystem: 'Maven', name: 'org.x:y', licenses: [] }
    ])
  })

  it('takes the artifact alone for listed only where this reading left the group unresolved', () => {
    const shim = pom(`<dependencies>
    ${dep('org.apache.logging.log4j', 'log4j-core', '${log4j2.version}')}
    ${dep('${custom.group}', 'helper', '1.0')}
  </dependencies>`)
    const packages = [
      listed('shim/pom.xml', 'com.example.shim:log4j-core'),
      listed('shim/pom.xml', 'com.example:helper')
    ]
    // An unrelated log4j-core does not stand in for the one the engine dropped.
    expect(dependenciesLeftOut(['shim/pom.xml'], packages, () => shim)).toEqual([
      {
        lockfile: 'shim/pom.xml',
        ecosystem: 'Maven',
        name: 'org.apache.logging.log4j:log4j-core',
        licenses: []
      }
    ])
  })

  it("takes a dependency on one of the scanned POMs for the project's own module", () => {
    const files: Record<string, string> = {
      'pom.xml': pom(
        `<groupId>com.acme</groupId><artifactId>parent</artifactId><version>\${revision}</version>`
      ),
      'core/pom.xml': pom(
        `<parent><groupId>com.acme</groupId><artifactId>parent</artifactId><version>\${revision}</version></parent><artifactId>core</artifactId>`
      ),
      'app/pom.xml':
        pom(`<parent><groupId>com.acme</groupId><artifactId>parent</artifactId><version>\${revision}</version></parent>
  <artifactId>app</artifactId>
  <dependencies>${dep('${project.groupId}', 'core', '${project.version}')}${dep('org.x', 'y', '${undefined}')}</dependencies>`)
    }
    const unexpanded = { ...listed('app/pom.xml', 'com.acme:core'), version: '${revision}' }
    expect(asDeclared(Object.keys(files), [unexpanded], file => files[file])).toEqual([
      unexpanded,
      { lockfile: 'app/pom.xml', ecosystem: 'Maven', name: 'org.x:y', licenses: [] }
    ])
  })

  it('reads only the POMs and project files among the files scanned', () => {
    expect(dependenciesLeftOut(['go.mod'], [], text)).toEqual([])
    expect(dependenciesLeftOut(['missing/pom.xml'], [], text)).toEqual([])
  })

  it('gives back each PackageReference the engine did not list, comparing NuGet names without case', () => {
    const project = `<Project><ItemGroup>
      <PackageReference Include="Newtonsoft.Json" />
      <PackageReference Include="serilog" Version="2.10.0" />
    </ItemGroup></Project>`
    const nuget = (name: string): ScannedPackage => ({
      lockfile: 'src/App/App.csproj',
      ecosystem: 'NuGet',
      name,
      version: '2.10.0',
      licenses: []
    })
    expect(dependenciesLeftOut(['src/App/App.csproj'], [nuget('Serilog')], () => project)).toEqual([
      { lockfile: 'src/App/App.csproj', ecosystem: 'NuGet', name: 'Newtonsoft.Json', licenses: [] }
    ])
  })
})

describe('asDeclared', () => {
  it('takes an unexpanded property for no version, and puts back what the engine left out', () => {
    const project = `<Project><ItemGroup>
      <PackageReference Include="Serilog" Version="$(SerilogVersion)" />
      <PackageReference Include="Newtonsoft.Json" />
      <PackageReference Include="Polly" Version="7.2.0" />
    </ItemGroup></Project>`
    const lockfile = 'App.csproj'
    const nuget = (name: string, version: string): ScannedPackage => ({
      lockfile,
      ecosystem: 'NuGet',
      name,
      version,
      licenses: []
    })
    const packages = [nuget('Serilog', '$(SerilogVersion)'), nuget('Polly', '7.2.0')]
    expect(asDeclared([lockfile], packages, () => project)).toEqual([
      { lockfile, ecosystem: 'NuGet', name: 'Serilog', licenses: [] },
      nuget('Polly', '7.2.0'),
      { lockfile, ecosystem: 'NuGet', name: 'Newtonsoft.Json', licenses: [] }
    ])
  })
})
