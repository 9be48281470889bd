// Preloaded with --import when GNU time is missing: records this process's peak RSS (kB) at exit.
import { writeFileSync } from 'node:fs'

process.on('exit', () => {
  const file = process.env.SP_BENCH_RSS_FILE
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS))
})
