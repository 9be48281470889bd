import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { buildImage, withDiffIds } from '../../../../test/support/oci-image.js'
import { startRegistryDouble, type RegistryDouble } from '../../../../test/support/registry-double.js'
import { RegistryClient } from '../registry/client.js'
import { anonymous } from '../registry/credentials.js'
import { RegistryError } from '../registry/errors.js'
import { resolveTarget } from './target.js'

const image = buildImage({ layers: [{ 'etc/os-release': 'ID=demo\n' }, { 'app/secret.env': 'x' }] })
const [first, second] = image.layers.map(layer => layer.diffId) as [string, string]

let registry: RegistryDouble
let work: string
beforeAll(async () => {
  registry = await startRegistryDouble()
  work = mkdtempSync(path.join(tmpdir(), 'sp-target-'))
})
afterAll(async () => {
  await registry.close()
  rmSync(work, { recursive: true, force: true })
})

const resolve = (reference: string) =>
  resolveTarget(
    { kind: 'image', reference },
    { client: new RegistryClient({ credentials: anonymous }), inputName: 'image', tempRoot: work }
  )

describe('resolveTarget on a registry image', () => {
  it('pins the image by its manifest digest and names its config', async () => {
    registry.pushImage('o/honest', image, '1')
    await expect(resolve(`${registry.host}/o/honest:1`)).resolves.toMatchObject({
      kind: 'registry',
      digest: image.manifest.digest,
      configDigest: image.config.digest
    })
  })

  it('refuses an image whose config repeats a diff ID over another layer: the engine would never read it', async () => {
    const hiding = withDiffIds(image, [first, first])
    registry.pushImage('o/hiding', hiding, '1')
    const error = await resolve(`${registry.host}/o/hiding:1`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    expect((error as RegistryError).reason).toBe('invalid')
    expect((error as Error).message).toContain(
      `the image ${hiding.manifest.digest} is refused: its config gives layers 1 and 2, two different blobs, the same diff ID ${first}`
    )
  })

  it('refuses an image whose config names fewer diff IDs than it has layers', async () => {
    const short = withDiffIds(image, [second])
    registry.pushImage('o/short', short, '1')
    await expect(resolve(`${registry.host}/o/short:1`)).rejects.toThrow(
      'its manifest lists 2 layer(s) but its config names 1 diff ID(s)'
    )
  })
})
