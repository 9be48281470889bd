import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parseYamlValue } from '../runtime/yaml-read.js'

/** The parts of a chart Helm renders through its template engine: the templates and the subcharts. */
const RENDERED_DIRS = ['templates', 'charts']

/** Larger than any chart's metadata: past it the file is not read, and the directory is no chart. */
const MAX_CHART_FILE_BYTES = 1024 * 1024

/** A version Helm takes (Masterminds/semver NewVersion: `v` prefix, minor and patch optional). */
const SEMVER =
  /^v?\d+(?:\.\d+)?(?:\.\d+)?(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/

/**
 * The string field `field` as Helm reads it: sigs.k8s.io/yaml turns the YAML into JSON, a number or a
 * boolean written for a string field into its text (`version: 1.0` is "1"), and Go's encoding/json
 * matches keys regardless of case, the last matching key winning (`Name:` is the name). Undefined
 * when it is absent or null; the value itself when it is no scalar (Helm refuses the file).
 */
function goStringField(object: Record<string, unknown>, field: string): unknown {
  let value: unknown
  for (const [key, v] of Object.entries(object)) if (key.toLowerCase() === field.toLowerCase()) value = v
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return value ?? undefined
}

const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value)
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
/** `[]string` as Go's encoding/json takes it: null, or a list of scalars (a number is its text there). */
const isStringList = (value: unknown) => value == null || (Array.isArray(value) && value.every(isScalar))
/** Helm's aliasNameFormat (pkg/chart Dependency.Validate). */
const ALIAS = /^[a-zA-Z0-9_-]+$/

/**
 * The rest of what Helm checks before it renders (json.Unmarshal into Metadata, Maintainer.Validate,
 * Dependency.Validate, unique dependency names): a field of another type, a null maintainer or
 * dependency, an alias with other characters, or two dependencies of one name make Helm refuse the chart.
 */
function restLoads(fields: Record<string, unknown>): boolean {
  const strings = ['home', 'description', 'icon', 'condition', 'tags', 'appVersion', 'kubeVersion']
  if (!strings.every(f => isScalar(goStringField(fields, f) ?? null))) return false
  if (!isStringList(goStringField(fields, 'sources')) || !isStringList(goStringField(fields, 'keywords')))
    return false
  const deprecated = goStringField(fields, 'deprecated')
  if (deprecated !== undefined && deprecated !== 'true' && deprecated !== 'false') return false
  const annotations = goStringField(fields, 'annotations')
  if (annotations != null && !(isPlainObject(annotations) && Object.values(annotations).every(isScalar)))
    return false
  const maintainers = goStringField(fields, 'maintainers')
  const maintainerLoads = (m: unknown) =>
    isPlainObject(m) && ['name', 'email', 'url'].every(f => isScalar(goStringField(m, f) ?? null))
  if (maintainers != null && !(Array.isArray(maintainers) && maintainers.every(maintainerLoads))) return false
  const dependencies = goStringField(fields, 'dependencies')
  if (dependencies == null) return true
  if (!Array.isArray(dependencies) || !dependencies.every(isPlainObject)) return false
  const keys = new Set<string>()
  for (const dependency of dependencies) {
    const name = goStringField(dependency, 'name')
    const alias = goStringField(dependency, 'alias')
    const texts = ['name', 'version', 'repository', 'condition', 'alias']
    if (!texts.every(f => isScalar(goStringField(dependency, f) ?? null))) return false
    if (!isStringList(goStringField(dependency, 'tags'))) return false
    if (alias !== undefined && alias !== '' && !ALIAS.test(String(alias))) return false
    const key = String(alias !== undefined && alias !== '' ? alias : (name ?? ''))
    if (keys.has(key)) return false
    keys.add(key)
  }
  return true
}

/**
 * Whether Helm loads `text` as a chart's Chart.yaml (helm.sh/helm/v4 pkg/chart/v2 loader and
 * Metadata.Validate): a mapping with a name, a semver version and no other type than application or
 * library. Helm refuses any other chart, so it renders none of its templates.
 */
export function isHelmChartFile(text: string): boolean {
  let metadata: unknown
  try {
    metadata = parseYamlValue(text, { version: '1.1' })
  } catch {
    return false
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return false
  const fields = metadata as Record<string, unknown>
  const name = goStringField(fields, 'name')
  const version = goStringField(fields, 'version')
  const apiVersion = goStringField(fields, 'apiVersion')
  const type = goStringField(fields, 'type')
  return (
    typeof name === 'string' &&
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !name.includes('/') &&
    typeof version === 'string' &&
    SEMVER.test(version) &&
    (apiVersion === undefined || typeof apiVersion === 'string') &&
    (type === undefined || type === '' || type === 'application' || type === 'library') &&
    restLoads(fields)
  )
}

/**
 * Returns a lookup from a repository-relative file to the Helm chart that renders it, if any: the
 * nearest ancestor holding a Chart.yaml whose `templates/` or `charts/` contains the file. Anything
 * else in a chart directory (a raw manifest, `crds/`, values files) is not rendered by Helm, so a
 * Chart.yaml placed beside a manifest hides nothing. A directory is a chart only as Helm decides: a file
 * named exactly `Chart.yaml` (not `Chart.yml`, not `chart.yaml` on a case-insensitive disk) that Helm
 * loads. Otherwise Helm renders nothing there while `kubectl apply -R` applies `templates/` as it is,
 * so those files are checked as raw manifests, never listed as Helm templates.
 */
export function helmTemplateChart(root: string): (file: string) => string | undefined {
  const isChart = new Map<string, boolean>()
  const chartAt = (dir: string) => {
    let known = isChart.get(dir)
    if (known === undefined) {
      known = false
      try {
        const file = path.join(root, dir, 'Chart.yaml')
        const info = lstatSync(file)
        if (
          info.isFile() &&
          info.size <= MAX_CHART_FILE_BYTES &&
          readdirSync(path.join(root, dir)).includes('Chart.yaml')
        )
          known = isHelmChartFile(readFileSync(file, 'utf8'))
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
