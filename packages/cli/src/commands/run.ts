/**
 * `gbfleet run SCENARIO.yaml`: loads and validates the scenario, runs the engine with the
 * scenario packages' plug-ins, writes the run database (DuckDB, under a temporary name until the
 * run ends), shows progress, and prints a summary. Ctrl-C or SIGTERM stops at the end of the
 * current step and marks the run interrupted; a failed worker marks it failed and names the shard
 * and step. Either way the rows of the steps done are kept.
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  checkCheckpointable,
  type RunSummary,
  type ScenarioPlugin,
  type ScenarioSpec,
  SEED_MAX_LENGTH,
  segmentRange,
} from '@gbfleet/core';
import { gbfleetCodeOf } from '@gbfleet/gbcs';
import { checkSegmentOut } from '@gbfleet/reports';
import { parseCommandArgs } from '../command-args.js';
import { InputError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { makeFolder } from '../make-folder.js';
import { checkRunFits, parseMemorySize } from '../memory-check.js';
import { parseCount } from '../parse-number.js';
import { createPlugins, pluginEventTypes, pluginSections } from '../plugins.js';
import { duration } from '../progress.js';
import { loadScenarioVariants } from '../scenario-file.js';
import { summaryValue } from '../scenario-sweep.js';
import { segmentOf } from '../segment-flags.js';
import { checkResumeFlags, type ResumePoint, resumePointOf } from './run-resume.js';
import { runSegment, segmentOutFor, segmentRunId } from './run-segment.js';
import { runToDatabase, slug, stopLadder } from './run-to-database.js';

export { runToDatabase, type StopLadder, stopLadder } from './run-to-database.js';

export const RUN_HELP = `gbfleet run SCENARIO.yaml [--meters N] [--seed S] [--workers W] [--days D] [--out DIR] [--json]
                    [--shard-meters M] [--segment K/N | --segments N | --segment auto] [--variant vNN]
                    [--checkpoint-every H] [--max-memory SIZE]
       gbfleet run --resume RUN.duckdb.partial [--workers W] [--json] [--max-memory SIZE]

Runs a scenario: builds the fleet, steps simulated time, sends every command as a real signed
and MAC'd frame through the DCC model to the meters, and writes a DuckDB run database. A file
with a sweep: block runs once per combination of its values (one database each) and ends with
a comparison table (see docs/scenarios.md).

  --meters N    fleet size, overriding the scenario's fleet.meters
  --seed S      seed, overriding the scenario's (at most 200 characters, as in the file;
                same scenario + seed = same outcomes)
  --workers W   worker threads (default: the machine's cores); outcomes do not depend on it
  --days D      simulated days, overriding the scenario's
  --out DIR     where the run database goes (default: runs/; made if missing). Each run
                gets its own file, <scenario>-s<seed>-<UTC time>-<6 hex>.duckdb
  --json        print the summary as one JSON object on stdout (with the database path)
  --shard-meters M  meters per shard, overriding fleet.shardMeters (default 131,072): the
                unit of segments and of what couples meters, so it is part of the model
  --segment K/N run segment K (from 0) of N, whole shards only. The run id comes from the
                scenario as run and N, so all segments agree on it. --out DIR is the folder
                the segments share (Parquet per table, then a manifest; a sweep's variants
                each get DIR/vNN); "gbfleet merge DIR" makes the run database. Running
                segment K again replaces K's files only.
  --segments N  N segments, K from the scheduler: JOB_COMPLETION_INDEX (Kubernetes Indexed
                Job), AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch), SLURM_ARRAY_TASK_ID (Slurm);
                in a Slurm job array "--segment auto" takes N from SLURM_ARRAY_TASK_COUNT
  --variant vNN run only this variant of a sweep (a sweep splits by variant as well)
  --task-timeout S  fail the run when one shard's task takes over S seconds (default: 20 ×
                the median of its peers, at least 30 s): a hung worker fails the run, naming
                the shard and step, rather than stopping it forever
  --checkpoint-every H  take a checkpoint every H simulated hours (default: about every 5
                minutes of wall time; 0: none). A checkpoint holds the run's whole state
                beside its .partial database, written atomically; a killed run goes on
                from the last one with --resume, and ends exactly as if never stopped
  --max-memory SIZE  refuse the run, before anything runs (exit 2), when its estimated peak
                memory is above SIZE (e.g. 12G; default: the memory free now). The estimate
                comes from the scenario: meters, workers, the run database
  --resume RUN  go on with a killed run from its last checkpoint: RUN is its .duckdb.partial
                (or the .duckdb name it will have). The scenario, seed and segment are the
                checkpoint's. A segment run again (a scheduler's retry) resumes by itself

Progress goes to stderr. Ctrl-C or SIGTERM stops at the end of the current step: the steps
done are written and the run is marked interrupted. A second one drops the step in flight and
stops at once, keeping the steps done; a third quits without writing. A failed run keeps the
rows of the steps before the failure. Query the result with "gbfleet query".
Exit codes: 0 completed, 1 failed or interrupted, 2 bad scenario or flags (nothing ran).
`;

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', args, {
    meters: { type: 'string' },
    seed: { type: 'string' },
    workers: { type: 'string' },
    days: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    'shard-meters': { type: 'string' },
    segment: { type: 'string' },
    segments: { type: 'string' },
    variant: { type: 'string' },
    'task-timeout': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    resume: { type: 'string' },
    'max-memory': { type: 'string' },
  });
  if (values.help) {
    io.out(RUN_HELP);
    return 0;
  }
  if (values.resume !== undefined) return resumeRun(values, positionals, io);
  if (positionals.length !== 1) {
    throw new UsageError(`run needs exactly one scenario file, got ${positionals.length}: see "gbfleet help run"`);
  }
  const file = positionals[0] as string;
  const loaded = await loadScenarioVariants(file, {
    pluginEventTypes: pluginEventTypes(),
    pluginSections: pluginSections(),
  });
  const segment = segmentOf(values, io.env());
  const sweep = loaded.variants.length > 1;
  const outDir = resolve(typeof values.out === 'string' ? values.out : 'runs');
  // Every variant is checked (overrides, plug-in sections, the segment) before any of them runs.
  const prepared = variantsToRun(loaded.variants, values.variant).map((variant) => {
    const spec = withOverrides(variant.spec, values);
    const label = sweep ? variant.label : undefined;
    if (segment) {
      segmentRange(spec.fleet.meters, spec.fleet.shardMeters, segment);
      checkSegmentOut(segmentOutFor(outDir, label), segmentRunId(spec, segment.count, label));
    }
    const plugins = createScenarioPlugins(spec, file);
    return { variant, label, spec, plugins, checkpointEvery: checkpointStepsOf(values, spec, plugins, io) };
  });
  const { workers, watchdog } = workersAndWatchdog(values);
  const maxMemory =
    values['max-memory'] === undefined ? undefined : parseMemorySize('--max-memory', values['max-memory']);
  for (const { spec } of prepared) checkRunFits(spec, { workers, segment, maxMemory });
  await prepareOutDir(outDir);
  const stop = stopLadder(io);
  const done: Array<{
    label: string;
    assignments: Array<{ path: string; value: unknown }>;
    summary: RunSummary;
    database: string;
  }> = [];
  try {
    for (const { variant, label, spec, plugins, checkpointEvery } of prepared) {
      if (stop.endOfStep.aborted) break;
      if (sweep) {
        const what = variant.assignments.map((a) => `${a.path}=${JSON.stringify(a.value)}`).join(', ');
        io.err(`run: sweep variant ${variant.label} of ${loaded.variants.length}: ${what}\n`);
      }
      const runId = `${slug(spec.name)}-s${slug(spec.seed)}-${wallClockStamp()}-${uniqueSuffix()}${label ? `-${label}` : ''}`;
      const { summary, database } = segment
        ? await runSegment({
            spec,
            plugins,
            segment,
            outDir: segmentOutFor(outDir, label),
            label,
            scenarioHash: loaded.hash,
            workers,
            io,
            stop,
            ...(watchdog ? { watchdog } : {}),
            checkpointEvery,
          })
        : await runToDatabase(spec, plugins, runId, join(outDir, `${runId}.duckdb`), loaded.hash, workers, io, stop, {
            ...(watchdog ? { watchdog } : {}),
            checkpointEvery,
          });
      done.push({ label: variant.label, assignments: variant.assignments, summary, database });
      if (!values.json) io.out(formatSummary(summary, database));
    }
  } finally {
    stop.stopListening();
  }
  const allCompleted = done.length === prepared.length && done.every((d) => d.summary.status === 'completed');
  if (values.json) {
    const one = done[0];
    if (!sweep && one) io.out(`${JSON.stringify({ ...one.summary, database: one.database })}\n`);
    else
      io.out(
        `${JSON.stringify({ compare: loaded.compare, variants: done.map((d) => ({ ...d, summary: d.summary })) })}\n`,
      );
  } else if (sweep) {
    io.out(formatComparison(done, loaded.compare));
  }
  return allCompleted ? 0 : 1;
}

function workersAndWatchdog(values: Record<string, string | boolean | undefined>) {
  const workers = parseCount('--workers', values.workers, availableParallelism(), 1, 256);
  const taskTimeout =
    values['task-timeout'] === undefined
      ? undefined
      : parseCount('--task-timeout', values['task-timeout'], 0, 1, 86_400);
  const watchdog = taskTimeout === undefined ? undefined : { limitMs: taskTimeout * 1000 };
  return { workers, watchdog };
}

/**
 * Steps between checkpoints from --checkpoint-every (simulated hours; 0: none), or the
 * wall-clock default. A plug-in that cannot be checkpointed is refused when asked for by flag,
 * and by default just means no checkpoints (said once).
 */
function checkpointStepsOf(
  values: Record<string, string | boolean | undefined>,
  spec: ScenarioSpec,
  plugins: readonly ScenarioPlugin[],
  io: CliIo,
): number | 'wall-clock' {
  const given = values['checkpoint-every'];
  const hours = given === undefined ? undefined : checkpointHoursOf(given);
  if (hours === 0) return 0;
  try {
    checkCheckpointable(plugins);
  } catch (error) {
    if (hours !== undefined) throw new UsageError(`--checkpoint-every: ${(error as Error).message}`);
    io.err(`run: ${(error as Error).message}; it runs without checkpoints\n`);
    return 0;
  }
  return hours === undefined ? 'wall-clock' : Math.max(1, Math.round((hours * 60) / spec.stepMinutes));
}

function checkpointHoursOf(value: string | boolean): number {
  const text = typeof value === 'string' ? value.trim() : '';
  const hours = text === 'off' ? 0 : /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(hours >= 0 && hours <= 87_600)) {
    throw new UsageError(
      `--checkpoint-every ${JSON.stringify(value)} is not a number of simulated hours: use 0 (or off) to 87,600`,
    );
  }
  return hours;
}

/** `gbfleet run --resume RUN`: the checkpoint's run, from its step, to the end. */
async function resumeRun(
  values: Record<string, string | boolean | undefined>,
  positionals: readonly string[],
  io: CliIo,
): Promise<number> {
  checkResumeFlags(values, positionals);
  const point: ResumePoint = resumePointOf(String(values.resume));
  const plugins = createScenarioPlugins(point.spec, point.finalPath);
  const checkpointEvery = checkpointStepsOf(values, point.spec, plugins, io);
  const { workers, watchdog } = workersAndWatchdog(values);
  const maxMemory =
    values['max-memory'] === undefined ? undefined : parseMemorySize('--max-memory', values['max-memory']);
  checkRunFits(point.spec, { workers, segment: point.segment ?? undefined, maxMemory });
  const stop = stopLadder(io);
  let result: { summary: RunSummary; database: string };
  try {
    const engine = {
      ...(watchdog ? { watchdog } : {}),
      checkpointEvery,
    };
    result = point.segment
      ? await runSegment({
          spec: point.spec,
          plugins,
          segment: point.segment,
          outDir: dirname(dirname(point.finalPath)),
          label: /-n\d+-(v\d+)$/.exec(point.runId)?.[1],
          scenarioHash: point.scenarioHash,
          workers,
          io,
          stop,
          mustResume: true,
          ...engine,
        })
      : await runToDatabase(point.spec, plugins, point.runId, point.finalPath, point.scenarioHash, workers, io, stop, {
          ...engine,
          resume: point.checkpoint,
        });
  } finally {
    stop.stopListening();
  }
  if (values.json) io.out(`${JSON.stringify({ ...result.summary, database: result.database })}\n`);
  else io.out(formatSummary(result.summary, result.database));
  return result.summary.status === 'completed' ? 0 : 1;
}

/** The sweep's ending: one row per variant, the swept values, then the compared figures. */
export function formatComparison(
  rows: Array<{ label: string; assignments: Array<{ path: string; value: unknown }>; summary: RunSummary }>,
  compare: readonly string[],
): string {
  if (rows.length === 0) return 'No variant ran.\n';
  const swept = (rows[0]?.assignments ?? []).map((a) => a.path);
  const header = ['variant', ...swept.map(shortPath), ...compare.map(shortPath), 'status'];
  const body = rows.map((r) => [
    r.label,
    ...r.assignments.map((a) => (typeof a.value === 'string' ? a.value : JSON.stringify(a.value))),
    ...compare.map((path) => cell(summaryValue(r.summary, path))),
    r.summary.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return ['', 'Comparison:', line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), ''].join('\n');
}

function shortPath(path: string): string {
  return path.replace(/^figures\.[a-z-]+: /, '').replace(/^plugins\./, '');
}

function cell(value: unknown): string {
  if (value === undefined) return '0';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-GB') : value.toFixed(1);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Plug-ins validate their own sections; their ScenarioErrors are bad input like the file's. */
function createScenarioPlugins(spec: ScenarioSpec, file: string) {
  try {
    return createPlugins(spec);
  } catch (error) {
    if (gbfleetCodeOf(error) === 'GBF_SCENARIO')
      throw new InputError(`${file}: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}

/** Why a folder cannot take run databases, by errno; anything else is not the user's to fix. */
const OUT_DIR_PROBLEMS: Record<string, string> = {
  EEXIST: 'is a file, not a folder',
  ENOTDIR: 'is inside a file, not a folder',
  ENOENT: 'cannot be made: a folder above it does not exist and cannot be created',
  EROFS: 'is on a read-only file system',
  EACCES: 'is not writable (permission denied)',
  EPERM: 'is not writable (operation not permitted)',
};

/**
 * Makes the --out folder and proves it takes a file (a probe created and removed), so a bad place
 * is exit 2 naming the path before anything runs, not a raw errno halfway through.
 */
async function prepareOutDir(dir: string): Promise<void> {
  try {
    await makeFolder(dir);
    const probe = join(dir, `.gbfleet-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, '', { flag: 'wx' });
    await rm(probe);
  } catch (error) {
    const problem = OUT_DIR_PROBLEMS[(error as NodeJS.ErrnoException).code ?? ''];
    if (!problem) throw error;
    throw new UsageError(`--out ${dir} ${problem}`, { cause: error });
  }
}

function withOverrides(spec: ScenarioSpec, values: Record<string, string | boolean | undefined>): ScenarioSpec {
  const out = structuredClone(spec);
  if (values.meters !== undefined) out.fleet.meters = parseCount('--meters', values.meters, 0, 1, 50_000_000);
  if (values.days !== undefined) out.days = parseCount('--days', values.days, 0, 1, 3650);
  if (values['shard-meters'] !== undefined) {
    out.fleet.shardMeters = parseCount('--shard-meters', values['shard-meters'], 0, 1, 50_000_000);
  }
  if (values.seed !== undefined) {
    // The scenario file's rule: trimmed, 1 to SEED_MAX_LENGTH characters.
    const seed = typeof values.seed === 'string' ? values.seed.trim() : '';
    if (seed === '') throw new UsageError('--seed must not be empty');
    if (seed.length > SEED_MAX_LENGTH) {
      throw new UsageError(`--seed has ${seed.length} characters: at most ${SEED_MAX_LENGTH}, as in a scenario file`);
    }
    out.seed = seed;
  }
  return out;
}

/** The sweep's variants to run: all, or the one `--variant` names. */
function variantsToRun<T extends { label: string }>(variants: readonly T[], wanted: string | boolean | undefined): T[] {
  if (typeof wanted !== 'string') return [...variants];
  const found = variants.filter((v) => v.label === wanted.trim());
  if (found.length === 0) {
    const labels = variants.map((v) => v.label);
    throw new UsageError(
      `--variant ${JSON.stringify(wanted)}: ${labels.length === 1 ? 'the scenario has no sweep (its one variant is v01)' : `the sweep's variants are ${labels[0]} to ${labels[labels.length - 1]}`}`,
    );
  }
  return found;
}

/** Wall-clock time names the file only; it never reaches an outcome. */
/**
 * Six random hex digits: runs of one scenario and seed started in the same second (a job array,
 * a retry) still get their own id and file, so no run ever opens another's.
 */
function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}

function wallClockStamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export function formatSummary(s: RunSummary, path: string): string {
  const n = (x: number) => x.toLocaleString('en-GB');
  const lines = [
    `${s.status === 'completed' ? 'Completed' : 'Interrupted'}: ${s.scenario} (seed ${s.seed}), ${n(s.meters)} meters, ${s.stepsRun}/${s.stepsPlanned} steps, ${s.simulatedStart.slice(0, 10)} to ${s.simulatedEnd.slice(0, 16).replace('T', ' ')}`,
    '',
    `Commands   ${n(s.commands.total)}${s.commands.stillHeld > 0 ? ` (+${n(s.commands.stillHeld)} still held by the DCC)` : ''}`,
    ...Object.entries(s.commands.byReason)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => `  ${reason.padEnd(26)} ${n(count).padStart(12)}`),
    `Alerts     ${n(s.alerts.total)}`,
    ...Object.entries(s.alerts.byCode)
      .sort((a, b) => b[1] - a[1])
      .map(([code, count]) => `  ${code.padEnd(26)} ${n(count).padStart(12)}`),
    `Supply     ${n(s.supply.disabledEvents)} disablements, ${n(s.supply.enabledEvents)} restorations; off supply at the end ${n(s.supply.offSupplyAtEnd)} (vulnerable ${n(s.supply.vulnerableOffSupplyAtEnd)}), peak ${n(s.supply.peakOffSupply)}`,
    `Top-ups    ${n(s.topUps.requested)} wanted, ${n(s.topUps.sent)} sent, ${n(s.topUps.notVended)} not vended`,
    ...Object.entries(s.figures).map(([figure, value]) => `  ${figure}: ${n(value)}`),
    `Throughput ${duration(s.throughput.wallSeconds)} wall (build ${s.throughput.buildSeconds.toFixed(1)} s), ${n(Math.round(s.throughput.meterStepsPerSecond))} meter-steps/s, ${n(Math.round(s.throughput.commandsPerSecond))} commands/s on ${s.workers} workers`,
    `Database   ${path}`,
    '',
  ];
  return lines.join('\n');
}
