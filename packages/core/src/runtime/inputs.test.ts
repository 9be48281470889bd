import { describe, expect, it } from '@jest/globals'
import { parseBoolean, parseEnum, parseList, parsePositiveInteger, parseTriState } from './inputs.js'
import { ConfigurationError } from './errors.js'
import { globMatches } from './glob-match.js'

describe('input parsing', () => {
  it('treats true/false words case-insensitively and falls back when unset', () => {
    expect(parseBoolean('x', 'TRUE', false)).toBe(true)
    expect(parseBoolean('x', 'off', true)).toBe(false)
    expect(parseBoolean('x', undefined, true)).toBe(true)
  })

  it('names the input when a boolean is malformed', () => {
    expect(() => parseBoolean('warn-only', 'maybe', false)).toThrow(ConfigurationError)
    expect(() => parseBoolean('warn-only', 'maybe', false)).toThrow(/'warn-only'/)
  })

  it('reads tri-state auto/true/false', () => {
    expect(parseTriState('upload', 'Auto', 'false')).toBe('auto')
    expect(parseTriState('upload', 'yes', 'auto')).toBe('true')
    expect(parseTriState('upload', undefined, 'auto')).toBe('auto')
  })

  it('splits lists on newlines and commas, dropping blanks and comments', () => {
    expect(parseList('a, b\n\n# note\nc')).toEqual(['a', 'b', 'c'])
    expect(parseList(undefined)).toEqual([])
  })

  it('keeps the {a,b} alternatives of a glob whole: their comma separates no items', () => {
    const paths = parseList('deploy/{base,overlays}/**, !deploy/{dev,test}/**\nsrc/\\{x,y}')
    expect(paths).toEqual(['deploy/{base,overlays}/**', '!deploy/{dev,test}/**', 'src/\\{x', 'y}'])
    expect(globMatches('deploy/overlays/prod/app.yaml', paths[0]!)).toBe(true)
    // A brace left open ends with its line.
    expect(parseList('a/{b\nc,d')).toEqual(['a/{b', 'c', 'd'])
  })

  it('rejects enum values outside the allowed set', () => {
    expect(parseEnum('level', 'Restricted', ['baseline', 'restricted'] as const, 'baseline')).toBe(
      'restricted'
    )
    expect(() => parseEnum('level', 'privileged', ['baseline', 'restricted'] as const, 'baseline')).toThrow(
      /must be one of baseline, restricted/
    )
  })

  it('accepts only whole numbers', () => {
    expect(parsePositiveInteger('n', '42', 1)).toBe(42)
    expect(() => parsePositiveInteger('n', '4.2', 1)).toThrow(ConfigurationError)
  })
})
