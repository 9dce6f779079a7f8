/**
 * Child process of the whole-run suite: one `gbfleet run SCENARIO.yaml` (YAML loading, scenario
 * plug-ins, fleet build, every step, the DuckDB run database) in a fresh process, so its peak
 * memory is the run's own. It calls the built CLI in-process rather than spawning it, so
 * `process.resourceUsage()` covers the run. The CLI is loaded by path: bench does not depend on
 * @gbfleet/cli as a package, and measures exactly what a user runs.
 * Prints one JSON line. Usage: node scenario-run-child.js FILE METERS DAYS WORKERS OUT_DIR
 */
import { rmSync } from 'node:fs';

interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly errIsTty: boolean;
  onInterrupt(handler: () => void): () => void;
}

const [file, meters, days, workers, outDir] = process.argv.slice(2, 7) as [string, string, string, string, string];
const fromSource = import.meta.url.endsWith('.ts');
const cliEntry = new URL(
  fromSource ? '../../../packages/cli/src/main.ts' : '../../../packages/cli/dist/main.js',
  import.meta.url,
);
const cli = (await import(cliEntry.href)) as { runCli(argv: readonly string[], io: CliIo): Promise<number> };
const stdout: string[] = [];
const stderr: string[] = [];
const io: CliIo = {
  out: (text) => void stdout.push(text),
  err: (text) => void stderr.push(text),
  errIsTty: false,
  onInterrupt: () => () => {},
};
const args = ['run', file, '--meters', meters, '--days', days, '--workers', workers, '--out', outDir, '--json'];
const started = performance.now();
const code = await cli.runCli(args, io);
const wallSeconds = (performance.now() - started) / 1000;
if (code !== 0) {
  process.stderr.write(`gbfleet ${args.join(' ')} exited ${code}:\n${stderr.join('').slice(-4000)}\n`);
  process.exit(1);
}
const summary = JSON.parse(stdout.join('').trim()) as { database?: string };
if (summary.database) rmSync(summary.database, { force: true });
process.stdout.write(
  `${JSON.stringify({ wallSeconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, summary })}\n`,
);
