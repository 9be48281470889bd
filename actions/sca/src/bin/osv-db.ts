// `node dist/sca/osv-db/index.js <records-dir> <out-dir>`: the offline database for the offline-db input.
import { runOsvDbCommand } from '@secure-pipeline/core/sca'

process.exitCode = runOsvDbCommand(process.argv.slice(2), line => console.log(line))
