import { expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'
import { evaluateObjects, type Violation } from '../../packages/core/src/k8s/evaluate.js'
import { loadManifestText } from '../../packages/core/src/k8s/manifests.js'
import { defaultOptions, type K8sPolicyOptions } from '../../packages/core/src/k8s/options.js'
import { describeWithSharedFixtures, sharedFixture } from '../support/shared-fixtures.js'

interface SuiteAssertion {
  violations: 'yes' | 'no' | number
  message?: string
}
interface Suite {
  tests: {
    name: string
    constraint: string
    cases: { name: string; object: string; assertions: SuiteAssertion[] }[]
  }[]
}

type Parameters = Record<string, unknown>
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [])

/** Each gatekeeper constraint kind, the one rule of ours it corresponds to, and its parameters as our options. */
const MAPPINGS: Record<string, { rules: string[]; options: (p: Parameters) => Partial<K8sPolicyOptions> }> = {
  K8sPSPPrivilegedContainer: {
    rules: ['privileged-container'],
    options: p => ({ exemptImages: list(p.exemptImages) })
  },
  K8sDisallowedTags: {
    rules: ['image-disallowed-tag', 'image-untagged'],
    options: p => ({ disallowedTags: list(p.tags), exemptImages: list(p.exemptImages) })
  },
  K8sContainerLimits: {
    rules: ['resource-limits'],
    // gatekeeper: cpu "-1" means cpu is not checked; other values are the maximum allowed limit.
    options: p => ({
      exemptImages: list(p.exemptImages),
      limits: {
        cpu: String(p.cpu) !== '-1',
        memory: String(p.memory) !== '-1',
        ...(String(p.cpu) !== '-1' ? { maxCpu: String(p.cpu) } : {}),
        ...(String(p.memory) !== '-1' ? { maxMemory: String(p.memory) } : {})
      }
    })
  },
  K8sRequiredProbes: {
    rules: ['required-probes'],
    options: p => ({ probes: { required: list(p.probes), handlers: list(p.probeTypes) } })
  },
  K8sAllowedRepos: {
    rules: ['allowed-registries'],
    options: p => ({ allowedRegistries: list(p.repos) })
  }
}

/** gatekeeper messages name the container field: `container <x>`, `initContainer <x>`, `ephemeralContainer <x>`. */
const FIELD_BY_MESSAGE: Record<string, string> = {
  container: 'containers',
  initContainer: 'initContainers',
  ephemeralContainer: 'ephemeralContainers'
}

function countMatching(violations: Violation[], message: string | undefined): number {
  if (message === undefined) return violations.length
  const field = FIELD_BY_MESSAGE[message]
  if (!field) throw new Error(`no mapping for gatekeeper message filter '${message}'`)
  return violations.filter(v => v.container?.field === field).length
}

function holds(assertion: SuiteAssertion, violations: Violation[]): boolean {
  const n = countMatching(violations, assertion.message)
  if (assertion.violations === 'yes') return n > 0
  if (assertion.violations === 'no') return n === 0
  return n === assertion.violations
}

const POLICIES = [
  'pod-security-policy/privileged-containers',
  'general/disallowedtags',
  'general/containerlimits',
  'general/requiredprobes',
  'general/allowedrepos'
]

// The `update` cases are AdmissionReview objects for an UPDATE, which gatekeeper's privileged and probes
// templates skip (those fields are immutable). We check manifests, not admission requests: an
// AdmissionReview is not a workload, so it yields no violations, which is the expected verdict.
describeWithSharedFixtures('gatekeeper-library: our verdicts against suite.yaml', () => {
  it('matches every expected violation count of the five policies', () => {
    let total = 0
    const disagreements: string[] = []
    const perPolicy: string[] = []
    for (const policy of POLICIES) {
      const dir = sharedFixture('k8s', 'gatekeeper', policy)
      const suite = parse(readFileSync(path.join(dir, 'suite.yaml'), 'utf8')) as Suite
      let assertions = 0
      for (const test of suite.tests) {
        const constraint = parse(readFileSync(path.join(dir, test.constraint), 'utf8')) as {
          kind: string
          spec?: { parameters?: Parameters }
        }
        const mapping = MAPPINGS[constraint.kind]
        if (!mapping) throw new Error(`no mapping for constraint kind ${constraint.kind}`)
        const options = defaultOptions({
          rules: new Set(mapping.rules),
          ...mapping.options(constraint.spec?.parameters ?? {})
        })
        for (const c of test.cases) {
          const file = path.join(dir, c.object)
          const loaded = loadManifestText(readFileSync(file, 'utf8'), c.object)
          expect(loaded.problems).toEqual([])
          const violations = evaluateObjects(loaded.objects, options)
          for (const assertion of c.assertions) {
            total++
            assertions++
            if (!holds(assertion, violations)) {
              disagreements.push(
                `${policy} ${test.name}/${c.name}: expected ${JSON.stringify(assertion)}, got ${JSON.stringify(violations.map(v => v.message))}`
              )
            }
          }
        }
      }
      perPolicy.push(`${path.basename(policy)} ${assertions}`)
    }
    const agreed = total - disagreements.length
    console.log(
      `gatekeeper agreement: ${agreed}/${total} assertions (${((100 * agreed) / total).toFixed(0)}%) — ${perPolicy.join(', ')}`
    )
    expect(disagreements).toEqual([])
  })
})
