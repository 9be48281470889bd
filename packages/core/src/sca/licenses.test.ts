import { describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '../runtime/errors.js'
import { judgeLicenses, parseLicenseList } from './licenses.js'

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
