import { beforeAll, describe, expect, it } from '@jest/globals'
import { Ajv, type ValidateFunction } from 'ajv'
import ajvFormatsModule from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { REPO_ROOT } from '../../../../test/support/repo-root.js'
import { childEnv, runProcess } from '../runtime/process.js'
import { buildCycloneDx } from '../sbom/cyclonedx.js'
import { sbomFromTrivy } from './sbom.js'

// The CycloneDX 1.6 JSON schema (with the SPDX id list and JSF it refers to), read from the Go module
// cache that `npm run tools` filled when it built the pinned Grype: Grype checks its own CycloneDX output
// against these copies.
async function schemaDir(): Promise<string> {
  const pin = /^GRYPE_VERSION=(\S+)$/m.exec(
    readFileSync(path.join(REPO_ROOT, 'scripts/install-tools.sh'), 'utf8')
  )?.[1]
  if (!pin) throw new Error('GRYPE_VERSION not found in scripts/install-tools.sh')
  const env = childEnv({ HOME: process.env.HOME ?? '', GOFLAGS: '-mod=mod' })
  const r = await runProcess('go', ['env', 'GOMODCACHE'], { cwd: tmpdir(), deadlineMs: 60_000, env })
  if (r.exitCode !== 0) throw new Error(`go env GOMODCACHE failed: ${r.stderr}`)
  return path.join(r.stdout.trim(), `github.com/anchore/grype@${pin}/grype/presenter/cyclonedx/testdata`)
}

// ajv-formats is CommonJS with `exports.default`; NodeNext types see the namespace, not the function.
const ajvFormats = ((ajvFormatsModule as { default?: unknown }).default ?? ajvFormatsModule) as unknown as (
  ajv: Ajv
) => Ajv

let validate: ValidateFunction

beforeAll(async () => {
  const dir = await schemaDir()
  const read = (name: string) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as object
  // strict: false: the schema uses annotation keywords (meta:enum) Ajv does not know.
  const ajv = ajvFormats(new Ajv({ allErrors: true, strict: false }))
  // ajv-formats has no IRI or IDN formats: those strings are left unchecked.
  ajv.addFormat('iri-reference', true).addFormat('idn-email', true)
  ajv.addSchema(read('spdx.schema.json')).addSchema(read('jsf-0.82.schema.json'))
  validate = ajv.compile(read('bom-1.6.schema.json'))
})

/** The schema's errors for a document, as JSON would carry it (no undefined members, no Dates). */
function schemaErrors(bom: object): unknown[] {
  return validate(JSON.parse(JSON.stringify(bom))) ? [] : (validate.errors ?? [])
}

describe('CycloneDX 1.6 schema', () => {
  it('accepts the image SBOM built from a Trivy report', () => {
    const report = {
      Metadata: { OS: { Family: 'alpine', Name: '3.19.1' } },
      Results: [
        {
          Target: 'app (alpine 3.19.1)',
          Type: 'alpine',
          Packages: [
            {
              ID: 'musl@1.2.4_git20230717-r4',
              Name: 'musl',
              Version: '1.2.4_git20230717-r4',
              Identifier: { PURL: 'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1' },
              Licenses: ['MIT'],
              Layer: { DiffID: `sha256:${'1'.repeat(64)}` }
            },
            {
              ID: 'busybox@1.36.1-r15',
              Name: 'busybox',
              Version: '1.36.1-r15',
              Identifier: { PURL: 'pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=3.19.1' },
              Licenses: ['GPL-2.0-only'],
              DependsOn: ['musl@1.2.4_git20230717-r4', 'musl@1.2.4_git20230717-r4', 'gone@1'],
              Layer: { DiffID: `sha256:${'1'.repeat(64)}` }
            }
          ]
        },
        {
          Target: 'Node.js',
          Type: 'node-pkg',
          Packages: [
            {
              ID: 'left-pad@1.3.0',
              Name: 'left-pad',
              Version: '1.3.0',
              Identifier: { PURL: 'pkg:npm/left-pad@1.3.0' },
              Licenses: ['LicenseRef-Acme', 'MIT OR Apache-2.0', 'Custom: see LICENSE'],
              FilePath: 'app/node_modules/left-pad/package.json',
              Layer: { DiffID: `sha256:${'2'.repeat(64)}` }
            },
            {
              ID: 'left-pad@1.3.0',
              Name: 'left-pad',
              Version: '1.3.0',
              Identifier: { PURL: 'pkg:npm/left-pad@1.3.0' },
              FilePath: 'app/vendor/left-pad/package.json'
            },
            { Name: 'no-purl', Version: '0.1.0', FilePath: 'opt/no-purl/package.json' },
            { Name: 'no-purl', Version: '0.1.0', FilePath: 'srv/no-purl/package.json' }
          ]
        }
      ]
    }
    const bom = sbomFromTrivy(
      report,
      {
        name: 'ghcr.io/o/app',
        digest: `sha256:${'a'.repeat(64)}`,
        platform: { os: 'linux', architecture: 'amd64' }
      },
      { name: 'trivy', version: '0.69.3' }
    )
    expect(bom.components).toHaveLength(7)
    expect(bom.dependencies).toHaveLength(2)
    expect(schemaErrors(bom)).toEqual([])
  })

  it('accepts the repository SBOM (sca), a LicenseRef among its licenses', () => {
    const bom = buildCycloneDx({
      components: [
        {
          group: '@babel',
          name: 'code-frame',
          version: '7.0.0',
          purl: 'pkg:npm/%40babel/code-frame@7.0.0',
          ecosystem: 'npm',
          licenses: [{ id: 'MIT' }, { id: 'LicenseRef-Acme' }],
          occurrences: [{ location: 'package-lock.json', line: 12 }]
        },
        { name: 'x', ecosystem: 'PyPI', licenses: [{ expression: 'MIT OR Apache-2.0' }], occurrences: [] }
      ],
      tools: [{ name: 'secure-pipeline sca' }, { name: 'osv-scanner', version: '2.6.0' }],
      subject: { name: 'octo-org/octo-repo', version: 'abc' }
    })
    expect(schemaErrors(bom)).toEqual([])
  })

  it('rejects a LicenseRef written as a license id (the check can fail)', () => {
    const bom = buildCycloneDx({
      components: [{ name: 'x', ecosystem: 'npm', licenses: [{ id: 'MIT' }], occurrences: [] }],
      tools: [{ name: 'secure-pipeline sca' }]
    })
    ;(bom.components[0]!.licenses as { license: { id: string } }[])[0]!.license.id = 'LicenseRef-Acme'
    expect(schemaErrors(bom)).not.toEqual([])
  })
})
