import { describe, expect, it } from '@jest/globals'
import { checkGateRun, defaultInputs, RESULTS } from '../../../bench/p2-gate.js'

describe('the P2 bench', () => {
  it('gives the gate what a workflow gets by default: every default but the token', () => {
    const inputs = defaultInputs()
    expect(inputs).toMatchObject({
      INPUT_REPORTS: 'secure-pipeline/*.sarif',
      'INPUT_POLICY-SOURCE': 'base',
      'INPUT_IN-SOURCE-SUPPRESSIONS': 'reviewed',
      INPUT_UPLOAD: '',
      INPUT_COMMENT: ''
    })
    expect(inputs).not.toHaveProperty('INPUT_TOKEN')
  })

  it('believes no figure from a run that did not do the measured work', () => {
    const counts = JSON.stringify({ total: RESULTS })
    const good = { outcome: 'fail-findings', counts, 'sarif-file': 'secure-pipeline/gate/combined.sarif' }
    expect(checkGateRun(1, good)).toEqual([])
    expect(checkGateRun(0, { ...good, outcome: 'pass' })).toEqual([
      'exit code 0, expected 1 (fail-findings)',
      'outcome pass, expected fail-findings'
    ])
    expect(checkGateRun(1, { ...good, counts: JSON.stringify({ total: 25_000 }) })).toEqual([
      'counted 25000 findings, expected 100000'
    ])
    expect(checkGateRun(1, { outcome: 'fail-findings', counts })).toEqual([
      'no combined SARIF (sarif-file: undefined): upload=auto was not measured'
    ])
  })
})
