import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import ajvFormatsModule from 'ajv-formats'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/**
 * Request validation against GitHub's own REST description (api.github.com, OpenAPI 3.0.3).
 * Only this one 13 MB file is read: the package main would load all ten variants (385 MB).
 */

type Json = Record<string, unknown>

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema?: Json
  'x-multi-segment'?: boolean
}

export interface Operation {
  operationId: string
  method: string
  template: string
  /** Pointer of the operation object inside the spec, for `$ref`-based compilation. */
  pointer: string
  pathParams: Parameter[]
  queryParams: Parameter[]
  hasJsonBody: boolean
  bodyRequired: boolean
  /** Top-level body properties the spec declares; undefined when the schema is not a plain object. */
  bodyProperties: Set<string> | undefined
  responses: Record<string, Json>
}

interface Route {
  template: string
  regex: RegExp
  names: string[]
  /** Literal characters in the template: the more, the more specific (issues/comments beats issues/{n}). */
  specificity: number
  operations: Map<string, Operation>
}

export interface MatchedRequest {
  operation: Operation
  pathParams: Record<string, string>
}

export type RouteLookup =
  | { kind: 'matched'; match: MatchedRequest }
  | { kind: 'unknown-path' }
  | { kind: 'method-not-allowed'; allowed: string[] }

// ajv-formats is CommonJS with `exports.default`; NodeNext types see the namespace, not the function.
const ajvFormats = ((ajvFormatsModule as { default?: unknown }).default ?? ajvFormatsModule) as unknown as (
  ajv: Ajv
) => Ajv

const SPEC_ID = 'gh'
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head']

let loaded: { spec: Json; routes: Route[]; ajv: Ajv; coercingAjv: Ajv } | undefined
const validators = new Map<
  string,
  { params: ValidateFunction; query: ValidateFunction; body?: ValidateFunction }
>()

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1').replace(/\{/g, '%7B').replace(/\}/g, '%7D')
}

function deref(spec: Json, value: Json): Json {
  const ref = value.$ref
  if (typeof ref !== 'string') return value
  let node: unknown = spec
  for (const part of ref.replace(/^#\//, '').split('/')) {
    node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return deref(spec, node as Json)
}

function makeAjv(coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true, coerceTypes })
  ajvFormats(ajv)
  // Formats the GitHub description uses that ajv-formats does not know.
  ajv.addFormat('repo.nwo', /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/)
  ajv.addFormat('int32', { type: 'number', validate: n => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 })
  ajv.addFormat('int64', { type: 'number', validate: n => Number.isInteger(n) })
  ajv.addFormat('double', { type: 'number', validate: () => true })
  ajv.addFormat('binary', true)
  ajv.addFormat('timestamp', true)
  return ajv
}

function buildRoutes(spec: Json): Route[] {
  const routes: Route[] = []
  for (const [template, item] of Object.entries(spec.paths as Record<string, Json>)) {
    const names: string[] = []
    const operations = new Map<string, Operation>()
    const shared = ((item.parameters as Json[] | undefined) ?? []).map(
      p => deref(spec, p) as unknown as Parameter
    )
    for (const method of METHODS) {
      const op = item[method] as Json | undefined
      if (!op) continue
      const params = [
        ...shared,
        ...((op.parameters as Json[] | undefined) ?? []).map(p => deref(spec, p))
      ] as unknown as Parameter[]
      const body = op.requestBody ? deref(spec, op.requestBody as Json) : undefined
      const jsonSchema = (body?.content as Json | undefined)?.['application/json'] as Json | undefined
      const schema = jsonSchema?.schema ? deref(spec, jsonSchema.schema as Json) : undefined
      const props =
        schema?.type === 'object' && schema.properties ? Object.keys(schema.properties as Json) : undefined
      operations.set(method.toUpperCase(), {
        operationId: op.operationId as string,
        method: method.toUpperCase(),
        template,
        pointer: `#/paths/${escapePointer(template)}/${method}`,
        pathParams: params.filter(p => p.in === 'path'),
        queryParams: params.filter(p => p.in === 'query'),
        hasJsonBody: jsonSchema !== undefined,
        bodyRequired: body?.required === true,
        bodyProperties: props && schema?.additionalProperties === undefined ? new Set(props) : undefined,
        responses: (op.responses as Record<string, Json> | undefined) ?? {}
      })
    }
    const multi = new Set(
      [...operations.values()].flatMap(o => o.pathParams.filter(p => p['x-multi-segment']).map(p => p.name))
    )
    const source = template.replace(/\{([^}]+)\}|[^{]+/g, (token, name: string | undefined) => {
      if (name === undefined) return token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      names.push(name)
      return multi.has(name) ? '(.+)' : '([^/]+)'
    })
    const specificity = template.replace(/\{[^}]+\}/g, '').length
    routes.push({ template, regex: new RegExp(`^${source}$`), names, specificity, operations })
  }
  return routes.sort((a, b) => b.specificity - a.specificity)
}

/**
 * What GitHub means by `nullable`, in terms ajv compiles: a nullable enum (a dismissed alert's reason) also
 * takes null, as GitHub sends; `nullable` beside `oneOf`/`anyOf`/`allOf` without `type` (commits, rulesets),
 * which ajv refuses to compile, becomes "null, or the rest of the schema".
 */
function openApiNullables(node: unknown): void {
  if (!node || typeof node !== 'object') return
  for (const child of Object.values(node)) openApiNullables(child)
  const schema = node as Json
  if (schema.nullable !== true) return
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null]
  if (schema.type !== undefined) return
  delete schema.nullable
  const rest = { ...schema }
  if (!('oneOf' in rest || 'anyOf' in rest || 'allOf' in rest)) return
  for (const key of Object.keys(schema)) delete schema[key]
  schema.anyOf = [{ type: 'null' }, rest]
}

/** Parses the description once per module registry (once per test file under jest). */
function load() {
  if (loaded) return loaded
  const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json')
  const spec = JSON.parse(readFileSync(file, 'utf8')) as Json
  openApiNullables(spec)
  const ajv = makeAjv(false)
  const coercingAjv = makeAjv('array')
  ajv.addSchema(spec, SPEC_ID)
  coercingAjv.addSchema(spec, SPEC_ID)
  loaded = { spec, routes: buildRoutes(spec), ajv, coercingAjv }
  return loaded
}

export function findOperation(method: string, pathname: string): RouteLookup {
  const { routes } = load()
  const allowed = new Set<string>()
  for (const route of routes) {
    const found = route.regex.exec(pathname)
    if (!found) continue
    const operation = route.operations.get(method.toUpperCase())
    if (!operation) {
      route.operations.forEach((_op, m) => allowed.add(m))
      continue
    }
    const pathParams: Record<string, string> = {}
    route.names.forEach((name, i) => (pathParams[name] = decodeURIComponent(found[i + 1] ?? '')))
    return { kind: 'matched', match: { operation, pathParams } }
  }
  return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'unknown-path' }
}

export function findOperationById(operationId: string): Operation | undefined {
  for (const route of load().routes) {
    for (const op of route.operations.values()) if (op.operationId === operationId) return op
  }
  return undefined
}

function objectSchema(params: Parameter[], allowUnknown: boolean): Json {
  return {
    type: 'object',
    properties: Object.fromEntries(params.map(p => [p.name, p.schema ?? {}])),
    required: params.filter(p => p.required).map(p => p.name),
    additionalProperties: allowUnknown
  }
}

function compiled(op: Operation) {
  const cached = validators.get(op.pointer)
  if (cached) return cached
  const { ajv, coercingAjv } = load()
  // Parameter schemas may hold `$ref`s into components; wrap them so they resolve against the spec.
  const withRefs = (schema: Json): Json =>
    JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"gh#/components'))
  const entry = {
    params: coercingAjv.compile(withRefs(objectSchema(op.pathParams, false))),
    query: coercingAjv.compile(withRefs(objectSchema(op.queryParams, false))),
    body: op.hasJsonBody
      ? ajv.compile({ $ref: `${SPEC_ID}${op.pointer}/requestBody/content/application~1json/schema` })
      : undefined
  }
  validators.set(op.pointer, entry)
  return entry
}

function describe(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(e => `${where}${e.instancePath || ''} ${e.message ?? 'is invalid'}${extra(e)}`)
}

function extra(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>
  if (typeof p.additionalProperty === 'string') return `: '${p.additionalProperty}'`
  if (Array.isArray(p.allowedValues)) return `: ${p.allowedValues.join(', ')}`
  return ''
}

/** Every way a request disagrees with the operation's description; empty when it conforms. */
export function validateRequest(
  match: MatchedRequest,
  query: Record<string, string | string[]>,
  body: { present: boolean; value: unknown; parseError?: string }
): string[] {
  const op = match.operation
  const v = compiled(op)
  const problems: string[] = []
  if (!v.params({ ...match.pathParams })) problems.push(...describe('path', v.params.errors))
  if (!v.query({ ...query })) problems.push(...describe('query', v.query.errors))
  if (body.parseError) return [...problems, `body is not JSON: ${body.parseError}`]
  if (!body.present) {
    if (op.bodyRequired) problems.push(`body is required by ${op.operationId}`)
    return problems
  }
  if (!v.body) return [...problems, `${op.operationId} takes no JSON body`]
  if (!v.body(body.value)) problems.push(...describe('body', v.body.errors))
  // GitHub ignores unknown keys; a double that also ignored them would hide misspelt parameters.
  if (op.bodyProperties && body.value && typeof body.value === 'object' && !Array.isArray(body.value)) {
    for (const key of Object.keys(body.value)) {
      if (!op.bodyProperties.has(key))
        problems.push(`body has a property the spec does not declare: '${key}'`)
    }
  }
  return problems
}

const responseValidators = new Map<string, ValidateFunction | null>()

/** Disagreements between a response body and the schema the description promises for that status. */
export function validateResponse(operation: Operation, status: number, body: unknown): string[] {
  const key = `${operation.pointer} ${status}`
  if (!responseValidators.has(key)) {
    const { spec, ajv } = load()
    const declared = operation.responses[String(status)]
    const response = declared ? deref(spec, declared) : undefined
    const media = (response?.content as Json | undefined)?.['application/json'] as Json | undefined
    const base =
      typeof declared?.$ref === 'string' ? declared.$ref : `${operation.pointer}/responses/${status}`
    const schema = media?.schema ? { $ref: `${SPEC_ID}${base}/content/application~1json/schema` } : undefined
    responseValidators.set(key, schema ? ajv.compile(schema) : null)
  }
  const validate = responseValidators.get(key)
  if (!validate) return []
  return validate(body) ? [] : describe('response', validate.errors)
}

/** GitHub's own example body for this response, if the description has one (a fresh copy). */
export function responseExample(operation: Operation, status: number): unknown {
  const { spec } = load()
  const declared = operation.responses[String(status)]
  const response = declared ? deref(spec, declared) : undefined
  const media = (response?.content as Json | undefined)?.['application/json'] as Json | undefined
  const first = Object.values((media?.examples as Record<string, Json> | undefined) ?? {})[0]
  const value = first ? deref(spec, first).value : undefined
  return value === undefined ? undefined : structuredClone(value)
}
