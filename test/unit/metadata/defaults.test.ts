import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
/* eslint-disable no-restricted-imports -- a metadata test reads each action's own input parser: the parser
   is the one source of the defaults a bundle applies, so the test restates none of them. */
import { readInputs as readGateInputs } from '../../../actions/gate/src/main.js'
import { readInputs as readK8sInputs } from '../../../actions/k8s-policy/src/main.js'
import { readInputs as readSastInputs } from '../../../actions/sast/src/main.js'
/* eslint-enable no-restricted-imports */
import { REPO_ROOT } from '../../support/repo-root.js'
import { evaluateExpression, interpolate, type Evaluation } from '../../support/run-composite.js'

/**
 * The runner applies action.yml defaults only when an action is used with `uses:`. The root composite runs
 * the bundles with `node`, so there the bundle's own fallback for an absent input is what applies. Both
 * must mean the same, and so must the composite's defaults for the inputs it forwards.
 */

type Parsed = unknown
let workspace: string
const PARSERS: Record<string, () => Parsed> = {
  gate: () => readGateInputs(),
  sast: () => readSastInputs(workspace),
  'k8s-policy': () => readK8sInputs(workspace)
}

interface Metadata {
  inputs?: Record<string, { default?: string | number | boolean }>
  runs?: { steps?: { run?: string; if?: string; env?: Record<string, string> }[] }
}

function metadata(file: string): Metadata {
  return parse(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Metadata
}

const envName = (input: string) => `INPUT_${input.replace(/ /g, '_').toUpperCase()}`
const isExpression = (value: string) => value.includes('${{')

/** What the action's parser makes of exactly these inputs (all others absent), and which INPUT_* it read. */
function parseWith(action: string, inputs: Record<string, string>): { parsed: Parsed; read: Set<string> } {
  const saved = process.env
  const env: NodeJS.ProcessEnv = { ...saved, GITHUB_WORKSPACE: workspace }
  for (const key of Object.keys(env)) if (key.startsWith('INPUT_')) delete env[key]
  for (const [name, value] of Object.entries(inputs)) env[envName(name)] = value
  const read = new Set<string>()
  process.env = new Proxy(env, {
    get(target, key) {
      if (typeof key === 'string' && key.startsWith('INPUT_')) read.add(key)
      return Reflect.get(target, key)
    }
  })
  try {
    return { parsed: PARSERS[action]!(), read }
  } finally {
    process.env = saved
  }
}

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'defaults-'))
})
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

const ACTIONS = Object.keys(PARSERS)

describe.each(ACTIONS)('actions/%s: action.yml and the bundle agree', action => {
  const inputs = metadata(`actions/${action}/action.yml`).inputs ?? {}
  const literal = Object.entries(inputs)
    .map(([name, spec]) => [name, String(spec.default ?? '')] as const)
    .filter(([, value]) => !isExpression(value))

  it.each(literal)(
    "input '%s': its action.yml default %j is what the bundle applies when it is absent",
    (name, value) => {
      expect(parseWith(action, { [name]: value }).parsed).toEqual(parseWith(action, {}).parsed)
    }
  )

  it('reads every input it declares and no other', () => {
    const { read } = parseWith(action, {})
    expect([...read].sort()).toEqual(Object.keys(inputs).map(envName).sort())
  })
})

describe('the root composite forwards defaults that mean what the bundles mean', () => {
  const composite = metadata('action.yml')
  const defaults = Object.fromEntries(
    Object.entries(composite.inputs ?? {}).map(([name, spec]) => [name, String(spec.default ?? '')])
  )
  // Inputs at their defaults, github.token a placeholder: the composite as the README quick start runs it.
  const evaluation: Evaluation = {
    contexts: {
      inputs: defaults,
      github: { token: 'ghs_placeholder' },
      steps: {},
      env: {},
      runner: {},
      job: {}
    },
    failed: false
  }
  const forwarded = (composite.runs?.steps ?? []).flatMap(step => {
    const bundle = /dist\/([\w-]+)\/index\.js/.exec(step.run ?? '')?.[1]
    if (!bundle) return []
    const runs = step.if === undefined || evaluateExpression(step.if, evaluation).coerceString() === 'true'
    return Object.entries(step.env ?? {}).flatMap(([key, raw]) => {
      const input = /^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$/.exec(raw)?.[1]
      if (!input || !key.startsWith('INPUT_')) return []
      return [{ bundle, bundleInput: key.slice('INPUT_'.length).toLowerCase(), input, runs }]
    })
  })

  // sca and image-scan have no parser here: every input the composite forwards to them has the same
  // default words as their action.yml (or their step is skipped at its default), which the case below
  // checks; a differing one would reach parseWith and fail for want of a parser.
  it('forwards to every bundle the README describes', () => {
    expect([...new Set(forwarded.map(f => f.bundle))].sort()).toEqual(
      [...ACTIONS, 'sca', 'image-scan'].sort()
    )
  })

  it.each(forwarded.map(f => [`${f.input} → ${f.bundle} ${f.bundleInput}`, f] as const))(
    '%s',
    (_label, { bundle, bundleInput, input, runs }) => {
      const bundleDefault = metadata(`actions/${bundle}/action.yml`).inputs?.[bundleInput]?.default
      expect(bundleDefault).toBeDefined()
      const compositeDefault = defaults[input]!
      // Skipped at its default (k8s-paths: '' skips the step), or the same words as the action's default.
      if (!runs || compositeDefault === String(bundleDefault)) return
      expect(isExpression(compositeDefault)).toBe(false)
      const value = interpolate(compositeDefault, evaluation)
      expect(parseWith(bundle, { [bundleInput]: value }).parsed).toEqual(parseWith(bundle, {}).parsed)
    }
  )
})
