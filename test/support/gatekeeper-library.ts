import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'
import type { K8sPolicyOptions } from '../../packages/core/src/k8s/options.js'
import { sharedFixture } from './shared-fixtures.js'

export interface SuiteAssertion {
  violations: 'yes' | 'no' | number
  message?: string
}

export interface GatekeeperSuite {
  tests: {
    name: string
    constraint: string
    cases: { name: string; object: string; assertions: SuiteAssertion[] }[]
  }[]
}

type Parameters = Record<string, unknown>
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [])

/** Each gatekeeper constraint kind, the rules of ours it corresponds to, and its parameters as our options. */
export const GATEKEEPER_MAPPINGS: Record<
  string,
  { rules: string[]; options: (p: Parameters) => Partial<K8sPolicyOptions> }
> = {
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

/** The gatekeeper-library policies in ../shared whose constraints map onto our rules. */
export const GATEKEEPER_POLICIES = [
  'pod-security-policy/privileged-containers',
  'general/disallowedtags',
  'general/containerlimits',
  'general/requiredprobes',
  'general/allowedrepos'
]

export interface GatekeeperTest {
  policy: string
  dir: string
  test: GatekeeperSuite['tests'][number]
  rules: string[]
  options: Partial<K8sPolicyOptions>
}

/** Every suite test of a policy, with the constraint read and mapped to our rules and options. */
export function gatekeeperTests(policy: string): GatekeeperTest[] {
  const dir = sharedFixture('k8s', 'gatekeeper', policy)
  const suite = parse(readFileSync(path.join(dir, 'suite.yaml'), 'utf8')) as GatekeeperSuite
  return suite.tests.map(test => {
    const constraint = parse(readFileSync(path.join(dir, test.constraint), 'utf8')) as {
      kind: string
      spec?: { parameters?: Parameters }
    }
    const mapping = GATEKEEPER_MAPPINGS[constraint.kind]
    if (!mapping) throw new Error(`no mapping for constraint kind ${constraint.kind}`)
    return {
      policy,
      dir,
      test,
      rules: mapping.rules,
      options: mapping.options(constraint.spec?.parameters ?? {})
    }
  })
}
