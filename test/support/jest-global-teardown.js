export { teardown as default } from './jest-global-temp.js'
