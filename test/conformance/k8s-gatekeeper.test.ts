import { expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { evaluateObjects, type Violation } from '../../packages/core/src/k8s/evaluate.js'
import { loadManifestText } from '../../packages/core/src/k8s/manifests.js'
import { defaultOptions } from '../../packages/core/src/k8s/options.js'
import { GATEKEEPER_POLICIES, gatekeeperTests, type SuiteAssertion } from '../support/gatekeeper-library.js'
import { describeWithSharedFixtures } from '../support/shared-fixtures.js'

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

// The `update` cases are AdmissionReview objects for an UPDATE, which gatekeeper's privileged and probes
// templates skip (those fields are immutable). We check manifests, not admission requests: an
// AdmissionReview is not a workload, so it yields no violations, which is the expected verdict.
describeWithSharedFixtures('gatekeeper-library: our verdicts against suite.yaml', () => {
  it('matches every expected violation count of the five policies', () => {
    let total = 0
    const disagreements: string[] = []
    const perPolicy: string[] = []
    for (const policy of GATEKEEPER_POLICIES) {
      let assertions = 0
      for (const { dir, test, rules, options: mapped } of gatekeeperTests(policy)) {
        const options = defaultOptions({ rules: new Set(rules), ...mapped })
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
