import { sha256Hex } from '../findings/sha256.js'
import type { BumpRequest } from './plan.js'

/** What makes two runs the same target: they share a branch and a pull request. */
export interface BumpScope {
  /** The base branch as the user named it ('' for the repository's default branch). */
  base: string
  paths: readonly string[]
}

/**
 * The one branch for a target: `secure-pipeline/bump/<image>-<scope>`, no version in it, so each new
 * version of the image replaces the last one's change in the same pull request. The scope hash keeps
 * apart bumps of one image into different places (staging and production paths, other base branches),
 * and bumps of images whose slugs are the same: the slug is lossy (`org/app` and `org-app` give one) and
 * cut at 80 characters (two ECR repositories under one long prefix give one), so the image is in the hash.
 */
export function bumpBranch(request: BumpRequest, scope: BumpScope): string {
  const slug = request.target.image
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/, '')
  const key = JSON.stringify({
    image: request.target.fullName,
    base: scope.base,
    paths: [...scope.paths].sort(),
    strategy: request.strategy,
    helmKey: request.helmKey ?? null,
    policies: [...request.fluxPolicies].sort()
  })
  const hash = sha256Hex(key).slice(0, 8)
  return `secure-pipeline/bump/${slug}-${hash}`
}
