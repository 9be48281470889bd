export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'

/** What we ask a registry for: images and indexes, OCI and Docker v2. Schema 1 is not read. */
export const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ')

export const isIndexMediaType = (mediaType: string | undefined): boolean =>
  mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST

export const isManifestMediaType = (mediaType: string | undefined): boolean =>
  mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST
