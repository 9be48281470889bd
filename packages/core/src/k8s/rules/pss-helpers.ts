import { asRecord, type PodContext, type Rec } from '../pod-spec.js'
import type { YamlPath } from '../types.js'

export const containerSecurityContext = (container: Rec): Rec | undefined =>
  asRecord(container.securityContext)
export const podSecurityContext = (pod: PodContext): Rec | undefined => asRecord(pod.spec.securityContext)
export const podScPath = (pod: PodContext, ...rest: YamlPath): YamlPath => [
  ...pod.specPath,
  'securityContext',
  ...rest
]

/** A pod in its own user namespace (hostUsers: false); some checks are relaxed for it from 1.35. */
export const usesUserNamespace = (pod: PodContext) => pod.spec.hostUsers === false

export const validSeccompType = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost'
