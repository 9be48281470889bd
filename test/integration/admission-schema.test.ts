import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse, parseAllDocuments, stringify } from 'yaml'
import { exportAdmission, FORMAT_FILES } from '../../packages/core/src/k8s/export/export.js'
import { EXPORT_FORMATS } from '../../packages/core/src/k8s/export/format-option.js'
import { defaultOptions } from '../../packages/core/src/k8s/options.js'
import { childEnv, runProcess } from '../../packages/core/src/runtime/process.js'
import { toolPath } from '../support/tools-path.js'

// kubectl-validate (SIG CLI) checks manifests offline the way the API server would: the built-in schemas
// of a Kubernetes version, and CRDs from a directory. The CRDs are the pinned engines' own, read from the
// Go module cache that `npm run tools` filled when it built gator and the Kyverno CLI.
const KUBERNETES_VERSION = '1.35'
const GATEKEEPER = 'github.com/open-policy-agent/gatekeeper/v3@v3.23.1'
const KYVERNO = 'github.com/kyverno/kyverno@v1.19.1'

async function moduleDir(module: string): Promise<string> {
  const env = childEnv({ HOME: process.env.HOME ?? '', GOFLAGS: '-mod=mod' })
  const r = await runProcess('go', ['env', 'GOMODCACHE'], { cwd: tmpdir(), deadlineMs: 60_000, env })
  if (r.exitCode !== 0) throw new Error(`go env GOMODCACHE failed: ${r.stderr}`)
  return path.join(r.stdout.trim(), module)
}

/** Gatekeeper creates a CRD per ConstraintTemplate; this one has the schema it generates for `spec.match`. */
function constraintCrd(kind: string, matchSchema: unknown): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}.constraints.gatekeeper.sh` },
    spec: {
      group: 'constraints.gatekeeper.sh',
      names: { kind, plural: kind.toLowerCase(), singular: kind.toLowerCase(), listKind: `${kind}List` },
      scope: 'Cluster',
      versions: ['v1beta1'].map(name => ({
        name,
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                properties: {
                  enforcementAction: { type: 'string' },
                  match: matchSchema,
                  parameters: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
                }
              }
            }
          }
        }
      }))
    }
  }
}

interface ValidateResult {
  status: string
  message?: string
}

async function kubectlValidate(
  files: readonly string[],
  crds: string
): Promise<Record<string, ValidateResult[]>> {
  const r = await runProcess(
    toolPath('kubectl-validate'),
    [...files, '--version', KUBERNETES_VERSION, '--local-crds', crds, '--output', 'json'],
    { cwd: crds, deadlineMs: 300_000, env: childEnv({ HOME: process.env.HOME ?? '' }) }
  )
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`kubectl-validate failed: ${r.stderr}`)
  return JSON.parse(r.stdout) as Record<string, ValidateResult[]>
}

describe('admission export: schema checks with kubectl-validate', () => {
  let work: string
  let crds: string
  let files: string[]

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'admission-schema-'))
    crds = path.join(work, 'crds')
    mkdirSync(crds)
    const gatekeeper = path.join(await moduleDir(GATEKEEPER), 'config', 'crd', 'bases')
    const kyverno = path.join(await moduleDir(KYVERNO), 'config', 'crds', 'policies.kyverno.io')
    for (const [dir, file] of [
      [gatekeeper, 'constrainttemplate-customresourcedefinition.yaml'],
      [gatekeeper, 'expansion.gatekeeper.sh_expansiontemplate.yaml'],
      [kyverno, 'policies.kyverno.io_validatingpolicies.yaml']
    ] as const)
      copyFileSync(path.join(dir, file), path.join(crds, file))
    // The schema Gatekeeper generates for `spec.match` of every constraint kind.
    const matchCrd = parse(
      readFileSync(path.join(gatekeeper, 'match.gatekeeper.sh_matchcrd.yaml'), 'utf8')
    ) as {
      spec: { versions: { schema: { openAPIV3Schema: { properties: { embeddedMatch: unknown } } } }[] }
    }
    const matchSchema = matchCrd.spec.versions[0]!.schema.openAPIV3Schema.properties.embeddedMatch

    const base = defaultOptions()
    const options = defaultOptions({
      rules: new Set([...base.rules, 'allowed-registries', 'image-digest']),
      allowedRegistries: ['ghcr.io/acme/'],
      limits: { cpu: true, memory: true, maxCpu: '2', maxMemory: '1Gi' }
    })
    // With exclusions, so the match conditions they add are validated too.
    const exception = { reason: 'r', owner: 'o', expires: '2999-12-31' }
    const exported = exportAdmission(options, EXPORT_FORMATS, {
      entries: [
        { ...exception, id: 'pss-*', namespace: 'legacy' },
        { ...exception, rule: 'image-disallowed-tag', namespace: 'shop', workload: 'CronJob/nightly' }
      ],
      today: '2026-06-01'
    })
    expect(exported.exceptionsExported).toHaveLength(2)
    files = EXPORT_FORMATS.map(format => {
      const file = path.join(work, FORMAT_FILES[format])
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, exported.files.find(f => f.path === FORMAT_FILES[format])!.content)
      return file
    })
    const constraintKinds = parseAllDocuments(readFileSync(files[0]!, 'utf8'))
      .map(d => d.toJS() as { apiVersion: string; kind: string })
      .filter(d => d.apiVersion.startsWith('constraints.gatekeeper.sh/'))
      .map(d => d.kind)
    for (const kind of constraintKinds)
      writeFileSync(path.join(crds, `constraint-${kind}.yaml`), stringify(constraintCrd(kind, matchSchema)))
  }, 120_000)
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('accepts every exported document against Kubernetes and the engines’ CRD schemas', async () => {
    const results = await kubectlValidate(files, crds)
    const documents = Object.values(results).flat()
    // kubectl-validate reads the header comment before each file's first `---` as one empty document.
    const written = files.reduce((n, f) => n + parseAllDocuments(readFileSync(f, 'utf8')).length, 0)
    expect(documents.length).toBe(written + files.length)
    const failures = Object.entries(results).flatMap(([file, docs]) =>
      docs.filter(d => d.status !== 'Success').map(d => `${path.basename(file)}: ${d.message}`)
    )
    console.log(
      `kubectl-validate (Kubernetes ${KUBERNETES_VERSION}, gatekeeper and kyverno CRDs): ${documents.length - failures.length}/${documents.length} documents valid`
    )
    expect(failures).toEqual([])
  })

  it('rejects a document with a field its schema does not have', async () => {
    const vap = readFileSync(files[2]!, 'utf8').replace(
      'failurePolicy: Fail',
      'failurePolicy: Fail\n  validationz: []'
    )
    const broken = path.join(work, 'broken.yaml')
    writeFileSync(broken, vap)
    const results = await kubectlValidate([broken], crds)
    expect(
      Object.values(results)
        .flat()
        .some(d => d.status !== 'Success' && /validationz/.test(d.message ?? ''))
    ).toBe(true)
  })
})
