import type { PodContext } from '../pod-spec.js'
import { hasValidDigest, parseImageRef } from '../image-ref.js'
import type { Offense } from './types.js'

function qualified(image: string): string {
  const ref = parseImageRef(image)
  return `${ref.fullName}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`
}

/**
 * allowed-registries (gatekeeper K8sAllowedRepos): every image must start with one of the prefixes. The
 * reference is also tried in its fully-qualified form, so `docker.io/library/` admits `nginx:1.27`.
 */
export function allowedRegistries(pod: PodContext, prefixes: readonly string[]): Offense[] {
  return pod.containers.flatMap(c => {
    const image = c.image ?? ''
    const full = image ? qualified(image) : ''
    if (prefixes.some(prefix => image.startsWith(prefix) || (full !== '' && full.startsWith(prefix))))
      return []
    return [
      {
        path: [...c.path, 'image'],
        message: `${c.field.slice(0, -1)} '${c.name}' image '${image}' is not from an allowed registry (${prefixes.join(', ')})`,
        container: c
      }
    ]
  })
}

/** image-digest: every image is pinned as name@sha256:<digest>. */
export function imageDigest(pod: PodContext): Offense[] {
  return pod.containers.flatMap(c => {
    if (c.image !== undefined && hasValidDigest(parseImageRef(c.image))) return []
    return [
      {
        path: [...c.path, c.image === undefined ? 'name' : 'image'],
        message: `${c.field.slice(0, -1)} '${c.name}' image '${c.image ?? ''}' is not pinned by digest`,
        container: c
      }
    ]
  })
}
