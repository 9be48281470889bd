import type { PodContext } from '../pod-spec.js'
import { hasValidDigest, parseImageRef } from '../../images/reference.js'
import { isAllowedImage } from '../registry-scope.js'
import type { Offense } from './types.js'

/**
 * allowed-registries (gatekeeper K8sAllowedRepos, with the reference parsed): every image's registry
 * must be a listed one and its repository the listed path or below it, so `ghcr.io` does not admit
 * `ghcr.io.evil.net/x` and `docker.io/library/` admits `nginx:1.27`.
 */
export function allowedRegistries(pod: PodContext, entries: readonly string[]): Offense[] {
  return pod.containers.flatMap(c => {
    const image = c.image ?? ''
    if (image !== '' && isAllowedImage(image, entries)) return []
    return [
      {
        path: [...c.path, 'image'],
        message: `${c.field.slice(0, -1)} '${c.name}' image '${image}' is not from an allowed registry (${entries.join(', ')})`,
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
