// `npm run osv-db -- <records-dir> <out-dir> [--ecosystem X]...`: osv-scanner's offline database from
// OSV JSON records (the same command ships as dist/sca/osv-db/index.js for users of the action).
import { runOsvDbCommand } from '../packages/core/src/sca/osv-db-command.js'

process.exitCode = runOsvDbCommand(process.argv.slice(2), line => console.log(line))
