import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { defaultOptions } from '../packages/core/src/k8s/options.js'
import { exportAdmission } from '../packages/core/src/k8s/export/export.js'
const out = process.argv[2]!
const base = defaultOptions()
const options = process.argv[3] === 'strict' ? defaultOptions({ rules: new Set([...base.rules, 'allowed-registries', 'image-digest']), allowedRegistries: ['registry.k8s.io', 'docker.io/library/'], limits: { cpu: true, memory: true, maxCpu: '500m', maxMemory: '128Mi' } }) : base
const result = exportAdmission(options, ['gatekeeper', 'kyverno', 'vap'])
for (const f of result.files) { mkdirSync(path.dirname(path.join(out, f.path)), { recursive: true }); writeFileSync(path.join(out, f.path), f.content) }
