/**
 * `gbfleet demo`: the foundation's main job until the scenario engine lands. Builds a simulated
 * fleet's key material in the worker pool, sends a round of real critical commands (supplier
 * ECDSA signature + ACB MAC) that meters check (MAC, originator counter, signature), then replays
 * the same frames and sends tampered copies to show the meters reject them. Prints throughput.
 */
import {
  type CryptoPool,
  demoCommands,
  demoPoolOptions,
  type FrameBatch,
  planBatches,
  selectCommands,
  withCryptoPool,
} from '@gbfleet/core';
import { type OUTCOME_CODE, outcomeName } from '@gbfleet/gbcs';
import { parseCommandArgs } from '../command-args.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { parseCount } from '../parse-number.js';

export const DEMO_HELP = `gbfleet demo [--meters N] [--commands N] [--workers N] [--batch N] [--seed S] [--json]

Signs, MACs and verifies a round of critical commands for a simulated fleet in the worker pool:
  1. derives device key material (the ECDH secret behind each meter's MAC) for every meter;
  2. the supplier signs and the DCC's ACB MACs --commands commands to distinct meters;
  3. the meters check MAC, originator counter and signature, and accept them;
  4. the same frames are replayed (meters must answer GBCS_REPLAY), and tampered copies are sent
     (GBCS_MAC_INVALID).
Prints each phase's throughput. Exits 1 if any meter's answer is not the expected one.

  --meters N     fleet size (default 200000)
  --commands N   commands in the round, at most --meters (default 40000)
  --workers N    worker threads (default: the machine's cores)
  --batch N      commands per pool task (default 512)
  --seed S       seed for keys and meter choice (default "gbfleet-demo")
  --json         print the summary as one JSON object on stdout
`;

interface Phase {
  name: string;
  items: number;
  seconds: number;
  outcomes?: Record<string, number>;
}

export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('demo', args, {
    meters: { type: 'string' },
    commands: { type: 'string' },
    workers: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`demo takes flags only, got ${JSON.stringify(positionals[0])}`);
  if (values.help) {
    io.out(DEMO_HELP);
    return 0;
  }
  const meters = parseCount('--meters', values.meters, 200_000, 1, 20_000_000);
  const commands = parseCount('--commands', values.commands, Math.min(40_000, meters), 1, 20_000_000);
  if (commands > meters) {
    throw new UsageError(`--commands ${commands} exceeds --meters ${meters}: the demo sends one command per meter`);
  }
  const workers = values.workers === undefined ? undefined : parseCount('--workers', values.workers, 1, 1, 64);
  const batch = parseCount('--batch', values.batch, 512, 1, 65_536);
  const seed = typeof values.seed === 'string' ? values.seed : 'gbfleet-demo';
  if (seed.length === 0) throw new UsageError('--seed must not be empty');

  const progress = (line: string) => io.err(`${line}\n`);
  const phases: Phase[] = [];
  let ok = true;
  await withCryptoPool(demoPoolOptions(seed, meters, workers), async (pool) => {
    progress(
      `demo: ${meters.toLocaleString('en-GB')} meters, ${commands.toLocaleString('en-GB')} commands, ${pool.workers} worker(s), batches of ${batch}`,
    );
    progress('demo: deriving device key material…');
    phases.push(await timed('derive key material', meters, () => pool.deriveKeys()));

    const batch0 = demoCommands(seed, meters, commands);
    const plan = planBatches(batch0.device, shardSizeFor(meters, pool.workers), batch);
    const tasks = plan.map((entry, i) => ({
      shard: entry.shard,
      step: i,
      batch: selectCommands(batch0, entry.positions),
    }));

    progress('demo: supplier signs, ACB MACs…');
    let signed: Array<{ shard: number; step: number; frames: FrameBatch }> = [];
    phases.push(
      await timed('sign + MAC', commands, async () => {
        signed = await Promise.all(
          tasks.map(async (t) => ({ shard: t.shard, step: t.step, frames: await pool.sign(t.batch, t) })),
        );
      }),
    );
    // Keep copies: verifying transfers the frames' buffers to a worker.
    const replayCopies = signed.map((s) => ({ ...s, frames: copyFrames(s.frames) }));
    const tamperedCopies = signed.map((s) => ({ ...s, frames: tamper(copyFrames(s.frames)) }));

    progress('demo: meters check MAC, counter, signature…');
    const accepted = await deliver(pool, 'deliver + check', signed, phases);
    ok &&= expectAll(accepted, 'ACCEPTED', io);
    progress('demo: replaying the same frames…');
    const replayed = await deliver(pool, 'replay (must be rejected)', replayCopies, phases);
    ok &&= expectAll(replayed, 'GBCS_REPLAY', io);
    progress('demo: sending tampered frames…');
    const tampered = await deliver(pool, 'tampered (must be rejected)', tamperedCopies, phases);
    ok &&= expectAll(tampered, 'GBCS_MAC_INVALID', io);
  });

  const complete = phases.filter((p) => p.name === 'sign + MAC' || p.name === 'deliver + check');
  const completeSeconds = complete.reduce((s, p) => s + p.seconds, 0);
  const summary = {
    meters,
    commands,
    workers: workers ?? null,
    batch,
    seed,
    phases: phases.map((p) => ({ ...p, perSecond: Math.round(p.items / p.seconds) })),
    completeCriticalCommandsPerSecond: Math.round(commands / completeSeconds),
    ok,
  };
  if (values.json) {
    io.out(`${JSON.stringify(summary)}\n`);
  } else {
    io.out(renderSummary(summary.phases, summary.completeCriticalCommandsPerSecond, ok));
  }
  return ok ? 0 : 1;
}

async function deliver(
  pool: CryptoPool,
  name: string,
  batches: Array<{ shard: number; step: number; frames: FrameBatch }>,
  phases: Phase[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const items = batches.reduce((n, b) => n + b.frames.device.length, 0);
  const phase = await timed(name, items, async () => {
    const results = await Promise.all(batches.map((b) => pool.verify(b.frames, b)));
    for (const outcomes of results) {
      for (const code of outcomes) {
        const key = outcomeName(code);
        counts[key] = (counts[key] ?? 0) + 1;
      }
    }
  });
  phases.push({ ...phase, outcomes: counts });
  return counts;
}

function expectAll(counts: Record<string, number>, expected: keyof typeof OUTCOME_CODE, io: CliIo): boolean {
  const others = Object.entries(counts).filter(([k]) => k !== expected);
  if (others.length === 0) return true;
  io.err(`demo: expected every meter to answer ${expected}, got ${JSON.stringify(counts)}\n`);
  return false;
}

async function timed(name: string, items: number, fn: () => Promise<unknown>): Promise<Phase> {
  const start = process.hrtime.bigint();
  await fn();
  return { name, items, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** Shards of contiguous meters, a few per worker, so batches spread over the pool. */
function shardSizeFor(meters: number, workers: number): number {
  return Math.max(1, Math.ceil(meters / (workers * 8)));
}

function copyFrames(batch: FrameBatch): FrameBatch {
  return {
    device: batch.device.slice(),
    critical: batch.critical.slice(),
    frames: { bytes: batch.frames.bytes.slice(), offsets: batch.frames.offsets.slice() },
  };
}

/** Flips one bit inside each frame's payload region (covered by both signature and MAC). */
function tamper(batch: FrameBatch): FrameBatch {
  const { bytes, offsets } = batch.frames;
  for (let i = 0; i + 1 < offsets.length; i++) {
    const start = offsets[i] as number;
    const end = offsets[i + 1] as number;
    // Well inside the APDU: past the wrapper and header, before signature and MAC.
    const at = start + Math.floor((end - start) / 2);
    bytes[at] = (bytes[at] as number) ^ 0x01;
  }
  return batch;
}

function renderSummary(phases: Array<Phase & { perSecond: number }>, completePerSecond: number, ok: boolean): string {
  const rows = phases.map((p) => [
    p.name,
    p.items.toLocaleString('en-GB'),
    p.seconds.toFixed(2),
    p.perSecond.toLocaleString('en-GB'),
    p.outcomes
      ? Object.entries(p.outcomes)
          .map(([k, v]) => `${k} ${v.toLocaleString('en-GB')}`)
          .join(', ')
      : '',
  ]);
  const header = ['phase', 'items', 'seconds', 'per second', 'meter answers'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n\ncomplete critical commands (sign + MAC, then check): ${completePerSecond.toLocaleString('en-GB')}/s\n${ok ? 'every meter answered as expected' : 'SOME METERS ANSWERED UNEXPECTEDLY'}\n`;
}
