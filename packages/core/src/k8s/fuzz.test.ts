import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { stringify } from 'yaml'
import { evaluateObjects } from './evaluate.js'
import { loadManifestText } from './manifests.js'
import { defaultOptions } from './options.js'
import { LATEST_PSS_VERSION } from './rules/pss-version.js'

const options = defaultOptions({
  allowedRegistries: ['ghcr.io/'],
  rules: new Set(defaultOptions().rules).add('image-digest').add('allowed-registries')
})
const kinds = fc.constantFrom('Pod', 'Deployment', 'CronJob', 'Job', 'StatefulSet', 'List')
const apiVersions = fc.constantFrom('v1', 'apps/v1', 'batch/v1')

// Arbitrary values where the pod spec's fields go: wrong types, nulls, nesting. The checks must treat what
// they do not understand as absent, never throw.
const field = fc.anything({ maxDepth: 3, withNullPrototype: false })
const container = fc.record(
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
const spec = fc.record(
  {
    containers: fc.oneof(fc.array(fc.oneof(container, field), { maxLength: 3 }), field),
    initContainers: fc.oneof(fc.array(container, { maxLength: 2 }), field),
    securityContext: field,
    volumes: field,
    hostNetwork: field,
    os: field
  },
  { requiredKeys: [] }
)

describe('robustness', () => {
  it('never throws on arbitrary pod specs of any workload kind, at any level and version', () => {
    fc.assert(
      fc.property(
        kinds,
        apiVersions,
        spec,
        fc.constantFrom('baseline', 'restricted' as const),
        fc.integer({ min: 0, max: LATEST_PSS_VERSION }),
        (kind, apiVersion, podSpec, level, version) => {
          const template = {
            metadata: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } },
            spec: podSpec
          }
          const object =
            kind === 'Pod'
              ? { apiVersion, kind, metadata: { name: 'x' }, spec: podSpec }
              : kind === 'CronJob'
                ? { apiVersion, kind, metadata: { name: 'x' }, spec: { jobTemplate: { spec: { template } } } }
                : {
                    apiVersion,
                    kind,
                    metadata: { name: 'x' },
                    spec: { template },
                    items: [{ apiVersion: 'v1', kind: 'Pod', spec: podSpec }]
                  }
          // Written as YAML 1.1, the dialect it is read in: keys like `y` and `Y` are booleans there and must be quoted.
          const loaded = loadManifestText(
            stringify(object, { version: '1.1', aliasDuplicateObjects: false }),
            'fuzz.yaml'
          )
          expect(loaded.problems).toEqual([])
          const violations = evaluateObjects(loaded.objects, { ...options, level, version })
          for (const v of violations) expect(v.line).toBeGreaterThanOrEqual(1)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), text => {
        const loaded = loadManifestText(text, 'fuzz.yaml')
        expect(() => evaluateObjects(loaded.objects, options)).not.toThrow()
      }),
      { numRuns: 300 }
    )
  })
})
