import fc from 'fast-check'
import { Choices } from './report-fuzz.js'
export { Choices }

/*
 * Generated manifest files whose sites are known by construction: for every value a bump of `app` or
 * `other` must set, the generator records where its characters are (or where a key is to be added), which
 * document and path it has in toJS(), its quote style, and what it must read afterwards. Around the sites
 * goes what a byte-preserving edit must keep: comments (some shaped like setter markers inside block
 * scalars), blank lines, trailing whitespace, anchors and aliases, quoted keys, values YAML 1.1 and 1.2
 * read differently, flow collections, CRLF, a BOM, several documents and a missing final newline.
 */

export type FuzzImage = 'app' | 'other'
export type SiteKind = 'raw' | 'kustomize' | 'helm' | 'flux'
export type Style = 'plain' | 'single' | 'double'

export const IMAGES: Record<FuzzImage, string> = {
  app: 'ghcr.io/org/app',
  other: 'registry.example.com:5000/team/other'
}

/** A value the generator placed: the characters to replace, or the point where a key is to be added. */
export interface FuzzSite {
  image: FuzzImage
  kind: SiteKind
  start: number
  end: number
  /** `value`: a scalar to set; `insert-line`/`insert-eof`/`insert-flow`: where `digest` goes when absent. */
  role: 'value' | 'insert-line' | 'insert-eof' | 'insert-flow'
  style: Style
  document: number
  path: (string | number)[]
  /** What the value must read after a bump to `tag`/`digest`. */
  expected: (tag: string, digest: string) => string
  /** An alias: found, reported, never rewritten. */
  alias?: boolean
}

export interface FuzzFile {
  text: string
  sites: FuzzSite[]
}

/** Tags that must be quoted when written plain (1.10, on, a date, an octal) and ones that need not. */
export const TAGS = ['1.10', 'on', '2024-01-01', '017', 'yes', 'v2.3.4', '1.2.3-rc.1', 'null', 'latest', '7']
const OLD_TAGS = ['1.0', 'v1', '1.2.3', 'stable', '0.9']
const WORDS = ['plain', 'two words', 'x-y', 'ghcr.io/org/app:0.1', 'a:b']

export const hexDigest = (c: Choices) =>
  `sha256:${Array.from({ length: 64 }, () => '0123456789abcdef'[c.int(16)]).join('')}`

class Writer {
  text: string
  readonly sites: FuzzSite[] = []
  document = 0
  private anchors: string[] = []
  private anchorCount = 0

  constructor(
    private readonly c: Choices,
    readonly eol: string
  ) {
    this.text = c.int(6) === 0 ? '\ufeff' : ''
  }

  put(text: string): void {
    this.text += text
  }

  /**
   * Ends a line: sometimes a comment (one shaped like a setter marker naming no policy), trailing spaces
   * or a tab, then sometimes a blank or comment line. Returns where the line itself ended.
   */
  end(comment = true): number {
    if (comment && this.c.int(5) === 0)
      this.put(` # ${this.c.pick(['note', 'image: ghcr.io/org/app:9', '{"$imagepolicy": "x"}', 'é ✓'])}`)
    if (this.c.int(6) === 0) this.put(this.c.pick([' ', '  ', '\t']))
    this.put(this.eol)
    const lineEnd = this.text.length
    if (this.c.int(8) === 0) this.put(this.c.bool() ? this.eol : `# comment line${this.eol}`)
    return lineEnd
  }

  styled(value: string, style: Style): string {
    return style === 'single' ? `'${value}'` : style === 'double' ? `"${value}"` : value
  }

  style(): Style {
    return this.c.pick(['plain', 'single', 'double'] as const)
  }

  site(
    value: string,
    site: Omit<FuzzSite, 'start' | 'end' | 'document' | 'role' | 'style'>,
    style = this.style()
  ): void {
    if (this.c.int(8) === 0) this.put(`&s${++this.anchorCount} `)
    const start = this.text.length
    this.put(this.styled(value, style))
    this.sites.push({ ...site, start, end: this.text.length, role: 'value', style, document: this.document })
  }

  insertion(
    role: FuzzSite['role'],
    site: Omit<FuzzSite, 'start' | 'end' | 'document' | 'role' | 'style'>,
    at = this.text.length
  ): void {
    this.sites.push({ ...site, start: at, end: at, role, style: 'plain', document: this.document })
  }

  /** Noise entries of a mapping at `indent`: keys no site uses, values of every awkward kind. */
  noise(indent: string): void {
    const c = this.c
    const special = c.pick(['on', '1.10', '"quoted key"', "'single key'", 'yes', undefined])
    c.list(2, i => {
      this.put(`${indent}${i === 0 && special ? special : `n${i}`}:`)
      const kind = c.int(9)
      if (kind === 0) this.put(` ${c.pick(['yes', '1.10', '2024-01-01', '017', '~', '0x1F', '.inf'])}`)
      else if (kind === 1) this.put(` '${c.pick(WORDS)} # not a comment'`)
      else if (kind === 2) this.put(` "${c.pick(WORDS)}\\t#"`)
      else if (kind === 3) {
        const anchor = `a${++this.anchorCount}`
        this.anchors.push(anchor)
        this.put(` &${anchor} ${c.pick(WORDS.filter(w => !w.includes(' ')))}`)
      } else if (kind === 4 && this.anchors.length > 0) this.put(` *${c.pick(this.anchors)}`)
      else if (kind === 5) {
        this.put(
          ` |${this.eol}${indent}  image: ghcr.io/org/app:1 # {"$imagepolicy": "flux-system:app"}${this.eol}${indent}  text`
        )
      } else if (kind === 6) this.put(` [${c.pick(WORDS.filter(w => !w.includes(':')))}, 'b', "c"]`)
      else if (kind === 7) this.put('')
      else this.put(` ${c.pick(WORDS)}`)
      this.end(kind !== 5)
    })
  }

  newDocument(): void {
    this.anchors = []
  }

  anchorsInScope(): string[] {
    return this.anchors
  }
}

function rawDocument(w: Writer, c: Choices, images: FuzzImage[]): void {
  w.put(`apiVersion: apps/v1${w.eol}kind: Deployment${w.eol}`)
  const pinned = `&img ${IMAGES.app}:0.9`
  const alias = c.int(6) === 0
  if (alias) w.put(`n9: ${pinned}${w.eol}`)
  w.noise('')
  const seqIndent = c.pick(['      ', '        '])
  const list = c.pick(['containers', 'initContainers', 'ephemeralContainers'])
  w.put(`spec:${w.eol}  template:${w.eol}    spec:${w.eol}      ${list}:${w.eol}`)
  const key = ['spec', 'template', 'spec']
  images.forEach((image, i) => {
    w.put(`${seqIndent}- name: c${i}${w.eol}${seqIndent}  image: `)
    const written = image === 'app' && c.bool() ? 'GHCR.io/org/app' : IMAGES[image]
    const old = c.pick([`${written}:${c.pick(OLD_TAGS)}`, written, `${written}:1.0@sha256:${'0'.repeat(64)}`])
    const path = [...key, list, i, 'image']
    if (alias && image === 'app' && i === 0) {
      w.put('*img')
      w.sites.push({
        image,
        kind: 'raw',
        start: 0,
        end: 0,
        role: 'value',
        style: 'plain',
        document: w.document,
        path,
        expected: () => `${IMAGES.app}:0.9`,
        alias: true
      })
    } else w.site(old, { image, kind: 'raw', path, expected: (t, d) => `${written}:${t}@${d}` })
    w.end()
  })
}

function kustomizeDocument(w: Writer, c: Choices, images: FuzzImage[]): void {
  w.put(`apiVersion: kustomize.config.k8s.io/v1beta1${w.eol}kind: Kustomization${w.eol}`)
  w.noise('')
  w.put(`images:${w.eol}`)
  images.forEach((image, i) => {
    const path = ['images', i]
    const withDigest = c.bool()
    const tagSite = {
      image,
      kind: 'kustomize' as const,
      path: [...path, 'newTag'],
      expected: (t: string) => t
    }
    const digestSite = {
      image,
      kind: 'kustomize' as const,
      path: [...path, 'digest'],
      expected: (_: string, d: string) => d
    }
    if (c.int(4) === 0) {
      w.put(`- {name: ${IMAGES[image]}, newTag: `)
      w.site(c.pick(OLD_TAGS), tagSite, c.pick(['plain', 'double'] as const))
      if (withDigest) {
        w.put(', digest: ')
        w.site(`sha256:${'1'.repeat(64)}`, digestSite, 'plain')
      } else w.insertion('insert-flow', digestSite)
      w.put('}')
      w.end()
      return
    }
    w.put(`- name: ${IMAGES[image]}`)
    w.end()
    w.put('  newTag: ')
    w.site(c.pick(OLD_TAGS), tagSite)
    // Without a digest the key is added after the entry's last line (before a blank or comment line).
    const lineEnd = w.end()
    if (withDigest) {
      w.put('  digest: ')
      w.site(`sha256:${'1'.repeat(64)}`, digestSite)
      w.end()
    } else w.insertion('insert-line', digestSite, lineEnd)
  })
}

function helmDocument(w: Writer, c: Choices, images: FuzzImage[]): void {
  w.noise('')
  images.forEach((image, i) => {
    w.put(`image${i}:${w.eol}  repository: ${IMAGES[image]}`)
    w.end()
    w.put('  tag: ')
    w.site(c.pick(OLD_TAGS), { image, kind: 'helm', path: [`image${i}`, 'tag'], expected: t => t })
    w.end()
    if (c.bool()) {
      w.put('  digest: ')
      w.site(
        c.pick(['', `sha256:${'2'.repeat(64)}`]),
        { image, kind: 'helm', path: [`image${i}`, 'digest'], expected: (_, d) => d },
        c.pick(['single', 'double'] as const)
      )
      w.end()
    }
  })
}

function fluxDocument(w: Writer, c: Choices, images: FuzzImage[]): void {
  w.put(`kind: Setters${w.eol}`)
  w.noise('')
  images.forEach((image, i) => {
    const policy = `flux-system:${image}`
    w.put(`s${i}:${w.eol}  ref: `)
    w.site(`${IMAGES[image]}:${c.pick(OLD_TAGS)}`, {
      image,
      kind: 'flux',
      path: [`s${i}`, 'ref'],
      expected: (t, d) => `${IMAGES[image]}:${t}@${d}`
    })
    w.put(` # {"$imagepolicy": "${policy}"}${w.eol}  tag: `)
    w.site(c.pick(OLD_TAGS), { image, kind: 'flux', path: [`s${i}`, 'tag'], expected: t => t })
    w.put(` # {"$imagepolicy": "${policy}:tag"}${w.eol}`)
    if (c.bool()) {
      w.put('  digest: ')
      w.site(`sha256:${'3'.repeat(64)}`, {
        image,
        kind: 'flux',
        path: [`s${i}`, 'digest'],
        expected: (_, d) => d
      })
      w.put(`  #{"$imagepolicy":"${policy}:digest"}${w.eol}`)
    }
  })
}

const DOCUMENTS = { raw: rawDocument, kustomize: kustomizeDocument, helm: helmDocument, flux: fluxDocument }

export function generateManifest(c: Choices): FuzzFile {
  const w = new Writer(c, c.int(3) === 0 ? '\r\n' : '\n')
  const count = 1 + c.int(2)
  if (c.bool()) w.put(`---${w.eol}`)
  for (let d = 0; d < count; d++) {
    if (d > 0) w.put(`---${w.eol}`)
    w.document = d
    w.newDocument()
    const kind = c.pick(['raw', 'kustomize', 'helm', 'flux', 'raw'] as const)
    const images = [
      c.pick(['app', 'other', 'app'] as const),
      ...c.list(1, () => c.pick(['app', 'other'] as const))
    ]
    DOCUMENTS[kind](w, c, images)
  }
  // Some files end without a newline: an addition at the very end then starts with one.
  if (c.int(4) === 0 && w.text.endsWith(w.eol)) {
    w.text = w.text.slice(0, -w.eol.length)
    for (const site of w.sites)
      if (site.role === 'insert-line' && site.start > w.text.length)
        Object.assign(site, { role: 'insert-eof', start: w.text.length, end: w.text.length })
  }
  return { text: w.text, sites: w.sites }
}

export const manifestStream = fc.uint32Array({ maxLength: 400, size: 'max' })

/**
 * The sites a bump of `image` sets under strategy auto, by the rule the README states: Flux setter markers
 * when the file has any for the image, else kustomize entries when it has any, else Helm values and raw
 * manifests; aliases are never set.
 */
export function sitesSet(file: FuzzFile, image: FuzzImage): FuzzSite[] {
  const mine = file.sites.filter(s => s.image === image)
  const has = (kind: SiteKind) => mine.some(s => s.kind === kind)
  const tier: SiteKind[] = has('flux') ? ['flux'] : has('kustomize') ? ['kustomize'] : ['helm', 'raw']
  return mine.filter(s => tier.includes(s.kind) && !s.alias)
}
