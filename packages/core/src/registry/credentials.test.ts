import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import {
  dockerConfigCredentials,
  dockerConfigPath,
  runCredentialHelper,
  type HelperRunner
} from './credentials.js'

let home: string
beforeEach(() => void (home = mkdtempSync(path.join(tmpdir(), 'sp-docker-config-'))))
afterEach(() => rmSync(home, { recursive: true, force: true }))

function writeConfig(dir: string, config: unknown): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config))
}

const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('docker config credentials', () => {
  it('reads $DOCKER_CONFIG/config.json before ~/.docker/config.json', () => {
    expect(dockerConfigPath({ HOME: '/home/u' })).toBe('/home/u/.docker/config.json')
    expect(dockerConfigPath({ HOME: '/home/u', DOCKER_CONFIG: '/ci/docker' })).toBe('/ci/docker/config.json')
  })

  it('finds auths entries written with or without scheme and path, Docker Hub under its index URL', async () => {
    writeConfig(path.join(home, '.docker'), {
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pw') },
        'https://GHCR.io': { username: 'gh', password: 'ghp' },
        'localhost:5000': { identitytoken: 'refresh' },
        'registry.example:8443/v2/': { registrytoken: 'bearer-abc' }
      }
    })
    const credentials = dockerConfigCredentials({ HOME: home })
    expect(await credentials('docker.io')).toEqual({ username: 'hubuser', password: 'hub:pw' })
    expect(await credentials('ghcr.io')).toEqual({ username: 'gh', password: 'ghp' })
    expect(await credentials('localhost:5000')).toEqual({ identityToken: 'refresh' })
    expect(await credentials('registry.example:8443')).toEqual({ registryToken: 'bearer-abc' })
    expect(await credentials('quay.io')).toBeUndefined()
  })

  it('asks the host credential helper, then the credentials store, each once per registry', async () => {
    writeConfig(path.join(home, 'cfg'), { credHelpers: { 'gcr.io': 'gcloud' }, credsStore: 'pass' })
    const asked: string[] = []
    const helper: HelperRunner = async (name, server) => {
      asked.push(`${name} ${server}`)
      return { username: name, password: 'x' }
    }
    const credentials = dockerConfigCredentials({ DOCKER_CONFIG: path.join(home, 'cfg') }, helper)
    expect(await credentials('gcr.io')).toEqual({ username: 'gcloud', password: 'x' })
    await credentials('gcr.io')
    await credentials('docker.io')
    expect(asked).toEqual(['gcloud gcr.io', 'pass https://index.docker.io/v1/'])
  })

  it('is anonymous without a config file, and a broken file is the user’s to fix', async () => {
    expect(await dockerConfigCredentials({ HOME: home })('ghcr.io')).toBeUndefined()
    writeConfig(path.join(home, '.docker'), '{"auths": ')
    await expect(dockerConfigCredentials({ HOME: home })('ghcr.io')).rejects.toThrow(ConfigurationError)
    await expect(dockerConfigCredentials({ HOME: home })('ghcr.io')).rejects.toThrow('is not valid JSON')
  })
})

describe('runCredentialHelper', () => {
  const savedPath = process.env.PATH
  afterEach(() => void (process.env.PATH = savedPath))

  function helper(name: string, script: string): void {
    const file = path.join(home, `docker-credential-${name}`)
    writeFileSync(file, `#!/bin/sh\n${script}\n`)
    chmodSync(file, 0o755)
    process.env.PATH = `${home}:${savedPath}`
  }

  it('runs docker-credential-<name> get with the server on stdin and no secret in its environment', async () => {
    process.env.SP_TEST_TOKEN = 'must-not-leak'
    try {
      helper(
        'fake',
        `read server; env > '${home}/env'; printf '{"ServerURL":"%s","Username":"u","Secret":"%s-secret"}' "$server" "$server"`
      )
      expect(await runCredentialHelper('fake', 'ghcr.io')).toEqual({
        username: 'u',
        password: 'ghcr.io-secret'
      })
      const { readFileSync } = await import('node:fs')
      expect(readFileSync(path.join(home, 'env'), 'utf8')).not.toContain('must-not-leak')
    } finally {
      delete process.env.SP_TEST_TOKEN
    }
  })

  it('reads <token> as an identity token, "not found" as anonymous, and refuses odd helper names', async () => {
    helper('tok', `printf '{"Username":"<token>","Secret":"refresh"}'`)
    expect(await runCredentialHelper('tok', 'x.io')).toEqual({ identityToken: 'refresh' })
    helper('none', `echo "credentials not found in native keychain"; exit 1`)
    expect(await runCredentialHelper('none', 'x.io')).toBeUndefined()
    await expect(runCredentialHelper('../../bin/sh', 'x.io')).rejects.toThrow('is not valid')
  })
})
