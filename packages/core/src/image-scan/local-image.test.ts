import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'
import {
  blobOf,
  blobsOf,
  buildImage,
  buildIndex,
  descriptor,
  dockerArchive,
  MEDIA,
  sha256,
  tar,
  withDiffIds,
  writeOciLayout
} from '../../../../test/support/oci-image.js'
import { ConfigurationError } from '../runtime/errors.js'
import { readDockerArchive } from './docker-archive.js'
import { readOciLayout } from './oci-layout.js'

const amd64 = buildImage({ layers: [{ 'etc/a': 'amd64' }, { 'etc/b': 'more' }] })
const arm64 = buildImage({ layers: [{ 'etc/a': 'arm64' }], platform: { os: 'linux', architecture: 'arm64' } })

let dir: string
beforeEach(() => void (dir = mkdtempSync(path.join(tmpdir(), 'sp-local-image-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A docker save archive of `image` whose layer files are `layers` (name, then bytes or a link), in order. */
function archiveWith(
  image: typeof amd64,
  layers: { name: string; content?: Buffer; linkname?: string }[],
  before: Parameters<typeof tar>[0] = []
): Buffer {
  const configName = `${image.config.digest.slice(7)}.json`
  const manifest = [{ Config: configName, RepoTags: null, Layers: layers.map(layer => layer.name) }]
  return tar([
    ...before,
    { name: configName, content: image.config.bytes },
    ...layers.map(layer =>
      layer.linkname
        ? { name: layer.name, type: 'symlink' as const, linkname: layer.linkname }
        : { name: layer.name, content: layer.content }
    ),
    { name: 'manifest.json', content: JSON.stringify(manifest) }
  ])
}

const blobPath = (layout: string, digest: string) => path.join(layout, 'blobs', 'sha256', digest.slice(7))

describe('readOciLayout', () => {
  it('picks the asked platform from a multi-platform layout and hands the engine a one-image view', async () => {
    const index = buildIndex([amd64, arm64])
    const layout = writeOciLayout(
      path.join(dir, 'layout'),
      index,
      [amd64.manifest, arm64.manifest, ...blobsOf(amd64), ...blobsOf(arm64)],
      'demo/app:1'
    )
    const image = await readOciLayout(layout, 'input', dir, { os: 'linux', architecture: 'arm64' })
    expect(image).toMatchObject({
      kind: 'oci-layout',
      digest: arm64.manifest.digest,
      digestKind: 'manifest',
      configDigest: arm64.config.digest,
      indexDigest: index.digest,
      names: ['demo/app:1']
    })
    const view = JSON.parse(readFileSync(path.join(image.enginePath, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[]
    }
    expect(view.manifests.map(m => m.digest)).toEqual([arm64.manifest.digest])
    expect(
      readFileSync(blobPath(image.enginePath, arm64.layers[0]!.digest)).equals(arm64.layers[0]!.bytes)
    ).toBe(true)
    await image.cleanup()
  })

  it('names the platforms it has when the asked one is missing', async () => {
    const layout = writeOciLayout(path.join(dir, 'layout'), buildIndex([amd64, arm64]), [
      amd64.manifest,
      arm64.manifest,
      ...blobsOf(amd64),
      ...blobsOf(arm64)
    ])
    await expect(readOciLayout(layout, 'input', dir, { os: 'linux', architecture: 's390x' })).rejects.toThrow(
      "Input 'input' (" +
        layout +
        ') has no linux/s390x image (it has linux/amd64, linux/arm64); set the platform input.'
    )
  })

  it('refuses a layer whose bytes do not match its digest', async () => {
    const layout = writeOciLayout(path.join(dir, 'layout'), amd64.manifest, blobsOf(amd64))
    writeFileSync(blobPath(layout, amd64.layers[1]!.digest), 'swapped after the build')
    const error = await readOciLayout(layout, 'input', dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toContain(
      `has a blob ${amd64.layers[1]!.digest} whose bytes do not match its digest`
    )
  })

  it('never reads a blob through a link, nor a blobs directory that is one', async () => {
    const layout = writeOciLayout(path.join(dir, 'layout'), amd64.manifest, blobsOf(amd64))
    const config = blobPath(layout, amd64.config.digest)
    const outside = path.join(dir, 'outside')
    writeFileSync(outside, amd64.config.bytes)
    unlinkSync(config)
    symlinkSync(outside, config)
    await expect(readOciLayout(layout, 'input', dir)).rejects.toThrow('as a link or other non-file')
    const other = writeOciLayout(path.join(dir, 'other'), amd64.manifest, blobsOf(amd64))
    rmSync(path.join(other, 'blobs'), { recursive: true })
    symlinkSync(path.join(layout, 'blobs'), path.join(other, 'blobs'))
    await expect(readOciLayout(other, 'input', dir)).rejects.toThrow(
      'has no blobs/sha256 directory, or it is a link'
    )
  })

  it('reads each document of the layout once, however often indexes list it', async () => {
    // index.json → outer (inner twice) → inner (the manifest twice): four paths to one image, and
    // with wider lists a few small files would multiply into billions of reads.
    const inner = blobOf(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociIndex,
        manifests: [descriptor(amd64.manifest), descriptor(amd64.manifest)]
      }),
      MEDIA.ociIndex
    )
    const outer = blobOf(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociIndex,
        manifests: [descriptor(inner), descriptor(inner)]
      }),
      MEDIA.ociIndex
    )
    const layout = writeOciLayout(path.join(dir, 'layout'), outer, [inner, amd64.manifest, ...blobsOf(amd64)])
    const image = await readOciLayout(layout, 'input', dir)
    expect(image).toMatchObject({ digest: amd64.manifest.digest, indexDigest: inner.digest })
    await image.cleanup()
  })

  it('refuses a config that repeats a diff ID over another layer: the engine would never read that layer', async () => {
    const [first, second] = amd64.layers.map(layer => layer.diffId) as [string, string]
    const hiding = withDiffIds(amd64, [first, first])
    const layout = writeOciLayout(path.join(dir, 'hiding'), hiding.manifest, blobsOf(hiding))
    await expect(readOciLayout(layout, 'input', dir)).rejects.toThrow(
      `its config gives layers 1 and 2, two different blobs, the same diff ID ${first}: the engine would read layer 1 twice and never layer 2`
    )
    const short = withDiffIds(amd64, [first])
    const shortLayout = writeOciLayout(path.join(dir, 'short'), short.manifest, blobsOf(short))
    await expect(readOciLayout(shortLayout, 'input', dir)).rejects.toThrow(
      'its manifest lists 2 layer(s) but its config names 1 diff ID(s)'
    )
    // Swapped diff IDs still name every layer once: each is read, and the image passes.
    const swapped = withDiffIds(amd64, [second, first])
    const swappedLayout = writeOciLayout(path.join(dir, 'swapped'), swapped.manifest, blobsOf(swapped))
    await expect(readOciLayout(swappedLayout, 'input', dir)).resolves.toMatchObject({
      digest: swapped.manifest.digest
    })
  })

  it('takes a diff ID repeated over the same layer blob: a layer the build made twice', async () => {
    const twice = buildImage({ layers: [{ 'etc/a': 'same' }, { 'etc/b': 'b' }, { 'etc/a': 'same' }] })
    expect(twice.layers[0]!.digest).toBe(twice.layers[2]!.digest)
    const layout = writeOciLayout(path.join(dir, 'twice'), twice.manifest, blobsOf(twice))
    await expect(readOciLayout(layout, 'input', dir)).resolves.toMatchObject({
      digest: twice.manifest.digest
    })
  })

  it('reads a config many manifests share once: an index of small manifests over one large config costs no memory per manifest', async () => {
    // 100 manifests without a platform over one 8 MB config, 8 MB in the repository: read all at once,
    // as before, they held 100 copies (800 MB) of that config.
    const config = blobOf(
      JSON.stringify({
        os: 'linux',
        architecture: 's390x',
        rootfs: { diff_ids: [] },
        pad: 'x'.repeat(7_900_000)
      }),
      MEDIA.ociConfig
    )
    const manifests = Array.from({ length: 100 }, (_, i) =>
      blobOf(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA.ociManifest,
          config: descriptor(config),
          layers: [],
          annotations: { copy: String(i) }
        }),
        MEDIA.ociManifest
      )
    )
    const index = blobOf(
      JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: manifests.map(descriptor) }),
      MEDIA.ociIndex
    )
    const layout = writeOciLayout(path.join(dir, 'shared'), index, [config, ...manifests])
    const before = process.memoryUsage().arrayBuffers
    let peak = before
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1)
    try {
      await expect(readOciLayout(layout, 'input', dir)).rejects.toThrow(
        /has no linux\/amd64 image \(it has linux\/s390x\); set the platform input\.$/
      )
    } finally {
      clearInterval(sample)
    }
    expect(peak - before).toBeLessThan(200 * 1024 * 1024)
  })

  it('hashes the layers of a manifest listing thousands one at a time: no file and read buffer held per layer', async () => {
    // 5,000 tiny layers, well under the 4 MiB manifest cap: hashed all at once, as before, they held
    // 400 MB of read buffers and 5,000 open files (a runner with the common limit of 1,024 failed).
    const layers = Array.from({ length: 5000 }, (_, i) => blobOf(`layer ${i}`, MEDIA.ociLayer))
    const config = blobOf(
      JSON.stringify({
        os: 'linux',
        architecture: 'amd64',
        rootfs: { type: 'layers', diff_ids: layers.map(layer => layer.digest) }
      }),
      MEDIA.ociConfig
    )
    const manifest = blobOf(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: descriptor(config),
        layers: layers.map(descriptor)
      }),
      MEDIA.ociManifest
    )
    const layout = writeOciLayout(path.join(dir, 'many'), manifest, [config, ...layers])
    const before = process.memoryUsage().arrayBuffers
    let peak = before
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1)
    try {
      await expect(readOciLayout(layout, 'input', dir)).resolves.toMatchObject({ digest: manifest.digest })
    } finally {
      clearInterval(sample)
    }
    expect(peak - before).toBeLessThan(150 * 1024 * 1024)
  })

  it('refuses an index.json over the size limit before reading it', async () => {
    const layout = writeOciLayout(path.join(dir, 'layout'), amd64.manifest, blobsOf(amd64))
    const text = `{"schemaVersion":2,"manifests":[${JSON.stringify(descriptor(amd64.manifest))}]${' '.repeat(5 * 1024 * 1024)}}`
    writeFileSync(path.join(layout, 'index.json'), text)
    await expect(readOciLayout(layout, 'input', dir)).rejects.toThrow(
      `has a ${Buffer.byteLength(text)}-byte index.json, over the ${4 * 1024 * 1024}-byte limit`
    )
  })
})

describe('readDockerArchive', () => {
  it('reads the one image of a docker save archive: its image ID, platform and tags', async () => {
    const file = path.join(dir, 'image.tar')
    writeFileSync(file, dockerArchive(amd64, 'demo/app:1'))
    const image = await readDockerArchive(file, 'input')
    expect(image).toMatchObject({
      kind: 'docker-archive',
      digest: sha256(amd64.config.bytes),
      digestKind: 'image-id',
      enginePath: file,
      names: ['demo/app:1'],
      platform: { os: 'linux', architecture: 'amd64' }
    })
    await expect(readDockerArchive(file, 'input', { os: 'linux', architecture: 'arm64' })).rejects.toThrow(
      'is a linux/amd64 image, not linux/arm64'
    )
  })

  it('refuses archives that hold several images, no manifest, or are no tar', async () => {
    const two = path.join(dir, 'two.tar')
    writeFileSync(
      two,
      tar([{ name: 'manifest.json', content: JSON.stringify([{ Config: 'a.json' }, { Config: 'b.json' }]) }])
    )
    await expect(readDockerArchive(two, 'input')).rejects.toThrow(
      'holds 2 images; save one image per archive'
    )
    const none = path.join(dir, 'none.tar')
    writeFileSync(none, tar([{ name: 'index.json', content: '{}' }]))
    await expect(readDockerArchive(none, 'input')).rejects.toThrow('without manifest.json')
    const gzipped = path.join(dir, 'image.tar.gz')
    writeFileSync(gzipped, gzipSync(dockerArchive(amd64)))
    await expect(readDockerArchive(gzipped, 'input')).rejects.toThrow(
      'is gzip-compressed: give the docker save archive itself (gunzip it first)'
    )
    const junk = path.join(dir, 'junk.tar')
    writeFileSync(junk, 'hello')
    await expect(readDockerArchive(junk, 'input')).rejects.toThrow(
      'is neither an OCI layout directory nor a docker save archive'
    )
  })

  it('refuses layers that are not the ones the image ID names: the engine would scan other files under that ID', async () => {
    // The real config (so the real image ID) with every layer swapped for a harmless one.
    const harmless = tar([{ name: 'hello.txt', content: 'hi' }])
    const file = path.join(dir, 'swapped.tar')
    writeFileSync(
      file,
      archiveWith(
        amd64,
        amd64.layers.map(layer => ({ name: `${layer.diffId.slice(7)}/layer.tar`, content: harmless }))
      )
    )
    // Checked while the engine reads the archive: the scan's report waits for it.
    const swapped = await readDockerArchive(file, 'input')
    await expect(swapped.contentChecked).rejects.toThrow(
      `whose content (${sha256(harmless)}) is not the diff ID ${amd64.layers[0]!.diffId} its config names`
    )
    const short = path.join(dir, 'short.tar')
    writeFileSync(short, archiveWith(amd64, [{ name: 'a/layer.tar', content: amd64.layers[0]!.tar }]))
    await expect(readDockerArchive(short, 'input')).rejects.toThrow(
      'lists 1 layer(s) but its config names 2 diff ID(s)'
    )
  })

  it('refuses a member name given twice: the engine reads the first copy, which would go unchecked', async () => {
    const layers = amd64.layers.map((layer, i) => ({ name: `l${i}/layer.tar`, content: layer.tar }))
    const file = path.join(dir, 'twice.tar')
    writeFileSync(
      file,
      archiveWith(amd64, layers, [
        { name: 'l0/layer.tar', content: tar([{ name: 'hello.txt', content: 'hi' }]) }
      ])
    )
    await expect(readDockerArchive(file, 'input')).rejects.toThrow('has 1 member name(s) twice')
  })

  it('checks compressed layers unpacked, and a repeated layer through the link docker save writes', async () => {
    const compressed = path.join(dir, 'compressed.tar')
    writeFileSync(
      compressed,
      archiveWith(
        amd64,
        amd64.layers.map(layer => ({ name: `${layer.digest.slice(7)}.tar.gz`, content: layer.bytes }))
      )
    )
    const unpacked = await readDockerArchive(compressed, 'input')
    await expect(unpacked.contentChecked).resolves.toBeUndefined()
    expect(unpacked.digest).toBe(amd64.config.digest)
    const twice = buildImage({ layers: [{ 'etc/a': 'same' }, { 'etc/a': 'same' }] })
    const linked = path.join(dir, 'linked.tar')
    writeFileSync(
      linked,
      archiveWith(twice, [
        { name: 'first/layer.tar', content: twice.layers[0]!.tar },
        { name: 'second/layer.tar', linkname: '../first/layer.tar' }
      ])
    )
    const throughLink = await readDockerArchive(linked, 'input')
    await expect(throughLink.contentChecked).resolves.toBeUndefined()
    expect(throughLink.digest).toBe(twice.config.digest)
  })

  it('hashes a layer manifest.json names thousands of times once: the check would outlast the scan by hours', async () => {
    // 50,000 mentions of one 8 MiB layer were 400 GB to unpack and hash, awaited after the engine had
    // finished (it reads a diff ID once); one read takes milliseconds.
    const layer = tar([{ name: 'big', content: Buffer.alloc(8 * 1024 * 1024) }])
    const times = 50_000
    const json = JSON.parse(amd64.config.bytes.toString('utf8')) as { rootfs: { diff_ids: string[] } }
    const diffId = sha256(layer)
    json.rootfs.diff_ids = Array.from({ length: times }, () => diffId)
    const config = Buffer.from(JSON.stringify(json))
    const configName = `${sha256(config).slice(7)}.json`
    const file = path.join(dir, 'repeated.tar')
    writeFileSync(
      file,
      tar([
        { name: configName, content: config },
        { name: 'layer.tar', content: layer },
        {
          name: 'manifest.json',
          content: JSON.stringify([
            { Config: configName, RepoTags: null, Layers: Array.from({ length: times }, () => 'layer.tar') }
          ])
        }
      ])
    )
    const image = await readDockerArchive(file, 'input')
    let timer: NodeJS.Timeout | undefined
    const late = new Promise(resolve => (timer = setTimeout(resolve, 10_000, 'still hashing after 10 s')))
    try {
      await expect(Promise.race([image.contentChecked, late])).resolves.toBeUndefined()
    } finally {
      clearTimeout(timer)
      await image.cleanup()
    }
  }, 30_000)
})
