import { describe, expect, it } from '@jest/globals'
import { jsonReadReason, isJsonDependencyFile } from './json-dependency-files.js'

describe('isJsonDependencyFile', () => {
  it('names the dependency files osv-scanner reads with encoding/json', () => {
    for (const file of ['a/package-lock.json', 'composer.lock', 'Pipfile.lock', 'bun.lock', 'app.deps.json'])
      expect(isJsonDependencyFile(file)).toBe(true)
    for (const file of ['yarn.lock', 'package.json', 'Cargo.lock', 'requirements.txt'])
      expect(isJsonDependencyFile(file)).toBe(false)
  })
})

describe('jsonReadReason', () => {
  it('passes a file whose keys Go reads as spelt', () => {
    const lock = { packages: { 'node_modules/lodash': { version: '4.17.21', resolved: 'x' } } }
    expect(jsonReadReason('package-lock.json', JSON.stringify(lock))).toBeUndefined()
  })

  it('names two keys of one object, at any depth, that Go folds into one field', () => {
    const lock = { packages: { 'node_modules/lodash': { version: '4.17.11', Version: '4.17.21' } } }
    expect(jsonReadReason('package-lock.json', JSON.stringify(lock))).toBe(
      `the object at ["packages"]["node_modules/lodash"] holds the keys 'version' and 'Version', which the scan reads as one (the last) while the package manager reads each as spelt; keep one spelling of each key, as the package manager writes it`
    )
  })

  it('folds as Go does: the long s and the Kelvin sign, and in arrays', () => {
    const composer = { packages: [{ name: 'monolog/monolog', version: '1.0.0', ſource: {}, source: {} }] }
    expect(jsonReadReason('composer.lock', JSON.stringify(composer))).toContain(`'\u017fource' and 'source'`)
    expect(jsonReadReason('Pipfile.lock', '{"default": {}, "DEFAULT": {}}')).toContain('its top level')
  })

  it('reads bun.lock as JSONC, and leaves text JSON cannot parse to the engine', () => {
    expect(jsonReadReason('bun.lock', '{ // c\n "lockfileVersion": 1, "LockfileVersion": 0, }')).toContain(
      `'lockfileVersion' and 'LockfileVersion'`
    )
    expect(jsonReadReason('package-lock.json', '{"a": ')).toBeUndefined()
  })
})
