import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { deepStrictEqual } from 'node:assert/strict'
import { stringify } from 'yaml'
import { check, Choices, choiceStream } from '../../../../test/support/report-fuzz.js'
import { evaluateObjects } from './evaluate.js'
import { loadManifestText } from './manifests.js'
import { defaultOptions } from './options.js'
import { LATEST_PSS_VERSION } from './rules/pss-version.js'

/*
 * The manifest parser and the seed rules against generated multi-document manifests whose content is
 * known: which documents are Kubernetes objects (kind, name, namespace, document index), which containers
 * run privileged, use `latest`, have no tag or lack limits, and on which line each of those fields was
 * written. Written by hand (block and flow style, comments, blank lines, CRLF, YAML 1.1 booleans such as
 * `privileged: yes`), so the expected lines come from the writer, not from a YAML library.
 */

const RUNS = 10_000
const FILE = 'deploy/app.yaml'
const SEED_RULES = ['privileged-container', 'image-disallowed-tag', 'image-untagged', 'resource-limits']
const options = defaultOptions({ rules: new Set(SEED_RULES) })

/** The lines of one file; `add` returns the 1-based line of what it wrote. */
class Lines {
  readonly text: string[] = []
  constructor(private readonly c: Choices) {}
  add(line: string): number {
    // Comments and blank lines between fields move every later line.
    if (this.c.int(8) === 0) this.text.push(this.c.pick(['', '# a comment', '   # indented comment']))
    this.text.push(line)
    return this.text.length
  }
}

interface Expected {
  ruleId: string
  container: string
  line: number
}

const IMAGES: { image: string; rule?: string }[] = [
  { image: 'ghcr.io/acme/app:1.2.3' },
  { image: 'nginx@sha256:' + 'a'.repeat(64) },
  { image: 'localhost:5000/app:2' },
  { image: 'ghcr.io/acme/app:latest', rule: 'image-disallowed-tag' },
  { image: 'ghcr.io/acme/app', rule: 'image-untagged' },
  // A registry port is no tag.
  { image: 'localhost:5000/app', rule: 'image-untagged' }
]

// YAML 1.1, as the API machinery reads manifests: yes/on/true are true; quoted, they are strings.
const PRIVILEGED: { text: string; privileged: boolean }[] = [
  { text: 'true', privileged: true },
  { text: 'yes', privileged: true },
  { text: 'on', privileged: true },
  { text: 'True', privileged: true },
  { text: 'false', privileged: false },
  { text: 'no', privileged: false },
  { text: '"yes"', privileged: false },
  { text: "'true'", privileged: false }
]

function container(c: Choices, lines: Lines, indent: string, name: string, ephemeral: boolean): Expected[] {
  const out: Expected[] = []
  const nameLine = lines.add(`${indent}- name: ${name}`)
  const inner = `${indent}  `
  const image = c.pick(IMAGES)
  const imageLine = lines.add(`${inner}image: ${c.bool() ? image.image : JSON.stringify(image.image)}`)
  if (image.rule) out.push({ ruleId: image.rule, container: name, line: imageLine })
  if (c.bool()) {
    const privileged = c.pick(PRIVILEGED)
    lines.add(`${inner}securityContext:`)
    const line = lines.add(`${inner}  privileged: ${privileged.text}`)
    if (privileged.privileged) out.push({ ruleId: 'privileged-container', container: name, line })
  }
  // Ephemeral containers cannot set resources, so the limits rule skips them.
  const limits = c.int(5)
  if (limits === 0) {
    if (!ephemeral) out.push({ ruleId: 'resource-limits', container: name, line: nameLine })
  } else if (limits === 1) {
    const line = lines.add(`${inner}resources:`)
    lines.add(`${inner}  requests: { cpu: 100m }`)
    if (!ephemeral) out.push({ ruleId: 'resource-limits', container: name, line })
  } else if (limits === 2) {
    lines.add(`${inner}resources: { limits: { cpu: "1", memory: 1Gi } }`)
  } else {
    lines.add(`${inner}resources:`)
    const line = lines.add(`${inner}  limits:`)
    const missing = c.pick(['cpu', 'memory', undefined])
    if (missing !== 'cpu') lines.add(`${inner}    cpu: ${c.pick(['500m', '"2"', '1'])}`)
    if (missing !== 'memory') lines.add(`${inner}    memory: ${c.pick(['256Mi', '1Gi', '"512Mi"'])}`)
    if (missing && !ephemeral) out.push({ ruleId: 'resource-limits', container: name, line })
  }
  return out
}

function podSpec(c: Choices, lines: Lines, indent: string): Expected[] {
  const out: Expected[] = []
  let n = 0
  for (const [field, max] of [
    ['initContainers', 1],
    ['containers', 2],
    ['ephemeralContainers', 1]
  ] as const) {
    const count = field === 'containers' ? 1 + c.int(max) : c.int(max + 1)
    if (count === 0) continue
    lines.add(`${indent}${field}:`)
    for (let i = 0; i < count; i++)
      out.push(...container(c, lines, indent, `c${n++}`, field === 'ephemeralContainers'))
  }
  return out
}

const WORKLOADS: { kind: string; apiVersion: string; template: string[] }[] = [
  { kind: 'Pod', apiVersion: 'v1', template: [] },
  { kind: 'Deployment', apiVersion: 'apps/v1', template: ['spec', 'template'] },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', template: ['spec', 'template'] },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', template: ['spec', 'template'] },
  { kind: 'Job', apiVersion: 'batch/v1', template: ['spec', 'template'] },
  { kind: 'CronJob', apiVersion: 'batch/v1', template: ['spec', 'jobTemplate', 'spec', 'template'] }
]

interface Document {
  objects: { kind: string; name: string; namespace?: string; document: number }[]
  violations: (Expected & { object: string })[]
}

/** One object at `indent`; `inList` when it is an item of a List (the first line carries the `- `). */
function object(c: Choices, lines: Lines, indent: string, document: number, inList: boolean, out: Document) {
  const first = inList ? `${indent.slice(0, -2)}- ` : indent
  const name = `o${out.objects.length}`
  const namespace = c.maybe(() => c.pick(['prod', 'default']))
  const kindChoice = c.int(WORKLOADS.length + 2)
  if (kindChoice >= WORKLOADS.length) {
    // Not a workload: a ConfigMap, or a Deployment of an API group that has none.
    const notWorkload = kindChoice === WORKLOADS.length
    lines.add(`${first}apiVersion: v1`)
    lines.add(`${indent}kind: ${notWorkload ? 'ConfigMap' : 'Deployment'}`)
    lines.add(`${indent}metadata: { name: ${name}${namespace ? `, namespace: ${namespace}` : ''} }`)
    if (notWorkload) lines.add(`${indent}data: { key: value }`)
    else {
      lines.add(`${indent}spec:`)
      lines.add(`${indent}  template:`)
      lines.add(`${indent}    spec:`)
      podSpec(c, lines, `${indent}      `)
    }
    out.objects.push({ kind: notWorkload ? 'ConfigMap' : 'Deployment', name, namespace, document })
    return
  }
  const workload = WORKLOADS[kindChoice]!
  lines.add(`${first}apiVersion: ${workload.apiVersion}`)
  lines.add(`${indent}kind: ${workload.kind}`)
  lines.add(`${indent}metadata:`)
  lines.add(`${indent}  name: ${name}`)
  if (namespace) lines.add(`${indent}  namespace: ${namespace}`)
  let inner = indent
  for (const key of [...workload.template, 'spec']) {
    lines.add(`${inner}${key}:`)
    inner += '  '
  }
  const found = podSpec(c, lines, inner)
  out.objects.push({ kind: workload.kind, name, namespace, document })
  out.violations.push(...found.map(v => ({ ...v, object: `${workload.kind}/${name}` })))
}

function manifest(c: Choices): { text: string; model: Document } {
  const lines = new Lines(c)
  const model: Document = { objects: [], violations: [] }
  const count = 1 + c.int(2)
  for (let document = 0; document < count; document++) {
    const what = c.int(8)
    // Comments before the first `---` belong to the next document: a comment-only first document needs one.
    if (document > 0 || what === 0 || c.bool()) lines.text.push(c.pick(['---', '--- # next']))
    if (what === 0) lines.add('# only a comment: an empty document')
    else if (what === 1) lines.add('settings: { not: kubernetes }')
    else if (what === 2) {
      lines.add('apiVersion: v1')
      lines.add('kind: List')
      lines.add('items:')
      for (let i = 1 + c.int(2); i > 0; i--) object(c, lines, '    ', document, true, model)
    } else object(c, lines, '', document, false, model)
  }
  const text = lines.text.join(c.int(4) === 0 ? '\r\n' : '\n') + '\n'
  return { text, model }
}

describe('manifest parser and seed rules, on generated manifests', () => {
  it(`reads ${RUNS} generated manifests: every object, every violation, on the line it was written`, () => {
    fc.assert(
      fc.property(choiceStream, stream => {
        const { text, model } = manifest(new Choices(stream))
        const loaded = loadManifestText(text, FILE)
        check(loaded.problems.length === 0, 'problems', loaded.problems)
        deepStrictEqual(
          loaded.objects.map(o => ({
            kind: o.kind,
            name: o.name,
            namespace: o.namespace,
            document: o.documentIndex
          })),
          model.objects
        )
        const key = (v: { ruleId: string; container: string; line: number; object: string }) =>
          `${v.object} ${v.container} ${v.ruleId} line ${v.line}`
        const violations = evaluateObjects(loaded.objects, options)
        for (const v of violations) check(v.file === FILE, 'file', v.file)
        deepStrictEqual(
          violations
            .map(v =>
              key({
                ruleId: v.ruleId,
                container: v.container?.name ?? '?',
                line: v.line,
                object: `${v.objectKind}/${v.objectName}`
              })
            )
            .sort(),
          model.violations.map(key).sort()
        )
      }),
      { numRuns: RUNS }
    )
  })
})

// Arbitrary values where the pod spec's fields go: wrong types, nulls, nesting. `<<` is left out: in YAML
// 1.1 it is a merge key, and a merge of a non-map is rightly a parse problem, not the object written.
const field = fc.anything({ maxDepth: 3, withNullPrototype: false, key: fc.string().filter(k => k !== '<<') })
const anyContainer = fc.record(
  {
    name: fc.oneof(fc.string(), field),
    image: fc.oneof(fc.string(), field),
    securityContext: field,
    resources: field,
    ports: field,
    livenessProbe: field
  },
  { requiredKeys: [] }
)
const anySpec = fc.record(
  {
    containers: fc.oneof(fc.array(fc.oneof(anyContainer, field), { maxLength: 3 }), field),
    initContainers: fc.oneof(fc.array(anyContainer, { maxLength: 2 }), field),
    securityContext: field,
    volumes: field,
    hostNetwork: field,
    os: field
  },
  { requiredKeys: [] }
)
const allRules = defaultOptions({
  allowedRegistries: ['ghcr.io/'],
  rules: new Set(defaultOptions().rules).add('image-digest').add('allowed-registries')
})

describe('robustness', () => {
  it('never throws on arbitrary pod specs of any workload kind, at any level and version', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...WORKLOADS),
        anySpec,
        fc.constantFrom('baseline', 'restricted' as const),
        fc.integer({ min: 0, max: LATEST_PSS_VERSION }),
        (workload, podSpec, level, version) => {
          let object: Record<string, unknown> = { spec: podSpec }
          for (const key of [...workload.template].reverse()) object = { [key]: object }
          const manifestObject = {
            apiVersion: workload.apiVersion,
            kind: workload.kind,
            metadata: { name: 'x' },
            ...object
          }
          // Written as YAML 1.1, the dialect it is read in: keys like `y` and `Y` are booleans there and must be quoted.
          const loaded = loadManifestText(
            stringify(manifestObject, { version: '1.1', aliasDuplicateObjects: false }),
            FILE
          )
          expect(loaded.problems).toEqual([])
          expect(loaded.objects).toHaveLength(1)
          const violations = evaluateObjects(loaded.objects, { ...allRules, level, version })
          for (const v of violations) expect(v.line).toBeGreaterThanOrEqual(1)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), text => {
        const loaded = loadManifestText(text, FILE)
        expect(() => evaluateObjects(loaded.objects, allRules)).not.toThrow()
      }),
      { numRuns: 300 }
    )
  })
})
