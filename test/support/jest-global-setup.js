export { setup as default } from './jest-global-temp.js'
