import { describe, it } from '@jest/globals'
import fc from 'fast-check'
import { deepStrictEqual, equal, ok } from 'node:assert/strict'
import { parseAllDocuments } from 'yaml'
import { Choices } from '../../../../test/support/report-fuzz.js'
import {
  generateManifest,
  hexDigest,
  IMAGES,
  manifestStream,
  sitesSet,
  TAGS,
  type FuzzFile,
  type FuzzImage,
  type FuzzSite
} from '../../../../test/support/manifest-fuzz.js'
import { planBump } from './plan.js'
import { parseBumpTarget } from './target.js'

/*
 * The five properties of a byte-preserving bump, each over 10,000 generated files whose sites are known
 * by construction (test/support/manifest-fuzz.ts). What a value must read afterwards comes from the
 * generator and the yaml package's own reading of the original, never from the code under test.
 */

const RUNS = Number(process.env.BUMP_PROPERTY_RUNS ?? 10_000)
const NAMES = { image: 'image', tag: 'tag', digest: 'digest' }

interface Case {
  file: FuzzFile
  tag: string
  digest: string
}

const cases = manifestStream.map(stream => {
  const c = new Choices(stream)
  const file = generateManifest(c)
  return { file, tag: c.pick(TAGS), digest: hexDigest(c) }
})

/**
 * The five properties run over the same 10,000 files (one seed), so a bump one property made is looked
 * up by the next instead of made again: the suite then costs about what one property would.
 */
const SEED = Number(process.env.BUMP_PROPERTY_SEED ?? Date.now() % 2 ** 31)
const settings = { numRuns: RUNS, seed: SEED }
const made = new Map<string, string>()

function bump(text: string, image: string, tag: string, digest: string): string {
  const key = `${image}\0${tag}\0${digest}\0${text}`
  let after = made.get(key)
  if (after === undefined) {
    after = bumpOnce(text, image, tag, digest)
    made.set(key, after)
  }
  return after
}

function bumpOnce(text: string, image: string, tag: string, digest: string): string {
  const plan = planBump([{ path: 'file.yaml', bytes: Buffer.from(text) }], {
    target: parseBumpTarget({ image, tag, digest }, NAMES),
    strategy: 'auto',
    fluxPolicies: []
  })
  const edit = plan.edits[0]
  // Property 1 in every run: an edit the plan reports is never one that gives back the same bytes.
  if (edit) ok(!Buffer.from(edit.after).equals(Buffer.from(edit.before)), 'an edit that changes nothing')
  return edit ? Buffer.from(edit.after).toString('utf8') : text
}

const bumpImage = (text: string, image: FuzzImage, c: Case) => bump(text, IMAGES[image], c.tag, c.digest)

/** What each kind of addition looks like in the text: a whole line, a line at the end, or `, key: value`. */
const INSERTION: Record<Exclude<FuzzSite['role'], 'value'>, RegExp> = {
  'insert-line': / *digest: [^\r\n]+\r?\n/y,
  'insert-eof': /\r?\n *digest: [^\r\n]+/y,
  'insert-flow': /, digest: [^,}\r\n]+/y
}
const VALUE: Record<FuzzSite['style'], RegExp> = {
  plain: /(?:"[^"\r\n]*"|[^\s'"#,}]+)/y,
  single: /'[^'\r\n]*'/y,
  double: /"[^"\r\n]*"/y
}

/**
 * The edited text is the original with only the set sites replaced: every byte before, between and after
 * them is the original's, each replaced value is one scalar in its old quote style (a plain one may gain
 * double quotes), and each addition is one `digest` key.
 */
function checkOnlySitesChanged(before: string, after: string, sites: readonly FuzzSite[]): void {
  let from = 0
  let at = 0
  for (const site of [...sites].sort((a, b) => a.start - b.start)) {
    const kept = before.slice(from, site.start)
    equal(after.slice(at, at + kept.length), kept, `bytes before offset ${site.start} changed`)
    at += kept.length
    const pattern = site.role === 'value' ? VALUE[site.style] : INSERTION[site.role]
    pattern.lastIndex = at
    const match = pattern.exec(after)
    ok(
      match,
      `no ${site.role} (${site.style}) at ${at} for ${site.path.join('.')}: ${JSON.stringify(after.slice(at, at + 40))}`
    )
    at += match[0].length
    from = site.end
  }
  equal(after.slice(at), before.slice(from), 'bytes after the last site changed')
}

/** toJS of every document, under one YAML version. */
function read(text: string, version: '1.1' | '1.2'): unknown[] {
  const documents = parseAllDocuments(text, { version })
  if (!Array.isArray(documents)) return []
  for (const d of documents)
    equal(d.errors.length, 0, `generated YAML does not parse under ${version}: ${d.errors[0]?.message}`)
  return documents.map(d => d.toJS({ maxAliasCount: 100 }))
}

function setIn(root: unknown, path: readonly (string | number)[], value: string): void {
  let node = root as Record<string | number, unknown>
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>
  node[path.at(-1)!] = value
}

describe(`byte-preserving bump: properties over ${RUNS} generated files each (seed ${SEED})`, () => {
  it('1. no edit gives back the same bytes: an image the file does not name, or the version it already holds', () => {
    fc.assert(
      fc.property(cases, c => {
        equal(bump(c.file.text, 'ghcr.io/org/absent', c.tag, c.digest), c.file.text)
        const once = bumpImage(c.file.text, 'app', c)
        equal(bumpImage(once, 'app', c), once)
      }),
      settings
    )
  })

  it('2. bytes before, between and after the edited spans are unchanged', () => {
    fc.assert(
      fc.property(cases, c => {
        const after = bumpImage(c.file.text, 'app', c)
        checkOnlySitesChanged(c.file.text, after, sitesSet(c.file, 'app'))
        ok(
          Buffer.from(after).subarray(0, 3).equals(Buffer.from(c.file.text).subarray(0, 3)) ||
            !c.file.text.startsWith('\ufeff')
        )
      }),
      settings
    )
  })

  it('3. the file reads back as before except at the targets, under YAML 1.2 and 1.1', () => {
    fc.assert(
      fc.property(cases, c => {
        const after = bumpImage(c.file.text, 'app', c)
        for (const version of ['1.2', '1.1'] as const) {
          const want = read(c.file.text, version)
          for (const site of sitesSet(c.file, 'app'))
            setIn(want[site.document], site.path, site.expected(c.tag, c.digest))
          deepStrictEqual(read(after, version), want)
        }
      }),
      settings
    )
  })

  it('4. editing twice gives the same result as editing once', () => {
    fc.assert(
      fc.property(cases, c => {
        const once = bumpImage(c.file.text, 'app', c)
        equal(bumpImage(once, 'app', c), once)
        const other = bumpImage(c.file.text, 'other', c)
        equal(bumpImage(other, 'other', c), other)
      }),
      settings
    )
  })

  it('5. several edits give the same result in any order', () => {
    fc.assert(
      fc.property(cases, c => {
        const appFirst = bumpImage(bumpImage(c.file.text, 'app', c), 'other', c)
        const otherFirst = bumpImage(bumpImage(c.file.text, 'other', c), 'app', c)
        equal(appFirst, otherFirst)
      }),
      settings
    )
  })
})
