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
    const composer = { packages: [{ name: 'monolog/monolog', ſtate: 1, version: '1.0.0', verſion: '2.0.0' }] }
    expect(jsonReadReason('composer.lock', JSON.stringify(composer))).toContain(
      `'version' and 'ver\u017fion'`
    )
    expect(jsonReadReason('renv.lock', '{"Packages": {}, "pac\u212Aages": {}}')).toContain(
      `'Packages' and 'pac\u212Aages'`
    )
    expect(jsonReadReason('Pipfile.lock', '{"default": {}, "DEFAULT": {}}')).toContain('its top level')
  })

  it('reads bun.lock as JSONC, and leaves text JSON cannot parse to the engine', () => {
    expect(jsonReadReason('bun.lock', '{ // c\n "lockfileVersion": 1, "LockfileVersion": 0, }')).toContain(
      `'lockfileVersion' and 'LockfileVersion'`
    )
    expect(jsonReadReason('package-lock.json', '{"a": ')).toBeUndefined()
  })

  it('reads the keys of a map as spelt, as Go does: npm installs two packages differing only in case', () => {
    // walk depends on foreachasync, hbs-utils on forEachAsync; npm publishes both, installs both on Linux.
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { forEachAsync: '^3.0.0', foreachasync: '^3.0.0' } },
        'node_modules/forEachAsync': {
          version: '3.0.0',
          resolved: 'https://registry.npmjs.org/forEachAsync/-/forEachAsync-3.0.0.tgz'
        },
        'node_modules/foreachasync': {
          version: '3.0.0',
          resolved: 'https://registry.npmjs.org/foreachasync/-/foreachasync-3.0.0.tgz'
        }
      }
    }
    expect(jsonReadReason('package-lock.json', JSON.stringify(lock))).toBeUndefined()
    const v1 = {
      lockfileVersion: 1,
      dependencies: { JSONStream: { version: '1.3.5' }, jsonstream: { version: '0.1.0' } }
    }
    expect(jsonReadReason('package-lock.json', JSON.stringify(v1))).toBeUndefined()
    const bin = { packages: { 'node_modules/x': { version: '1.0.0', bin: { X: 'a.js', x: 'b.js' } } } }
    expect(jsonReadReason('package-lock.json', JSON.stringify(bin))).toBeUndefined()
  })
})
