import { escapeHtml } from './html-escape.js'

/*
 * Charts as inline SVG: no script, no font or image fetched, so a page under a `default-src 'none'` CSP
 * draws them. Every number is also written as text, so a chart reads without colour.
 */

export interface Bar {
  label: string
  value: number
  fill: string
  /** Shown after the bar; the value when absent. */
  text?: string
}

interface ChartFrame {
  /** id of the <title>, unique in the page. */
  id: string
  title: string
  /** A tint behind the plot area: it marks where the chart is (a screenshot test finds it by colour). */
  plotFill?: string
}

function open(frame: ChartFrame, width: number, height: number): string {
  return `<svg class="chart" role="img" aria-labelledby="${frame.id}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<title id="${frame.id}">${escapeHtml(frame.title)}</title>`
}

/** One horizontal bar per row, scaled to the largest value; a zero draws no bar. */
export function horizontalBarsSvg(bars: readonly Bar[], frame: ChartFrame): string {
  const [labelWidth, barWidth, rowHeight] = [90, 560, 30]
  const max = Math.max(1, ...bars.map(b => b.value))
  const height = bars.length * rowHeight + 8
  // Room after the longest bar for its text ("27.16 d (7)").
  const width = labelWidth + barWidth + 130
  const plot = frame.plotFill
    ? `<rect x="${labelWidth}" y="0" width="${barWidth}" height="${height}" fill="${frame.plotFill}"/>\n`
    : ''
  const rows = bars
    .map((b, i) => {
      const y = i * rowHeight + 4
      const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * barWidth))
      return `<text x="0" y="${y + 17}">${escapeHtml(b.label)}</text><rect x="${labelWidth}" y="${y}" width="${w}" height="22" fill="${b.fill}" stroke="#1f2328" stroke-width="${b.value === 0 ? 0 : 1}"/><text x="${labelWidth + w + 6}" y="${y + 17}">${escapeHtml(b.text ?? String(b.value))}</text>`
    })
    .join('\n')
  return `${open(frame, width, height)}\n${plot}${rows}\n</svg>`
}

export interface ColumnLayer {
  name: string
  fill: string
  /** One value per label; null: nothing observed there (drawn as a gap, not as zero). */
  values: readonly (number | null)[]
}

/**
 * Stacked columns over a series of labels (days, weeks), with a y axis from 0 to the largest stack or to
 * `maxValue`. Labels are written under every n-th column so they never overlap.
 */
export function stackedColumnsSvg(
  labels: readonly string[],
  layers: readonly ColumnLayer[],
  frame: ChartFrame & { maxValue?: number; unit?: string }
): string {
  const [left, top, plotWidth, plotHeight, bottom] = [56, 10, 760, 220, 44]
  const width = left + plotWidth + 10
  const height = top + plotHeight + bottom
  const totals = labels.map((_, i) => layers.reduce((n, l) => n + (l.values[i] ?? 0), 0))
  const max = frame.maxValue ?? Math.max(1, ...totals)
  const slot = plotWidth / Math.max(1, labels.length)
  const columnWidth = Math.max(1, Math.min(40, slot * 0.8))
  const y = (v: number) => top + plotHeight - (v / max) * plotHeight
  const parts: string[] = [
    `<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="${frame.plotFill ?? '#ffffff'}"/>`
  ]
  for (const tick of [0, 0.5, 1]) {
    const value = Math.round(max * tick * 100) / 100
    parts.push(
      `<line x1="${left}" x2="${left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#8c959f" stroke-width="1"/><text x="${left - 6}" y="${y(value) + 4}" text-anchor="end">${value}${escapeHtml(frame.unit ?? '')}</text>`
    )
  }
  labels.forEach((_, i) => {
    let base = 0
    const x = left + i * slot + (slot - columnWidth) / 2
    for (const layer of layers) {
      const v = layer.values[i]
      if (v === null || v === undefined || v === 0) continue
      const h = (v / max) * plotHeight
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${(y(base) - h).toFixed(1)}" width="${columnWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${layer.fill}"><title>${escapeHtml(`${labels[i]}: ${v} ${layer.name}`)}</title></rect>`
      )
      base += v
    }
  })
  const every = Math.ceil(labels.length / 8)
  labels.forEach((label, i) => {
    if (i % every !== 0 && i !== labels.length - 1) return
    const x = left + i * slot + slot / 2
    parts.push(
      `<text x="${x.toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle" font-size="11">${escapeHtml(label.replace(/^week to /, ''))}</text>`
    )
  })
  const legend = layers
    .map(
      (l, i) =>
        `<rect x="${left + i * 110}" y="${height - 16}" width="12" height="12" fill="${l.fill}"/><text x="${left + i * 110 + 16}" y="${height - 6}" font-size="12">${escapeHtml(l.name)}</text>`
    )
    .join('')
  return `${open(frame, width, height)}\n${parts.join('\n')}\n${legend}\n</svg>`
}

export interface Lane {
  label: string
  segments: ReadonlyArray<{ start: number; end: number; fill: string; title: string }>
}

/** One lane per row across [from, to]: a segment per interval (drift, outage), clipped to the window. */
export function timelineSvg(
  lanes: readonly Lane[],
  frame: ChartFrame & { from: number; to: number; ticks: string[] }
): string {
  const [left, plotWidth, laneHeight, top] = [220, 600, 24, 6]
  const width = left + plotWidth + 10
  const height = top + Math.max(1, lanes.length) * laneHeight + 24
  const span = Math.max(1, frame.to - frame.from)
  const x = (t: number) =>
    left + ((Math.min(Math.max(t, frame.from), frame.to) - frame.from) / span) * plotWidth
  const parts = [
    `<rect x="${left}" y="${top}" width="${plotWidth}" height="${Math.max(1, lanes.length) * laneHeight}" fill="${frame.plotFill ?? '#ffffff'}"/>`
  ]
  lanes.forEach((lane, i) => {
    const y = top + i * laneHeight
    parts.push(
      `<text x="${left - 6}" y="${y + 16}" text-anchor="end" font-size="12">${escapeHtml(lane.label.length > 30 ? `…${lane.label.slice(-29)}` : lane.label)}</text>`
    )
    parts.push(
      `<line x1="${left}" x2="${left + plotWidth}" y1="${y + laneHeight - 1}" y2="${y + laneHeight - 1}" stroke="#d0d7de"/>`
    )
    for (const s of lane.segments) {
      const x1 = x(s.start)
      const w = Math.max(2, x(s.end) - x1)
      parts.push(
        `<rect x="${x1.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${laneHeight - 8}" fill="${s.fill}"><title>${escapeHtml(s.title)}</title></rect>`
      )
    }
  })
  const last = frame.ticks.length - 1
  frame.ticks.forEach((tick, i) => {
    const tx = left + (i / Math.max(1, last)) * plotWidth
    // The last label ends at the plot's edge, not half past it where the SVG cuts it off.
    const anchor = i === last && last > 0 ? 'end' : 'middle'
    parts.push(
      `<text x="${tx.toFixed(1)}" y="${height - 6}" text-anchor="${anchor}" font-size="11">${escapeHtml(tick)}</text>`
    )
  })
  return `${open(frame, width, height)}\n${parts.join('\n')}\n</svg>`
}
