/**
 * `pnpm bench:compare BASE.json NEW.json [--threshold 10] [--json]`: the regression gate. Prints a
 * table of changes (or, with --json, one JSON report on stdout) and exits 0 when no tracked figure
 * regressed by more than the threshold, 1 when one did, 2 on bad input (flags or files; nothing
 * compared). `runCompare` does the work and returns the code, so tests call it in-process.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareResults, formatReport } from './compare.js';
import { type ResultFile, ResultFileError, readResultFile } from './result-file.js';

export const COMPARE_HELP = `pnpm bench:compare BASE.json NEW.json [--threshold PERCENT] [--json]

Compares two files written by "pnpm bench --json FILE", figure by figure.

  --threshold PERCENT  a tracked figure that is worse by more than this fails the gate (default 10)
  --json               print the report as one JSON object instead of the table

Figures with a machine limit (crypto, divided by "openssl speed" from the same run) are compared
by that ratio, so BASE and NEW may come from different machines; other figures gate only when
both files come from the same machine kind. Figures in one file only are listed, not failed; a
figure renamed since BASE (the pool's and key material's now name their crypto kernel; the old
ones were the JS kernel's) is compared under its new name.
Exit codes: 0 no regression, 1 a tracked figure regressed, 2 bad flags or files.
`;

export interface CompareIo {
  out(text: string): void;
  err(text: string): void;
}

export const DEFAULT_THRESHOLD = 10;

export async function runCompare(
  argv: readonly string[],
  io: CompareIo,
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): Promise<0 | 1 | 2> {
  const usage = (message: string): 2 => {
    io.err(`bench:compare: ${message}\n\n${COMPARE_HELP}`);
    return 2;
  };
  let parsed: { values: { threshold?: string; json?: boolean; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        threshold: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(COMPARE_HELP);
    return 0;
  }
  if (positionals.length !== 2) {
    return usage(`expected two files, BASE.json and NEW.json; got ${positionals.length}`);
  }
  let threshold = DEFAULT_THRESHOLD;
  if (values.threshold !== undefined) {
    const raw = values.threshold.trim();
    threshold = raw === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1000) {
      return usage(
        `--threshold ${JSON.stringify(values.threshold)} is not a percentage: use a number above 0 and at most 1000, e.g. 10`,
      );
    }
  }
  // pnpm runs root scripts in the repository root; INIT_CWD is where the user typed the command.
  const from = env.INIT_CWD || cwd;
  const [baseArg, newArg] = positionals as [string, string];
  let base: ResultFile;
  let next: ResultFile;
  try {
    base = await readResultFile(isAbsolute(baseArg) ? baseArg : resolve(from, baseArg), baseArg);
    next = await readResultFile(isAbsolute(newArg) ? newArg : resolve(from, newArg), newArg);
  } catch (error) {
    if (!(error instanceof ResultFileError)) throw error;
    io.err(`bench:compare: ${error.message}\n`);
    return 2;
  }
  const report = compareResults(base, next, threshold, { base: baseArg, new: newArg });
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.exitCode;
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  runCompare(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench:compare: failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
