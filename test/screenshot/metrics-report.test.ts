import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { SEVERITY_SWATCHES } from '../../packages/core/src/report/html-style.js'
import { REPORT_HTML_CSP } from '../../packages/core/src/report/html-page.js'
import { JobSummary } from '../../packages/core/src/runtime/job-summary.js'
import { memoryLogger } from '../../packages/core/src/runtime/logger.js'
import { createMetricsGitHub } from '../../packages/core/src/metrics/github-port.js'
import { CHART_TINTS } from '../../packages/core/src/metrics/html.js'
import { runMetrics, type MetricsResult } from '../../packages/core/src/metrics/run-metrics.js'
import { startGitHubApiDouble, type GitHubApiDouble } from '../support/github-api-double.js'
import { metricsData } from '../support/github-api-metrics.js'
import {
  copyGitOpsExamples,
  DAY,
  evidenceHistory,
  seedAlerts,
  seedChanges,
  seedWorkflowRuns,
  type ChangeKind
} from '../support/metrics-history.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { dumpDom, findChromium, screenshot } from './chromium.js'
import { decodePng, type DecodedPng } from './png.js'

const SIZE = { width: 1280, height: 4200 }
const SCREENSHOTS = path.join(REPO_ROOT, 'out', 'screenshots')
const END = Date.parse('2026-10-01T00:00:00Z')
const TOKEN = 'ghs_metricsScreenshotToken'
const KINDS: ChangeKind[] = ['approved', 'no-approval', 'self-approval', 'direct-push', 'failing-checks']
const chromium = findChromium()

interface Box {
  left: number
  top: number
  right: number
  bottom: number
  pixels: number
}

/** Each pixel as 0xRRGGBB, for comparisons by number over millions of pixels. */
function rgbOf(image: DecodedPng): Uint32Array {
  const rgb = new Uint32Array(image.width * image.height)
  for (let i = 0; i < rgb.length; i++) rgb[i] = image.rgba.readUIntBE(i * 4, 3)
  return rgb
}

const colour = (hex: string) => Number.parseInt(hex.slice(1), 16)

/** The bounding box of every pixel of one colour: where a chart's tinted plot area was painted. */
function boxOf(image: DecodedPng, rgb: Uint32Array, hex: string): Box {
  const wanted = colour(hex)
  const box = { left: image.width, top: image.height, right: -1, bottom: -1, pixels: 0 }
  for (let i = 0; i < rgb.length; i++) {
    if (rgb[i] !== wanted) continue
    const [x, y] = [i % image.width, Math.floor(i / image.width)]
    box.pixels++
    box.left = Math.min(box.left, x)
    box.right = Math.max(box.right, x)
    box.top = Math.min(box.top, y)
    box.bottom = Math.max(box.bottom, y)
  }
  return box
}

/** Pixels of any of `colours` inside the box: the bars, columns or segments drawn on the plot. */
function inkInside(image: DecodedPng, rgb: Uint32Array, box: Box, colours: string[]): number {
  const wanted = new Set(colours.map(colour))
  let n = 0
  for (let y = box.top; y <= box.bottom; y++)
    for (let x = box.left; x <= box.right; x++) if (wanted.has(rgb[y * image.width + x]!)) n++
  return n
}

if (!chromium)
  console.warn(
    'SKIPPED metrics HTML screenshots: no chromium on PATH (run scripts/chromium.sh; CI fails without it).'
  )
const inChromium = chromium ? it : it.skip

describe('metrics HTML report in Chromium', () => {
  if (!chromium && process.env.CI)
    it('needs chromium in CI', () => {
      throw new Error('chromium is not installed; run scripts/chromium.sh before the screenshot tests')
    })
  let double: GitHubApiDouble
  let workspace: string
  let result: MetricsResult
  let image: DecodedPng

  beforeAll(async () => {
    double = await startGitHubApiDouble({ token: TOKEN })
    workspace = mkdtempSync(path.join(tmpdir(), 'sp-metrics-html-'))
    mkdirSync(SCREENSHOTS, { recursive: true })
    const repo = double.repo('acme', 'app')
    metricsData(repo).protection = { requiredApprovals: 1, contexts: ['secure-pipeline'], strict: true }
    const from = END - 90 * DAY
    seedChanges(repo, {
      seed: 3,
      start: from + DAY,
      end: END - DAY,
      kinds: Array.from({ length: 30 }, (_, i) => KINDS[i % KINDS.length]!)
    })
    seedWorkflowRuns(repo, { seed: 4, count: 300, start: from, end: END })
    seedAlerts(repo, { seed: 5, count: 60, start: from - 30 * DAY, end: END })
    // Local evidence files (as downloaded artifacts would be), and the Argo CD and Flux exports of examples/.
    const history = evidenceHistory({
      seed: 8,
      start: from - 20 * DAY,
      end: END - DAY,
      runs: 60,
      findings: 120
    })
    mkdirSync(path.join(workspace, 'evidence'))
    for (const r of history.runs)
      writeFileSync(
        path.join(workspace, 'evidence', `${r.index}.json`),
        JSON.stringify(history.document(r.index))
      )
    copyGitOpsExamples(workspace, path.join(REPO_ROOT, 'examples/metrics'))
    const logger = memoryLogger()
    result = await runMetrics(
      {
        workspace,
        period: '90d',
        end: new Date(END).toISOString(),
        evidence: ['evidence/*.json'],
        evidenceArtifact: undefined,
        evidenceLookbackDays: 90,
        maxArtifacts: 100,
        codeScanning: 'auto',
        workflowRuns: true,
        branchProtection: true,
        changeRecords: true,
        deployments: ['status/**/*.json'],
        bumpBranchPrefix: 'secure-pipeline/bump/',
        pipelineChecks: ['secure-pipeline*'],
        sampleSize: 5,
        outputDir: path.join(workspace, 'metrics'),
        inputNames: {
          period: 'period',
          end: 'end',
          evidence: 'evidence',
          deployments: 'deployments',
          outputDir: 'output-dir'
        }
      },
      {
        logger,
        summary: new JobSummary(),
        now: () => new Date(END),
        github: createMetricsGitHub({
          token: TOKEN,
          tokenInput: 'token',
          repository: { owner: 'acme', repo: 'app' },
          env: { GITHUB_API_URL: double.url },
          logger,
          octokit: { timeUnitMs: 1, registerSecret: () => {} }
        }),
        context: { repository: 'acme/app', runUrl: 'https://github.com/acme/app/actions/runs/1' }
      }
    )
    if (chromium) {
      const png = path.join(SCREENSHOTS, 'metrics-report.png')
      rmSync(png, { force: true })
      await screenshot(chromium, result.files.html, png, SIZE)
      image = decodePng(readFileSync(png))
    }
  }, 240_000)

  afterAll(async () => {
    await double?.close()
    rmSync(workspace, { recursive: true, force: true })
  })

  it('had every source to draw: evidence, code scanning, runs, protection, drift and change records', () => {
    const doc = result.document
    double.assertNoSpecViolations()
    expect(doc.sources.evidence.branchRuns).toBe(60)
    expect(doc.vulnerabilities.series.some(p => p.bySeverity !== null)).toBe(true)
    expect(doc.builds!.branch.runs).toBeGreaterThan(100)
    expect(doc.drift!.events).toBeGreaterThan(0)
    expect(doc.changes!.flagged).toBeGreaterThan(0)
  })

  inChromium('draws each chart: its tinted plot area holds bars, columns or segments, not a blank', () => {
    expect(image.width).toBe(SIZE.width)
    const severities = Object.values(SEVERITY_SWATCHES).map(s => s.background)
    const charts: Array<[keyof typeof CHART_TINTS, string[], number]> = [
      ['vulnerabilities', severities, 2_000],
      ['mttr', severities, 2_000],
      ['builds', ['#1a7f37'], 2_000],
      ['drift', ['#b3261e', '#8a5a00'], 100]
    ]
    const rgb = rgbOf(image)
    const boxes: Box[] = []
    for (const [chart, ink, least] of charts) {
      const box = boxOf(image, rgb, CHART_TINTS[chart])
      // The plot area is painted, on the page (not cut off below the screenshot)...
      expect([chart, box.pixels > 10_000, box.bottom < SIZE.height - 1]).toEqual([chart, true, true])
      // ...and something is drawn on it.
      expect([chart, inkInside(image, rgb, box, ink) >= least]).toEqual([chart, true])
      boxes.push(box)
    }
    // In the page's order, one below the other.
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.top).toBeGreaterThan(boxes[i - 1]!.bottom)
    // Flagged change records are tinted rows.
    expect(rgb.filter(c => c === colour('#fff1f0')).length).toBeGreaterThan(5_000)
  })

  inChromium(
    'is self-contained: the CSP forbids every fetch, flagged change records come first',
    async () => {
      const html = readFileSync(result.files.html, 'utf8')
      expect(html).toContain(REPORT_HTML_CSP)
      expect(REPORT_HTML_CSP).toMatch(/default-src 'none'/)
      expect(html).not.toMatch(/<(script|img|link|iframe)\b|url\(|@import|src=/i)
      const dom = await dumpDom(chromium!, result.files.html)
      const rows = [...dom.matchAll(/<tr( class="flagged")?><td><span class="badge st-/g)].map(m => !!m[1])
      expect(rows).toHaveLength(result.records.length)
      const firstPlain = rows.indexOf(false)
      expect(firstPlain).toBe(result.document.changes!.flagged)
      expect(rows.slice(firstPlain).every(flagged => !flagged)).toBe(true)
    }
  )
})
