import { describe, expect, it } from '@jest/globals'
import { memoryLogger } from '../runtime/logger.js'
import { actionsDbCache, pendingSave, type DbCache } from './db-cache.js'

const KEY = 'secure-pipeline-trivy-db-v2-2026-12-01'

function cacheThatSaves(answer: () => Promise<boolean>): DbCache & { saves: string[] } {
  const saves: string[] = []
  return {
    saves,
    restore: async () => undefined,
    save: async (_paths, key) => {
      saves.push(key)
      return answer()
    }
  }
}

describe('pendingSave', () => {
  it('says the DB was saved only when the service took it', async () => {
    const logger = memoryLogger()
    await pendingSave(
      cacheThatSaves(async () => true),
      ['/db'],
      KEY,
      logger
    )()
    expect(logger.lines).toEqual([`Vulnerability DB cache: saved ${KEY}`])
  })

  it('warns, and claims nothing, when the service did not take it (@actions/cache answers -1 then)', async () => {
    const logger = memoryLogger()
    await pendingSave(
      cacheThatSaves(async () => false),
      ['/db'],
      KEY,
      logger
    )()
    expect(logger.lines).toEqual([
      `warning: Vulnerability DB cache ${KEY} was not saved: the cache service did not take it (another job of the same day may have saved it first).`
    ])
  })

  it('warns instead of failing the run when saving throws, and saves once however often it is called', async () => {
    const logger = memoryLogger()
    const cache = cacheThatSaves(async () => {
      throw new Error('Key Validation Error')
    })
    const save = pendingSave(cache, ['/db'], KEY, logger)
    await save()
    await save()
    expect(cache.saves).toEqual([KEY])
    expect(logger.lines).toEqual([
      `warning: Vulnerability DB cache ${KEY} was not saved: Key Validation Error`
    ])
  })
})

describe('actionsDbCache', () => {
  it('is absent when the runner names no cache service, without loading @actions/cache', () => {
    expect(
      actionsDbCache({ ACTIONS_RUNTIME_TOKEN: 'token', ACTIONS_CACHE_SERVICE_V2: 'True' })
    ).toBeUndefined()
  })
})
