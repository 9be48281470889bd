export * from './schema.js'
export * from './policy.js'
export * from './load.js'
export * from './exceptions.js'
