/**
 * Child process of the whole-run suite: one `gbfleet run SCENARIO.yaml` (YAML loading, scenario
 * plug-ins, fleet build, every step, the DuckDB run database) in a fresh process, so its peak
 * memory is the run's own. It calls the built CLI in-process rather than spawning it, so
 * `process.resourceUsage()` covers the run (in-process-cli.ts).
 * Prints one JSON line. Usage: node scenario-run-child.js FILE METERS DAYS WORKERS OUT_DIR
 */
import { rmSync } from 'node:fs';
import { runCliInProcess } from './in-process-cli.js';

const [file, meters, days, workers, outDir] = process.argv.slice(2, 7) as [string, string, string, string, string];
const args = ['run', file, '--meters', meters, '--days', days, '--workers', workers, '--out', outDir, '--json'];
const { code, stdout, stderr, wallSeconds } = await runCliInProcess(args);
if (code !== 0) {
  process.stderr.write(`gbfleet ${args.join(' ')} exited ${code}:\n${stderr.slice(-4000)}\n`);
  process.exit(1);
}
const summary = JSON.parse(stdout.trim()) as { database?: string };
if (summary.database) rmSync(summary.database, { force: true });
process.stdout.write(
  `${JSON.stringify({ wallSeconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, summary })}\n`,
);
