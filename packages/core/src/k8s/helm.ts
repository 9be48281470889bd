import { lstatSync } from 'node:fs'
import * as path from 'node:path'

/** The parts of a chart Helm renders through its template engine: the templates and the subcharts. */
const RENDERED_DIRS = ['templates', 'charts']

/**
 * Returns a lookup from a repository-relative file to the Helm chart that renders it, if any: the
 * nearest ancestor holding a Chart.yaml whose `templates/` or `charts/` contains the file. Anything
 * else in a chart directory (a raw manifest, `crds/`, values files) is not rendered by Helm, so a
 * Chart.yaml placed beside a manifest hides nothing.
 */
export function helmTemplateChart(root: string): (file: string) => string | undefined {
  const isChart = new Map<string, boolean>()
  const chartAt = (dir: string) => {
    let known = isChart.get(dir)
    if (known === undefined) {
      try {
        known = lstatSync(path.join(root, dir, 'Chart.yaml')).isFile()
      } catch {
        known = false
      }
      isChart.set(dir, known)
    }
    return known
  }
  return file => {
    const parts = file.split('/')
    for (let i = parts.length - 2; i >= 0; i--) {
      if (!RENDERED_DIRS.includes(parts[i] as string)) continue
      const chart = parts.slice(0, i).join('/') || '.'
      if (chartAt(chart)) return chart
    }
    return undefined
  }
}
