import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import type { GateVerdict } from '../../packages/core/src/gate/verdict.js'
import { BANNER_SWATCHES, SEVERITY_SWATCHES, renderGateHtml } from '../../packages/core/src/gate/html/page.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { dumpDom, findChromium, screenshot } from './chromium.js'
import { PNG_SIGNATURE, countColour, decodePng, distinctColours, readIhdr } from './png.js'
import { HOSTILE_MESSAGE, sampleVerdict } from './sample-verdict.js'

const SIZE = { width: 1280, height: 2000 }
const SCREENSHOTS = path.join(REPO_ROOT, 'out', 'screenshots')
const chromium = findChromium()

function renderTo(dir: string, name: string, verdict: GateVerdict): string {
  const file = path.join(dir, `${name}.html`)
  writeFileSync(
    file,
    renderGateHtml(verdict, {
      generatedAt: '2026-11-25T19:30:00Z',
      repository: 'example/api',
      commit: '3f2a9c1d5e7b8a0f4c6d2e1b9a8c7d6e5f4a3b2c',
      runUrl: 'https://github.com/example/api/actions/runs/123456789'
    })
  )
  return file
}

async function shoot(dir: string, name: string, verdict: GateVerdict) {
  const png = path.join(SCREENSHOTS, `${name}.png`)
  rmSync(png, { force: true })
  await screenshot(chromium!, renderTo(dir, name, verdict), png, SIZE)
  return readFileSync(png)
}

if (!chromium)
  console.warn(
    'SKIPPED gate HTML screenshots: no chromium on PATH (run scripts/chromium.sh; CI fails without it).'
  )
// Without a browser the real tests are reported as skipped under their own names; in CI that is a failure.
const inChromium = chromium ? it : it.skip

describe('gate HTML report in Chromium', () => {
  if (!chromium && process.env.CI)
    it('needs chromium in CI', () => {
      throw new Error('chromium is not installed; run scripts/chromium.sh before the screenshot tests')
    })
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sp-gate-html-'))
    mkdirSync(SCREENSHOTS, { recursive: true })
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  inChromium(
    'renders a failing verdict at 1280×2000: red banner on top, severity colours and real content',
    async () => {
      const verdict = sampleVerdict()
      expect(verdict.outcome).toBe('fail-findings')
      const png = await shoot(dir, 'gate-report-fail-findings', verdict)
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
      expect(readIhdr(png)).toMatchObject(SIZE)
      const image = decodePng(png)
      const bannerPixels = countColour(image, BANNER_SWATCHES['fail-findings'].background, 0, 320)
      // A 1200×~90 px banner: tens of thousands of pixels, not a stray glyph.
      expect(bannerPixels).toBeGreaterThan(50_000)
      expect(countColour(image, BANNER_SWATCHES.pass.background, 0, 320)).toBe(0)
      for (const severity of ['critical', 'high', 'medium'] as const)
        expect(countColour(image, SEVERITY_SWATCHES[severity].background)).toBeGreaterThan(500)
      expect(distinctColours(image)).toBeGreaterThan(200)
      const white = countColour(image, '#ffffff')
      expect(white / (SIZE.width * SIZE.height)).toBeLessThan(0.95)
    },
    120_000
  )

  inChromium(
    'renders a broken input in its own colour, distinct from a findings failure',
    async () => {
      const verdict = sampleVerdict([
        { source: 'reports/trivy.json', message: 'truncated JSON at byte 65536' }
      ])
      expect(verdict.outcome).toBe('fail-broken-input')
      const image = decodePng(await shoot(dir, 'gate-report-broken-input', verdict))
      expect(image.width).toBe(SIZE.width)
      expect(countColour(image, BANNER_SWATCHES['fail-broken-input'].background, 0, 320)).toBeGreaterThan(
        10_000
      )
      expect(countColour(image, BANNER_SWATCHES['fail-findings'].background, 0, 320)).toBe(0)
    },
    120_000
  )

  inChromium(
    'keeps a hostile finding message as text in the live DOM',
    async () => {
      const verdict = sampleVerdict()
      const dom = await dumpDom(chromium!, renderTo(dir, 'gate-report-dom', verdict))
      expect(dom).toContain('<html lang="en"')
      expect(dom).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt; "&gt;&lt;img src=x onerror=alert(2)&gt; tainted input'
      )
      expect(dom).not.toMatch(/<script|<img/i)
      expect(HOSTILE_MESSAGE).toContain('<img')
      // Every findings and fixed row made it into the DOM, so the checks above saw real content.
      const rows = verdict.findings.length + verdict.fixed.length
      expect(dom.match(/<tr><td><span class="badge sev-/g)?.length).toBe(rows)
    },
    120_000
  )
})
