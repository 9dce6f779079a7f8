/**
 * Child process of the segments bench: one `gbfleet ARGS… --json` (a run, a segment of one, or a
 * merge) in a fresh process, so its peak memory (maxRSS, worker threads and DuckDB included) is
 * that command's own; the CLI is called in-process for that reason (in-process-cli.ts). Files it
 * writes are left for the caller. Prints one JSON line (`CliRun`). Usage: node cli-run-child.js ARGS…
 */
import { runCliInProcess } from './in-process-cli.js';

const args = process.argv.slice(2);
const { code, stdout, stderr, wallSeconds } = await runCliInProcess(args);
if (code !== 0) {
  process.stderr.write(`gbfleet ${args.join(' ')} exited ${code}:\n${stderr.slice(-4000)}\n`);
  process.exit(1);
}
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    wallSeconds,
    // Node's start-up and the CLI's import are the rest of the process's life.
    processSeconds: process.uptime(),
    maxRssBytes: usage.maxRSS * 1024,
    // User + system CPU of every thread: on a shared machine, steadier than the wall clock.
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    output: JSON.parse(stdout.trim()),
  })}\n`,
);
