import { computeFingerprint } from '../findings/fingerprint.js'
import type { Finding } from '../findings/finding.js'

/** Which image a finding is in: its name (registry/repository, no tag) and the digest scanned. */
export interface ImageIdentity {
  name: string
  digest: string
  /**
   * What the engine was given (the reference by digest, or a path on this runner): a result the engine
   * places there is about the image's config, not a file inside the image.
   */
  engineTarget?: string
}

/**
 * Findings of an image scan as the gate and code scanning read them: each names the image and its
 * digest, none has a repository file or line (a path inside the image is no file of the repository;
 * it goes into the message instead), and each has a fingerprint that survives a rebuild: the image's
 * name without digest, the rule, and the package (purl without qualifiers) or the path inside the image.
 */
export function toImageFindings(findings: readonly Finding[], image: ImageIdentity): Finding[] {
  const reference = `${image.name}@${image.digest}`
  return findings.map(original => {
    const finding: Finding = {
      ...original,
      image: reference,
      kind: original.package ? 'image' : original.kind
    }
    const inImage = original.location?.path
    delete finding.location
    let context: string | undefined
    if (inImage && !original.package && isEngineTarget(inImage, image.engineTarget)) {
      // The digest or a runner path in it would change the fingerprint on every rebuild.
      finding.message = `${original.message} (in the image config)`
      context = 'image-config'
    } else if (inImage && !original.package) {
      const line = original.location?.startLine ? `:${original.location.startLine}` : ''
      finding.message = `${original.message} (in the image at /${inImage}${line})`
      context = `/${inImage}${line}`
    }
    finding.fingerprint = computeFingerprint(finding, context)
    return finding
  })
}

/** The report's paths are relative to `/`; the engine's target is a reference or an absolute path. */
function isEngineTarget(inImage: string, engineTarget: string | undefined): boolean {
  if (!engineTarget) return false
  return (
    inImage === engineTarget || `/${inImage}` === engineTarget || inImage === engineTarget.replace(/^\/+/, '')
  )
}
