import { isDigest, isImageName, parseImageRef, splitReference } from '../images/reference.js'
import { ConfigurationError } from '../runtime/errors.js'

/** What one run pins: an image name and its new tag and/or digest. */
export interface BumpTarget {
  /** The image name as the user wrote it, without tag or digest; written as is where a name is written. */
  image: string
  /** Docker's fully qualified form (`docker.io/library/nginx` for `nginx`), for matching names in files. */
  fullName: string
  tag?: string
  digest?: string
}

export interface BumpTargetInput {
  image: string
  tag?: string
  digest?: string
}

/** The action's names for the inputs a target comes from, for messages. */
export interface BumpTargetInputNames {
  image: string
  tag: string
  digest: string
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/

export const isTag = (value: string): boolean => TAG.test(value)
export { isDigest }

/**
 * The target from the inputs. `image` may carry its tag and digest (`app:1.2@sha256:…`), and `tag` may be
 * `1.2@sha256:…`; a value given twice must agree. Everything is checked against Docker's grammar, so
 * nothing written into a manifest can break out of a YAML scalar.
 */
export function parseBumpTarget(input: BumpTargetInput, names: BumpTargetInputNames): BumpTarget {
  const fromImage = splitReference(input.image.trim())
  const fromTag = input.tag === undefined ? {} : splitTagInput(input.tag.trim(), names.tag)
  const image = fromImage.name
  if (!isImageName(image))
    throw new ConfigurationError(
      `Input '${names.image}' ('${input.image}') is not an image name like ghcr.io/org/app (lower-case path, optional registry host).`
    )
  const tag = agree(names.image, fromImage.tag, names.tag, fromTag.tag)
  const digest = agree(
    names.image,
    fromImage.digest,
    names.digest,
    agree(names.tag, fromTag.digest, names.digest, input.digest?.trim() || undefined)
  )
  if (tag !== undefined && !isTag(tag))
    throw new ConfigurationError(
      `Input '${names.tag}' ('${tag}') is not an image tag (letters, digits, '_', '.', '-'; at most 128).`
    )
  if (digest !== undefined && !isDigest(digest))
    throw new ConfigurationError(
      `Input '${names.digest}' ('${digest}') is not a digest like sha256:<64 hex digits>.`
    )
  if (tag === undefined && digest === undefined)
    throw new ConfigurationError(`Give the new version: input '${names.tag}', '${names.digest}', or both.`)
  return {
    image,
    fullName: parseImageRef(image).fullName,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {})
  }
}

function splitTagInput(raw: string, inputName: string): { tag?: string; digest?: string } {
  if (raw === '') return {}
  const at = raw.indexOf('@')
  if (at < 0) return { tag: raw }
  if (at === 0) throw new ConfigurationError(`Input '${inputName}' ('${raw}') has a digest but no tag.`)
  return { tag: raw.slice(0, at), digest: raw.slice(at + 1) }
}

function agree(
  firstName: string,
  first: string | undefined,
  secondName: string,
  second: string | undefined
): string | undefined {
  if (first !== undefined && second !== undefined && first !== second)
    throw new ConfigurationError(
      `Inputs '${firstName}' and '${secondName}' disagree ('${first}' and '${second}'); give the value once.`
    )
  return first ?? second
}

/** Whether a name written in a file (registry optional, Docker Hub implied) is the target's image. */
export function namesImage(target: BumpTarget, written: string): boolean {
  const name = splitReference(written.trim()).name
  return name !== '' && parseImageRef(name).fullName === target.fullName
}

/**
 * Whether a Helm `repository` value (with its `registry` sibling, if any) names the target. A chart may
 * keep the registry elsewhere, so a repository path the image name ends with counts too (`org/app` for
 * `ghcr.io/org/app`).
 */
export function repositoryNamesImage(target: BumpTarget, repository: string, registry?: string): boolean {
  const path = repository.replace(/^\/+/, '')
  // A registry written out (a host, a host with a path, a URL) says where the image is; only one the
  // chart fills in from a template leaves that to the repository path.
  const literal = registry?.trim() && !registry.includes('{{') ? literalRegistry(registry) : undefined
  if (literal !== undefined) return namesImage(target, `${literal}/${path}`)
  if (namesImage(target, repository)) return true
  return path.includes('/') && target.image.endsWith(`/${path}`)
}

/** `https://quay.io/`, `oci://quay.io` and `quay.io` are the same registry. */
function literalRegistry(registry: string): string {
  return registry
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/+$/, '')
}

/** `name[:tag][@digest]`. */
export function referenceText(name: string, tag: string | undefined, digest: string | undefined): string {
  return `${name}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`
}

/** The target as one reference, e.g. `ghcr.io/org/app:1.2@sha256:…`. */
export function targetReference(target: BumpTarget): string {
  return referenceText(target.image, target.tag, target.digest)
}
