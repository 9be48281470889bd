import type { Logger } from '../runtime/logger.js'
import type { InstallToolOptions } from '../tools/install.js'

export interface KustomizeToolOptions {
  /** The `kustomize-path` input: a binary the runner provides, used as is and logged as not hash-verified. */
  preProvisionedPath?: string
  /** The caller's input names, for messages. */
  inputs?: InstallToolOptions['inputs']
  logger: Logger
  env?: NodeJS.ProcessEnv
  /** Test seams of the installer (catalog, download); production uses the pinned catalog. */
  installer?: Pick<InstallToolOptions, 'catalog' | 'download' | 'platform' | 'tempDir'>
}

/**
 * The kustomize binary from the pinned catalog, sha256-verified before it is unpacked, installed on
 * first use only: a run without a kustomization never downloads it. Never the first `kustomize` on
 * PATH, which anything earlier in the job could have put there.
 */
export function kustomizeBinary(options: KustomizeToolOptions): () => Promise<string> {
  let installed: Promise<string> | undefined
  // The installer (its catalog, schema and downloader) is loaded on first use too.
  return () =>
    (installed ??= import('../tools/install.js')
      .then(({ installTool }) =>
        installTool({
          tool: 'kustomize',
          preProvisionedPath: options.preProvisionedPath,
          ...(options.inputs ? { inputs: options.inputs } : {}),
          logger: options.logger,
          ...(options.env ? { env: options.env } : {}),
          ...options.installer
        })
      )
      .then(tool => tool.path))
}
