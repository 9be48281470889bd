import { loadManifestText } from '../../packages/core/src/k8s/manifests.js'
import { podContextOf, type PodContext } from '../../packages/core/src/k8s/pod-spec.js'
import type { ManifestObject } from '../../packages/core/src/k8s/types.js'

/** Test helper: the objects of a YAML text, failing loudly on any load problem. */
export function objectsFrom(yaml: string, file = 'test.yaml'): ManifestObject[] {
  const loaded = loadManifestText(yaml, file)
  if (loaded.problems.length > 0) throw new Error(loaded.problems.map(p => p.message).join('\n'))
  return loaded.objects
}

/** Test helper: the pod context of the single workload in `yaml`. */
export function podFrom(yaml: string): PodContext {
  const [object] = objectsFrom(yaml)
  const pod = object && podContextOf(object)
  if (!pod) throw new Error('no workload in test YAML')
  return pod
}

/** A minimal Pod with the given spec lines (indented by the caller at 2 spaces under `spec:`). */
export function pod(spec: string, metadata = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${metadata}spec:\n${spec}`
}
