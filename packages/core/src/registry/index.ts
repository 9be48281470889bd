// An OCI distribution client: manifests, indexes, platforms, verified blobs, docker credentials, mirrors.
export {
  RegistryClient,
  resolveDigest,
  type RegistryClientOptions,
  type ResolvedDigest,
  type ResolvedImage
} from './client.js'
export {
  anonymous,
  dockerConfigCredentials,
  type CredentialSource,
  type RegistryCredential
} from './credentials.js'
export { RegistryError, type RegistryFailure } from './errors.js'
export { fromFirstAvailable } from './mirrors.js'
export { formatPlatform, parsePlatform, runnerPlatform, type Platform } from './platform.js'
