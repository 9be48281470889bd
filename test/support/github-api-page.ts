import type { DoubleRequest, DoubleResponse } from './github-api-types.js'

/** One page of a list as GitHub serves it: `per_page` (≤ 100) items and a `link` header with next/last. */
export function page<T>(
  req: DoubleRequest,
  items: T[],
  api: string,
  wrap?: (items: T[]) => unknown
): DoubleResponse {
  const perPage = Math.min(Number(req.query.per_page ?? 30), 100)
  const current = Math.max(Number(req.query.page ?? 1), 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const link = (n: number, rel: string) => {
    const url = new URL(`${api}${req.path}`)
    for (const [k, v] of Object.entries(req.query)) url.searchParams.set(k, String(v))
    url.searchParams.set('per_page', String(perPage))
    url.searchParams.set('page', String(n))
    return `<${url.toString()}>; rel="${rel}"`
  }
  const links = []
  if (current < last) links.push(link(current + 1, 'next'), link(last, 'last'))
  if (current > 1) links.push(link(1, 'first'), link(current - 1, 'prev'))
  const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {}
  const slice = items.slice((current - 1) * perPage, current * perPage)
  return { status: 200, body: wrap ? wrap(slice) : slice, headers }
}
