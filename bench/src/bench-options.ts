/**
 * `pnpm bench` flags → what to run. Suites are groups of parts: micro (frames, crypto, utrn),
 * targeted (pool, keys, fleet, ingest), whole-run (engine-run, scenarios, segments) and soak
 * (a long run for memory growth: nightly only, so not in `all`); `--suite` takes a group, a part, `engine` (fleet + engine-run) or a comma-separated list of
 * them. Bad input is a BenchUsageError naming the flag, the value and what is allowed (exit 2,
 * nothing runs).
 */
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SlowdownError, slowdownFactor } from './slowdown.js';

export const GROUPS = {
  micro: ['frames', 'crypto', 'utrn'],
  targeted: ['pool', 'keys', 'fleet', 'ingest'],
  'whole-run': ['engine-run', 'scenarios', 'segments'],
  soak: ['soak'],
} as const;

export type Part = (typeof GROUPS)[keyof typeof GROUPS][number];
export const PARTS: readonly Part[] = Object.values(GROUPS).flat();
/** What `all` (the default) runs: every part but the soak, which takes minutes even at QUICK sizes. */
export const DEFAULT_PARTS: readonly Part[] = PARTS.filter((p) => p !== 'soak');
const ALIASES: Record<string, readonly Part[]> = {
  ...GROUPS,
  all: DEFAULT_PARTS,
  engine: ['fleet', 'engine-run'],
};

export const BENCH_HELP = `pnpm bench [--suite NAME[,NAME…]] [--json FILE] [--quick] [--check] [--machine-kind]

  --suite          what to run (default all: every group but soak):
                     micro      frames, crypto, utrn
                     targeted   pool, keys, fleet, ingest
                     whole-run  engine-run, scenarios, segments
                     soak       one long run, RSS sampled per simulated day (nightly)
                     engine     fleet, engine-run
                   or any part by name, e.g. --suite crypto,ingest
  --json FILE      also write the results, machine, git revision and limits as JSON to FILE
                   (folders are created; a relative FILE is taken from the repository root
                   under "pnpm bench", from the current folder under "node bench/dist/main.js")
  --quick          small sizes: a smoke run, not figures to keep
  --check          exit 1 when a target is missed
  --machine-kind   print this machine's kind (the baseline's file name) and exit

Environment: GBFLEET_BENCH_SLOWDOWN=F (1 to 10) deliberately slows the frame-decode micro
bench by F, to see the regression gate trip (docs/benchmarks.md). Never keep such a file.
Exit codes: 0 done, 1 a target missed under --check (or the bench failed), 2 bad flags.
`;

export interface BenchOptions {
  parts: Set<Part>;
  /** Absolute path, or undefined. */
  json: string | undefined;
  quick: boolean;
  check: boolean;
  help: boolean;
  machineKind: boolean;
  slowdown: number;
}

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

export function parseBenchOptions(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): BenchOptions {
  let values: {
    suite?: string;
    json?: string;
    quick?: boolean;
    check?: boolean;
    help?: boolean;
    'machine-kind'?: boolean;
  };
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        suite: { type: 'string' },
        json: { type: 'string' },
        quick: { type: 'boolean' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        'machine-kind': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  const parts = new Set<Part>();
  const suite = values.suite ?? 'all';
  for (const name of suite.split(',').map((s) => s.trim())) {
    const expanded = ALIASES[name] ?? (PARTS.includes(name as Part) ? [name as Part] : undefined);
    if (!expanded) {
      throw new BenchUsageError(
        `--suite ${JSON.stringify(suite)}: ${JSON.stringify(name)} is not a suite; use one of ${Object.keys(ALIASES).join(', ')}, or a part: ${PARTS.join(', ')}`,
      );
    }
    for (const part of expanded) parts.add(part);
  }
  let json: string | undefined;
  if (values.json !== undefined) {
    if (values.json.trim() === '') throw new BenchUsageError('--json needs a file name, got ""');
    // pnpm runs the bench script in bench/; INIT_CWD is where that pnpm started (the root script's
    // nested `pnpm --filter` starts in the repository root).
    json = isAbsolute(values.json) ? values.json : resolve(env.INIT_CWD || cwd, values.json);
  }
  let slowdown: number;
  try {
    slowdown = slowdownFactor(env);
  } catch (error) {
    if (error instanceof SlowdownError) throw new BenchUsageError(error.message);
    throw error;
  }
  return {
    parts,
    json,
    quick: values.quick === true,
    check: values.check === true,
    help: values.help === true,
    machineKind: values['machine-kind'] === true,
    slowdown,
  };
}
