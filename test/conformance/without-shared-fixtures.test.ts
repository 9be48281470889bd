import { beforeAll, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { describeWithSharedFixtures, REPO_ROOT } from '../support/shared-fixtures.js'

/*
 * A newcomer's clone has no ../shared beside it. These tests run the conformance project the way they
 * would (a nested jest pointed at a folder that does not exist) and check it passes with a skip message
 * per suite, that CI fails instead, and that .ci/run refuses to start. This file is itself guarded, so
 * the nested run skips it too instead of recursing.
 */

const ABSENT = path.join(tmpdir(), 'secure-pipeline-no-such-shared-folder')
const CONFORMANCE = path.join(REPO_ROOT, 'test', 'conformance')

interface JestJson {
  success: boolean
  numTotalTests: number
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
  numRuntimeErrorTestSuites: number
  testResults: {
    name: string
    message: string
    assertionResults: { status: string; title: string; fullName: string; failureMessages: string[] }[]
  }[]
}

function environment(ci: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SECURE_PIPELINE_SHARED: ABSENT,
    NODE_OPTIONS: '--experimental-vm-modules',
    NODE_NO_WARNINGS: '1'
  }
  delete env.CI
  delete env.JEST_WORKER_ID
  if (ci) env.CI = 'true'
  return env
}

function conformanceRun(ci: boolean): { status: number | null; results: JestJson; resultsFile: string } {
  const resultsFile = path.join(mkdtempSync(path.join(tmpdir(), 'conformance-absent-')), 'results.json')
  const run = spawnSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--selectProjects',
      'conformance',
      '--runInBand',
      '--json',
      `--outputFile=${resultsFile}`
    ],
    { cwd: REPO_ROOT, env: environment(ci), encoding: 'utf8', timeout: 170_000 }
  )
  if (run.error) throw run.error
  return {
    status: run.status,
    results: JSON.parse(readFileSync(resultsFile, 'utf8')) as JestJson,
    resultsFile
  }
}

const suiteFiles = () =>
  readdirSync(CONFORMANCE)
    .filter(file => file.endsWith('.test.ts'))
    .map(file => path.join(CONFORMANCE, file))
    .sort()

describeWithSharedFixtures('a clone without ../shared', () => {
  let local: ReturnType<typeof conformanceRun>
  beforeAll(() => {
    local = conformanceRun(false)
  }, 180_000)

  it('passes, every conformance suite reporting one skipped test that says what is missing', () => {
    expect(local.results.numRuntimeErrorTestSuites).toBe(0)
    expect(local.results.numFailedTests).toBe(0)
    expect(local.status).toBe(0)
    expect(local.results.testResults.map(suite => suite.name).sort()).toEqual(suiteFiles())
    for (const suite of local.results.testResults) {
      expect(suite.message).toBe('')
      expect(suite.assertionResults.length).toBeGreaterThan(0)
      for (const test of suite.assertionResults) {
        expect(test.status).toBe('pending')
        expect(test.title).toContain(`${ABSENT}/fixtures is absent`)
      }
    }
    expect(local.results.numPendingTests).toBe(local.results.numTotalTests)
  })

  it('fails under CI instead of skipping', () => {
    const ci = conformanceRun(true)
    expect(ci.status).not.toBe(0)
    expect(ci.results.numPendingTests).toBe(0)
    expect(ci.results.numFailedTests).toBe(ci.results.numTotalTests)
    const messages = ci.results.testResults.flatMap(s => s.assertionResults.flatMap(t => t.failureMessages))
    expect(messages.length).toBe(ci.results.numTotalTests)
    for (const message of messages) expect(message).toContain(`${ABSENT}/fixtures is absent`)
  }, 180_000)

  it('.ci/run refuses to start without the folder', () => {
    const run = spawnSync('bash', [path.join(REPO_ROOT, '.ci', 'run')], {
      cwd: REPO_ROOT,
      env: environment(true),
      encoding: 'utf8',
      timeout: 60_000
    })
    expect(run.status).toBe(1)
    expect(run.stdout).toContain(`::error::../shared/fixtures is missing (${ABSENT})`)
    // It stopped at its first step: nothing was installed or built.
    expect(run.stdout).not.toContain('== npm ci')
  })

  it('.ci/run fails a test run in which a test was skipped, and names it', () => {
    const check = (file: string) =>
      spawnSync('bash', [path.join(REPO_ROOT, '.ci', 'run'), '--check-jest-results', file], {
        encoding: 'utf8'
      })
    // The real results of the run above: every test skipped.
    const skipped = check(local.resultsFile)
    expect(skipped.status).toBe(1)
    expect(skipped.stderr).toContain('skipped or todo under CI')
    for (const suite of local.results.testResults)
      expect(skipped.stderr).toContain(`${suite.name}: ${suite.assertionResults[0]!.fullName} (pending)`)

    const clean = path.join(mkdtempSync(path.join(tmpdir(), 'jest-clean-')), 'results.json')
    writeFileSync(
      clean,
      JSON.stringify({
        numTotalTests: 1,
        numPassedTests: 1,
        numFailedTests: 0,
        numPendingTests: 0,
        numTodoTests: 0,
        testResults: [{ name: 'a.test.ts', assertionResults: [{ status: 'passed', fullName: 'a' }] }]
      })
    )
    expect(check(clean).status).toBe(0)

    const todo = path.join(path.dirname(clean), 'todo.json')
    writeFileSync(
      todo,
      JSON.stringify({
        numTotalTests: 2,
        numPassedTests: 1,
        numFailedTests: 0,
        numPendingTests: 0,
        numTodoTests: 1,
        testResults: [
          {
            name: 'a.test.ts',
            assertionResults: [
              { status: 'passed', fullName: 'a' },
              { status: 'todo', fullName: 'b' }
            ]
          }
        ]
      })
    )
    const todoRun = check(todo)
    expect(todoRun.status).toBe(1)
    expect(todoRun.stderr).toContain('a.test.ts: b (todo)')
  })
})
