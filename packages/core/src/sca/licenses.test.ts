import { describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '../runtime/errors.js'
import { judgeLicenses, licenseForm, parseLicenseList } from './licenses.js'

describe('judgeLicenses', () => {
  const deny = { allow: [], deny: ['GPL-3.0-only', 'AGPL-3.0-only'] }
  it('denies only when every way to comply needs a denied license', () => {
    expect(judgeLicenses(['GPL-3.0-only'], deny)).toEqual({ kind: 'denied', ids: ['GPL-3.0-only'] })
    expect(judgeLicenses(['MIT OR GPL-3.0-only'], deny)).toEqual({ kind: 'ok' })
    expect(judgeLicenses(['MIT AND (GPL-3.0-only OR AGPL-3.0-only)'], deny)).toEqual({
      kind: 'denied',
      ids: ['GPL-3.0-only', 'AGPL-3.0-only']
    })
    // Two declared values both apply: MIT and GPL together.
    expect(judgeLicenses(['MIT', 'GPL-3.0-only'], deny)).toMatchObject({ kind: 'denied' })
  })
  it('allows when one way to comply uses allowed licenses only', () => {
    const allow = { allow: ['MIT', 'Apache-2.0'], deny: [] }
    expect(judgeLicenses(['(MIT OR GPL-2.0-only)'], allow)).toEqual({ kind: 'ok' })
    expect(judgeLicenses(['BSD-3-Clause'], allow)).toEqual({ kind: 'not-allowed', ids: ['BSD-3-Clause'] })
    expect(judgeLicenses(['GPL-2.0+'], { allow: ['GPL-2.0'], deny: [] })).toEqual({ kind: 'ok' })
  })
  it('calls a license unknown when nothing or no SPDX expression is declared', () => {
    const allow = { allow: ['MIT'], deny: [] }
    expect(judgeLicenses([], allow)).toEqual({ kind: 'unknown' })
    expect(judgeLicenses(['SEE LICENSE IN LICENSE'], allow)).toEqual({ kind: 'unknown' })
    expect(judgeLicenses(['UNKNOWN'], allow)).toEqual({ kind: 'unknown' })
  })
  it('calls a license unknown past 256 ways to comply, without expanding them all', () => {
    // 2^30 ways to comply: expanded, this ran the action out of memory.
    const thirtyClauses = Array.from({ length: 30 }, () => '(MIT OR ISC)').join(' AND ')
    const started = Date.now()
    expect(judgeLicenses([thirtyClauses], { allow: ['MIT'], deny: [] })).toEqual({ kind: 'unknown' })
    expect(judgeLicenses([thirtyClauses], deny)).toEqual({ kind: 'unknown' })
    expect(Date.now() - started).toBeLessThan(1000)
    // 2^8 = 256 ways is still judged.
    const eightClauses = Array.from({ length: 8 }, () => '(MIT OR GPL-3.0-only)').join(' AND ')
    expect(judgeLicenses([eightClauses], deny)).toEqual({ kind: 'ok' })
  })
  it('calls a declared value too long to be a real expression unknown', () => {
    const long = Array.from({ length: 200 }, () => 'MIT').join(' AND ')
    expect(judgeLicenses([long], { allow: ['MIT'], deny: [] })).toEqual({ kind: 'unknown' })
  })
})

describe('licenseForm', () => {
  it('tells one SPDX id from an expression and from a name, without expanding', () => {
    expect(licenseForm(' MIT ')).toEqual({ kind: 'id', id: 'MIT' })
    expect(licenseForm('(Apache-2.0)')).toEqual({ kind: 'id', id: 'Apache-2.0' })
    expect(licenseForm('GPL-2.0+')).toEqual({ kind: 'expression' })
    expect(licenseForm('GPL-2.0-only WITH Classpath-exception-2.0')).toEqual({ kind: 'expression' })
    expect(licenseForm('MIT OR ISC')).toEqual({ kind: 'expression' })
    expect(licenseForm('SEE LICENSE IN LICENSE')).toEqual({ kind: 'name' })
    expect(licenseForm('UNKNOWN')).toEqual({ kind: 'name' })
    const thirtyClauses = Array.from({ length: 30 }, () => '(MIT OR ISC)').join(' AND ')
    const started = Date.now()
    expect(licenseForm(thirtyClauses)).toEqual({ kind: 'expression' })
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

describe('parseLicenseList', () => {
  it('accepts SPDX ids and refuses anything else, naming the input', () => {
    expect(parseLicenseList('licenses-allow', ['MIT', 'Apache-2.0', 'LicenseRef-Acme'])).toEqual([
      'MIT',
      'Apache-2.0',
      'LicenseRef-Acme'
    ])
    expect(() => parseLicenseList('licenses-deny', ['GPL three'])).toThrow(ConfigurationError)
    expect(() => parseLicenseList('licenses-deny', ['GPL three'])).toThrow(
      /Input 'licenses-deny': 'GPL three' is not an SPDX license id/
    )
    expect(() => parseLicenseList('licenses-allow', ['MIT OR ISC'])).toThrow(/is an expression/)
  })
})
