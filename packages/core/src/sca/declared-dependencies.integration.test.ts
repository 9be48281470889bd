import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { pullRequestCheckout } from '../../../../test/support/pull-request-checkout.js'
import { advisoryDb, depsWorkspace, NEWTONSOFT_RECORD, scaOptions } from '../../../../test/support/sca.js'
import { buildActionsContext, type ActionsContext } from '../github/context.js'
import { memoryLogger } from '../runtime/logger.js'
import { runSca } from './run-sca.js'

// The real pinned osv-scanner, offline: a dependency whose version comes from a parent POM, or a
// PackageReference whose version central package management gives, is left out of its report without a
// word (log4j-core below, a Log4Shell version in the advisories, would read as absent). The scan must say
// their vulnerabilities are unknown.

const db = advisoryDb([NEWTONSOFT_RECORD])
const push = buildActionsContext(
  { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_SHA: 'a'.repeat(40) },
  {}
)

/** A Spring Boot service: log4j-core's version is the parent's `log4j2.version` property. */
const SERVICE_POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>2.5.0</version>
  </parent>
  <artifactId>service</artifactId>
  <dependencies>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>\${log4j2.version}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
`

/** A .NET solution with central package management: versions in Directory.Packages.props. */
const CPM = {
  'Directory.Packages.props': `<Project>
  <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Newtonsoft.Json" Version="12.0.3" />
  </ItemGroup>
</Project>
`,
  'src/App/App.csproj': `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><SerilogVersion>3.1.1</SerilogVersion></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Newtonsoft.Json" />
    <PackageReference Include="Serilog" Version="$(SerilogVersion)" />
    <PackageReference Include="Polly" Version="7.2.0" />
  </ItemGroup>
</Project>
`
}

function sca(workspace: string, context: ActionsContext = push) {
  return runSca(scaOptions(workspace, db), {
    logger: memoryLogger(),
    context,
    env: { ...process.env, RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'sca-runner-')) }
  })
}

const unknownVersions = (
  result: Awaited<ReturnType<typeof sca>>,
  from: 'reported' | 'existing' = 'reported'
) =>
  result[from]
    .filter(f => f.ruleId === 'dependency-version-unknown')
    .map(f => `${f.package?.name} ${f.location?.path}:${f.location?.startLine}`)

describe('dependencies the engine leaves out of its report without a word', () => {
  it('a POM dependency whose version needs a parent POM is reported as not checked, at its line, and is in the SBOM without a version', async () => {
    const workspace = depsWorkspace()
    writeFileSync(path.join(workspace, 'deps/java/pom.xml'), SERVICE_POM)
    const result = await sca(workspace)
    expect(unknownVersions(result)).toEqual(['org.apache.logging.log4j:log4j-core deps/java/pom.xml:13'])
    expect(result.reported.find(f => f.ruleId === 'dependency-version-unknown')?.message).toContain(
      'the scan does not resolve a version from a parent POM'
    )
    // The engine still checks what the POM pins itself.
    expect(result.reported.some(f => f.package?.name === 'org.slf4j:slf4j-api')).toBe(false)
    const components = result.sbom!.components.filter(c => String(c.name).startsWith('log4j-core'))
    expect(components.map(c => [c.group, c.name, c.version])).toEqual([
      ['org.apache.logging.log4j', 'log4j-core', undefined]
    ])
    expect(result.sarif.runs[0]!.invocations![0]!.executionSuccessful).toBe(true)
  }, 120_000)

  it('a dependency of a profile Maven activates unless a property is set is reported as not checked', async () => {
    const workspace = depsWorkspace()
    // Active in every build without -DskipLogging: Maven builds with log4j-core 2.14.1 (Log4Shell).
    writeFileSync(
      path.join(workspace, 'deps/java/pom.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId><artifactId>service</artifactId><version>1.0</version>
  <profiles><profile><id>logging</id>
    <activation><property><name>!skipLogging</name></property></activation>
    <dependencies>
      <dependency>
        <groupId>org.apache.logging.log4j</groupId>
        <artifactId>log4j-core</artifactId>
        <version>2.14.1</version>
      </dependency>
    </dependencies>
  </profile></profiles>
</project>
`
    )
    const result = await sca(workspace)
    expect(unknownVersions(result)).toEqual(['org.apache.logging.log4j:log4j-core deps/java/pom.xml:10'])
    // Its version is written out: the advice must say what the scan does not read, the profile.
    expect(result.reported.find(f => f.ruleId === 'dependency-version-unknown')?.message).toContain(
      "reads no profile's dependencies"
    )
  }, 120_000)

  it('such a POM dependency already in the merge-base is existing on a pull request, not new', async () => {
    const pr = pullRequestCheckout({
      base: { 'java/pom.xml': SERVICE_POM },
      change: { 'java/pom.xml': SERVICE_POM.replace('1.7.36', '2.0.9') }
    })
    const result = await sca(
      pr.workspace,
      buildActionsContext(
        { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'octo-org/octo-repo', ...pr.env },
        pr.event.payload as Record<string, unknown>
      )
    )
    expect(result.mode.kind).toBe('diff')
    expect(unknownVersions(result)).toEqual([])
    expect(unknownVersions(result, 'existing')).toEqual([
      'org.apache.logging.log4j:log4j-core java/pom.xml:13'
    ])
  }, 120_000)

  it('a PackageReference without a literal version is reported as not checked, at its line', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'sca-cpm-'))
    for (const [file, text] of Object.entries(CPM)) {
      mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true })
      writeFileSync(path.join(workspace, file), text)
    }
    const result = await sca(workspace)
    expect(result.lockfiles).toEqual(['Directory.Packages.props', 'src/App/App.csproj'])
    // Newtonsoft.Json 12.0.3 has GHSA-5crp-9r3c-p9vr, which the engine never checked: unknown, not absent.
    expect(unknownVersions(result).sort()).toEqual([
      'Newtonsoft.Json src/App/App.csproj:4',
      'Serilog src/App/App.csproj:5'
    ])
    expect(result.reported.find(f => f.package?.name === 'Newtonsoft.Json')?.message).toContain(
      'central package management'
    )
    expect(result.sbom!.components.map(c => [c.name, c.version]).sort()).toEqual([
      ['Newtonsoft.Json', undefined],
      ['Polly', '7.2.0'],
      ['Serilog', undefined]
    ])
  }, 120_000)
  it('reads the PackageReferences of a Directory.Build.props, which every project under it references', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'sca-build-props-'))
    const files = {
      'Directory.Build.props': `<Project>
  <ItemGroup>
    <PackageReference Include="Newtonsoft.Json" Version="12.0.1" />
    <PackageReference Include="StyleCop.Analyzers" />
  </ItemGroup>
</Project>
`,
      'src/App/App.csproj': `<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup><PackageReference Include="Polly" Version="7.2.0" /></ItemGroup>
</Project>
`
    }
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true })
      writeFileSync(path.join(workspace, file), text)
    }
    const result = await sca(workspace)
    expect(result.lockfiles).toEqual(['Directory.Build.props', 'src/App/App.csproj'])
    // Newtonsoft.Json 12.0.1 is vulnerable; unread, the props file hid it from every scan.
    expect(
      result.reported
        .filter(f => f.ruleId === 'GHSA-5crp-9r3c-p9vr')
        .map(f => `${f.package?.name} ${f.location?.path}:${f.location?.startLine}`)
    ).toEqual(['Newtonsoft.Json Directory.Build.props:3'])
    expect(unknownVersions(result)).toEqual(['StyleCop.Analyzers Directory.Build.props:4'])
    expect(result.reported.find(f => f.package?.name === 'StyleCop.Analyzers')?.message).toContain(
      'Give it a literal Version attribute here'
    )
  }, 120_000)
})
