import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import { loadPolicy, parsePolicy } from './load.js'
import { BUILT_IN_POLICY, defaultPolicy, thresholdsFor } from './policy.js'
import { policyFromText } from './read.js'

describe('policy file', () => {
  it('applies the defaults when the default file is absent', () => {
    const policy = loadPolicy('/nonexistent/.github/secure-pipeline.yml', { explicit: false })
    expect(policy.defaults.failOn).toEqual(['critical', 'high'])
    expect(policy.warnOnly).toBe(false)
    expect(policy.source).toBe('built-in defaults')
  })

  it('gives without a parser the defaults an empty file gives, with the digest of the empty text', () => {
    expect(defaultPolicy()).toEqual(parsePolicy('', BUILT_IN_POLICY))
    expect(defaultPolicy().digest).toBe(createHash('sha256').update('').digest('hex'))
  })

  it('reads policy text when there is some and the defaults when there is no file', async () => {
    expect(await policyFromText(undefined, '.github/secure-pipeline.yml')).toEqual(defaultPolicy())
    const read = await policyFromText('gate:\n  fail-on: [low]\n', '.github/secure-pipeline.yml')
    expect(read).toMatchObject({ source: '.github/secure-pipeline.yml', defaults: { failOn: ['low'] } })
    await expect(policyFromText('gate: [1, 2', 'p.yml')).rejects.toThrow(/not valid YAML/)
  })

  it('refuses a policy path the user named that does not exist', () => {
    expect(() => loadPolicy('/nonexistent/policy.yml', { explicit: true })).toThrow(
      /Input 'policy'.*does not exist/
    )
  })

  it('reads thresholds, per-scanner overrides and exceptions', () => {
    const policy = parsePolicy(
      [
        'version: 1',
        'gate:',
        '  fail-on: [critical, high, Moderate]',
        '  fix-available-only: true',
        '  max: { low: 10 }',
        '  scanners:',
        '    Semgrep: { fail-on: [critical] }',
        'exceptions:',
        '  - id: CVE-2024-0001',
        '    package: pkg:npm/lodash',
        '    reason: not reachable',
        '    owner: "@org/platform"',
        '    expires: 2030-01-31'
      ].join('\n'),
      'p.yml'
    )
    expect(policy.defaults.failOn).toEqual(['critical', 'high', 'medium'])
    expect(policy.defaults.max).toEqual({ low: 10 })
    expect(thresholdsFor(policy, 'semgrep').failOn).toEqual(['critical'])
    expect(thresholdsFor(policy, 'semgrep').fixAvailableOnly).toBe(true)
    expect(thresholdsFor(policy, 'trivy').failOn).toEqual(['critical', 'high', 'medium'])
    expect(policy.exceptions[0]).toMatchObject({ id: 'CVE-2024-0001', expires: '2030-01-31' })
    expect(policy.digest).toMatch(/^[0-9a-f]{64}$/)
  })

  it.each([
    ['exceptions:\n  - id: X\n    owner: me\n    expires: 2030-01-01', /exceptions\[0\]\.reason/],
    ['exceptions:\n  - id: X\n    reason: r\n    expires: 2030-01-01', /exceptions\[0\]\.owner/],
    ['exceptions:\n  - id: X\n    reason: r\n    owner: me', /exceptions\[0\]\.expires/],
    ['exceptions:\n  - id: X\n    reason: r\n    owner: me\n    expires: next week', /YYYY-MM-DD/],
    ['exceptions:\n  - reason: r\n    owner: me\n    expires: 2030-01-01', /needs `id`/],
    ['gate:\n  fail-on: [severe]', /gate\.fail-on\[0\]/],
    [
      'exceptions:\n  - id: X\n    path: src/@(a|b)/**\n    reason: r\n    owner: me\n    expires: 2030-01-01',
      /exceptions\[0\]\.path: Pattern 'src\/@\(a\|b\)\/\*\*' uses the extglob/
    ],
    ['gate:\n  failon: [high]', /failon/],
    ['gate: [1, 2', /not valid YAML/],
    ['a: &a [x]\nb: *a\nb: 1', /not valid YAML/]
  ])('names the field and the fix for %#', (text, expected) => {
    expect(() => parsePolicy(text, 'p.yml')).toThrow(ConfigurationError)
    expect(() => parsePolicy(text, 'p.yml')).toThrow(expected)
  })

  it('quotes at most 40 characters of a value it refuses, so an error never floods a summary', () => {
    const text = `exceptions:\n  - id: X\n    reason: r\n    owner: me\n    expires: "${'&'.repeat(300_000)}"`
    expect(() => parsePolicy(text, 'p.yml')).toThrow(
      `must be a date written YYYY-MM-DD, got '${'&'.repeat(40)}…'`
    )
  })

  it('refuses, before the parser sees it, a structure no policy needs (the parser would run out of memory)', () => {
    // 1 MB, within the size limit: one line of `- ` is half a million nested sequences.
    expect(() => parsePolicy(`exceptions:\n${'- '.repeat(500_000)}x\n`, 'deep.yml')).toThrow(
      'Policy file deep.yml was not parsed: it nests over 64 collections deep, which no policy needs.'
    )
    expect(() => parsePolicy(`exceptions: [${'1,'.repeat(250_000)}]\n`, 'wide.yml')).toThrow(
      'Policy file wide.yml was not parsed: it has about 250003 YAML nodes, over the limit of 200000, which no policy needs.'
    )
    const exception = (i: number) =>
      `  - id: CVE-2026-${10000 + i}\n    path: src/**\n    reason: r\n    owner: me\n    expires: 2030-01-01`
    const large = `exceptions:\n${Array.from({ length: 2000 }, (_, i) => exception(i)).join('\n')}\n`
    expect(parsePolicy(large, 'large.yml').exceptions).toHaveLength(2000)
  })

  it('refuses an alias bomb without expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`
      )
    expect(() => parsePolicy(lines.join('\n'), 'bomb.yml')).toThrow(ConfigurationError)
  })

  it('reads a file from disk and hashes its bytes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'policy-'))
    const file = path.join(dir, 'secure-pipeline.yml')
    writeFileSync(file, 'gate:\n  warn-only: true\n')
    const policy = loadPolicy(file, { explicit: true })
    expect(policy.warnOnly).toBe(true)
    expect(policy.source).toBe(file)
  })
})

describe('the k8s-policy section', () => {
  it('reads on/off per rule beside the other sections', () => {
    const text =
      'gate:\n  fail-on: [high]\nk8s-policy:\n  rules:\n    required-probes: off\n    image-digest: on\n    resource-requests: false\n'
    expect(parsePolicy(text, 'p.yml').k8sRules).toEqual({
      'required-probes': false,
      'image-digest': true,
      'resource-requests': false
    })
    expect(parsePolicy('gate: {}\n', 'p.yml').k8sRules).toEqual({})
  })

  it('is validated with the rest of the file, so the gate never accepts what k8s-policy refuses', () => {
    expect(() => parsePolicy('k8s-policy:\n  rules:\n    x: maybe\n', 'p.yml')).toThrow(
      /k8s-policy\.rules\.x/
    )
    expect(() => parsePolicy('k8s-policy: {note: x}\n', 'p.yml')).toThrow(/k8s-policy: Unrecognized key/)
    expect(() => parsePolicy('sca: {}\n', 'p.yml')).toThrow(ConfigurationError)
  })
})

describe('scanner and category names', () => {
  it.each([
    ['scanners', 'Trivy', 'trivy'],
    ['categories', 'SAST', 'sast']
  ])('refuses %s named twice in other cases (%s, %s), where one would silently win', (section, a, b) => {
    const text = `gate:\n  ${section}:\n    ${a}: { fail-on: [critical] }\n    ${b}: { fail-on: [low] }\n`
    expect(errorOf(text)).toContain(
      `gate.${section}: names ${b.toLowerCase()} twice ("${a}", "${b}"); names are compared without case, keep one`
    )
  })
})

describe('keys a policy file may use to reach an object prototype', () => {
  it('keeps `__proto__` and `constructor` as plain names of scanners and rules', () => {
    const policy = parsePolicy(
      'gate:\n  scanners:\n    __proto__: { fail-on: [low] }\n    constructor: { fail-on: [info] }\nk8s-policy:\n  rules:\n    __proto__: off\n',
      'p.yml'
    )
    expect(Object.getPrototypeOf(policy.scanners)).toBe(Object.prototype)
    expect(thresholdsFor(policy, '__proto__').failOn).toEqual(['low'])
    expect(thresholdsFor(policy, 'constructor').failOn).toEqual(['info'])
    expect(thresholdsFor(policy, 'trivy').failOn).toEqual(['critical', 'high'])
    expect(Object.entries(policy.k8sRules)).toEqual([['__proto__', false]])
    expect(({} as Record<string, unknown>).failOn).toBeUndefined()
  })
})

describe('values quoted in errors', () => {
  it('keeps the error on one line whatever line breaks the value holds', () => {
    for (const text of [
      '\u0000\n\n\u0000',
      'exceptions:\n  - id: x\n    reason: r\n    owner: o\n    expires: "a\\nb\\u2028c"'
    ])
      expect(() => parsePolicy(text, 'p.yml')).toThrow(/^[^\n\r\u2028\u2029\u0085]+$/)
  })

  it('keeps the error on one line whatever line breaks a key holds', () => {
    const error = errorOf('gate:\n  scanners:\n    "x\\n::error::pwned\\u2028y": 5\n')
    expect(error).toMatch(/^[^\n\r\u2028\u2029\u0085]+$/)
    expect(error).toContain('gate.scanners.x\\u000a::error::pwned\\u2028y: expected a mapping, got 5')
  })
})

describe('mappings the YAML reader builds as something else', () => {
  it.each([
    ['gate: !!omap [fail-on: [info]]\n', 'gate: expected a mapping, got an ordered map (!!omap)'],
    [
      'gate:\n  scanners: !!omap [trivy: {fail-on: [low]}]\n',
      'gate.scanners: expected a mapping, got an ordered map (!!omap)'
    ],
    [
      'k8s-policy:\n  rules: !!set {pss-privileged}\n',
      'k8s-policy.rules: expected a mapping, got a set (!!set)'
    ]
  ])('refuses %j instead of reading its settings as absent', (text, message) => {
    expect(errorOf(text)).toContain(message)
  })
})

describe('exception dates', () => {
  it.each(['2024-02-31', '2025-02-29', '2026-04-31', '2026-00-10'])(
    'refuses %s, a day no calendar has',
    day => {
      const text = `exceptions:\n  - id: x\n    reason: r\n    owner: o\n    expires: ${day}\n`
      expect(errorOf(text)).toContain(`exceptions[0].expires: must be a date written YYYY-MM-DD`)
    }
  )

  it('accepts 29 February in a leap year', () => {
    const text = 'exceptions:\n  - id: x\n    reason: r\n    owner: o\n    expires: 2028-02-29\n'
    expect(parsePolicy(text, 'p.yml').exceptions[0]?.expires).toBe('2028-02-29')
  })
})

describe('policy text that is not UTF-8', () => {
  // Every reader decodes as UTF-8 (the checkout, git objects, the contents API): other bytes arrive as U+FFFD.
  const decoded = (bytes: Buffer) => bytes.toString('utf8')

  it.each([
    ['UTF-16', decoded(Buffer.from('\ufeffgate:\n  fail-on: [critical]\n', 'utf16le'))],
    ['Latin-1', decoded(Buffer.from('gate:\n  fail-on: [critical]\n# caf\xe9\n', 'latin1'))]
  ])('is refused in one line saying so (%s)', (_, text) => {
    expect(errorOf(text)).toBe(
      'Policy file p.yml is not UTF-8 text (it holds bytes that are not UTF-8, or a NUL); save it as UTF-8.'
    )
  })

  it('keeps a UTF-8 BOM and text in other scripts', () => {
    const text =
      '\ufeffexceptions:\n  - id: x\n    reason: Прочитано\n    owner: o\n    expires: 2026-01-01\n'
    expect(parsePolicy(text, 'p.yml').exceptions[0]?.reason).toBe('Прочитано')
  })
})

describe('exception dates in YAML 1.1', () => {
  // `%YAML 1.1` reads an unquoted timestamp as an instant; its UTC day is not the day the file says.
  const at = (expires: string) =>
    `%YAML 1.1\n---\nexceptions:\n  - id: x\n    reason: r\n    owner: o\n    expires: ${expires}\n`

  it('reads a bare date as that day', () => {
    expect(parsePolicy(at('2026-01-01'), 'p.yml').exceptions[0]?.expires).toBe('2026-01-01')
  })

  it.each([
    '2026-01-01T23:00:00-05:00',
    '2026-01-01 22:00:00 -3',
    '2026-01-02T01:00:00+02:00',
    // Midnight UTC, but not the day written: the reader's instant alone cannot tell.
    '2026-01-01T14:00:00-10:00',
    '2026-01-01T00:00:00Z'
  ])('refuses %s rather than move the expiry to another day', instant => {
    expect(errorOf(at(instant))).toContain(
      `exceptions[0].expires: must be a date written YYYY-MM-DD, got '${instant}'`
    )
  })

  // The 1.1 reader rolls a day that does not exist over into the next month (or year) without a word.
  it.each(['2026-02-30', '2025-02-29', '2026-13-01', '2026-01-00', '2026-1-5'])(
    'refuses %s rather than roll it over to a later day',
    day => {
      expect(errorOf(at(day))).toContain(
        `exceptions[0].expires: must be a date written YYYY-MM-DD, got '${day}'`
      )
    }
  )
})

describe('YAML 1.1 booleans where text is expected', () => {
  const at = (id: string) =>
    `%YAML 1.1\n---\nexceptions:\n  - id: ${id}\n    reason: r\n    owner: o\n    expires: 2026-01-01\n`

  it.each(['Y', 'yes', 'on', 'Off'])('says that %s is read as a boolean and to quote it', word => {
    expect(errorOf(at(word))).toContain(
      `exceptions[0].id: expected text, got ${String(/^(y|yes|on)$/i.test(word))}: YAML 1.1 reads an unquoted ${word} (like Y, yes, on, N, no, off) as true or false; quote it: '${word}'`
    )
  })

  it('adds nothing when the file wrote true itself', () => {
    expect(errorOf(at('true'))).toContain('exceptions[0].id: expected text, got true.')
  })
})

function errorOf(text: string): string {
  try {
    parsePolicy(text, 'p.yml')
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return (error as Error).message
  }
  throw new Error(`accepted: ${text}`)
}
