/**
 * Targeted: complete critical commands through the piscina pool — sign + MAC on the sender side,
 * then MAC check + counter check + signature verify on the meter side — for each crypto kernel
 * (native where it is built, and JS to compare), worker count and batch size in the configuration
 * table. One iteration pushes a fixed number of commands (all tasks in flight at once) and checks
 * that every one was accepted.
 */
import {
  type CommandBatch,
  type CryptoPool,
  demoCommands,
  demoPoolOptions,
  planBatches,
  selectCommands,
  withCryptoPool,
} from '@gbfleet/core';
import { type CryptoKernelName, OUTCOME_CODE } from '@gbfleet/gbcs';
import { Bench } from 'tinybench';
import type { BenchSizes } from '../configurations.js';
import { type BenchResult, ratesFromBench } from '../result.js';

export function poolTaskName(workers: number, batchSize: number, crypto: CryptoKernelName): string {
  return `pool/complete-critical-command (${workers} worker${workers > 1 ? 's' : ''}, batch ${batchSize}, ${crypto})`;
}

/** A pool on the kernel asked for; it fails if the pool took another (the figure would lie). */
function checkedKernel(pool: CryptoPool, crypto: CryptoKernelName): void {
  if (pool.crypto !== crypto) throw new Error(`asked for the ${crypto} kernel, the pool uses ${pool.crypto}`);
}

export async function runPoolBench(
  sizes: BenchSizes,
  kernels: readonly CryptoKernelName[],
  log: (line: string) => void,
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const seed = 'bench-pool';
  for (const crypto of kernels) {
    for (const workers of sizes.poolWorkerCounts) {
      results.push(...(await runPoolKernel(sizes, seed, crypto, workers, log)));
    }
  }
  return results;
}

async function runPoolKernel(
  sizes: BenchSizes,
  seed: string,
  crypto: CryptoKernelName,
  workers: number,
  log: (line: string) => void,
): Promise<BenchResult[]> {
  return withCryptoPool({ ...demoPoolOptions(seed, sizes.poolFleetSize, workers), crypto }, async (pool) => {
    checkedKernel(pool, crypto);
    log(
      `pool: deriving key material for ${sizes.poolFleetSize.toLocaleString('en-GB')} meters (${workers} worker(s), ${crypto})`,
    );
    await pool.deriveKeys();
    const bench = new Bench({ time: sizes.taskTimeMs, iterations: sizes.minIterations, throws: true });
    const perIteration: Record<string, number> = {};
    // Counters rise across iterations and tasks so meters never see a replay.
    let nextCounter = 0x1_0000_0000n;
    for (const batchSize of sizes.poolBatchSizes) {
      const count = sizes.poolCommandsPerIteration[batchSize] ?? 1024;
      const name = poolTaskName(workers, batchSize, crypto);
      perIteration[name] = count;
      let batches: Array<{ shard: number; batch: CommandBatch }> = [];
      bench.add(name, () => runAll(pool, batches), {
        beforeEach() {
          const commands = demoCommands(seed, sizes.poolFleetSize, count, nextCounter);
          nextCounter += BigInt(count);
          // One shard per batch here: the pool's own policy groups by shard, then cuts.
          batches = planBatches(commands.device, sizes.poolFleetSize, batchSize).map((entry) => ({
            shard: entry.shard,
            batch: selectCommands(commands, entry.positions),
          }));
        },
      });
    }
    log(`pool: measuring ${workers} worker(s), ${crypto}, at batch sizes ${sizes.poolBatchSizes.join(', ')}`);
    await bench.run();
    return ratesFromBench(bench, perIteration, 'commands/s', 'targeted');
  });
}

async function runAll(pool: CryptoPool, batches: Array<{ shard: number; batch: CommandBatch }>): Promise<void> {
  const outcomes = await Promise.all(batches.map(({ shard, batch }, step) => pool.roundTrip(batch, { shard, step })));
  for (const batch of outcomes) {
    for (const code of batch) {
      if (code !== OUTCOME_CODE.ACCEPTED)
        throw new Error(`a command was rejected (outcome ${code}): the bench is wrong`);
    }
  }
}

export interface PairedRound {
  limit: number;
  pool: number;
  ratio: number;
}

/**
 * The pool against a limit (Node's own, or OpenSSL's), measured in turns (limit, pool, limit,
 * pool, …) so that both see the same machine: on a shared host the speed drifts by several per
 * cent between two measurements minutes apart, which would swamp a ratio taken from one of each.
 * The median round decides the target.
 */
export async function measurePairedPoolRatio(
  sizes: BenchSizes,
  workers: number,
  crypto: CryptoKernelName,
  rounds: number,
  measureLimit: () => Promise<number>,
  log: (line: string) => void,
): Promise<{ rounds: PairedRound[]; median: PairedRound }> {
  const seed = 'bench-pool-paired';
  const batchSize = Math.max(...sizes.poolBatchSizes);
  const count = (sizes.poolCommandsPerIteration[batchSize] ?? 1024) * 2;
  return withCryptoPool({ ...demoPoolOptions(seed, sizes.poolFleetSize, workers), crypto }, async (pool) => {
    checkedKernel(pool, crypto);
    await pool.deriveKeys();
    let nextCounter = 0x1_0000_0000n;
    const batchesFor = () => {
      const commands = demoCommands(seed, sizes.poolFleetSize, count, nextCounter);
      nextCounter += BigInt(count);
      return planBatches(commands.device, sizes.poolFleetSize, batchSize).map((entry) => ({
        shard: entry.shard,
        batch: selectCommands(commands, entry.positions),
      }));
    };
    await runAll(pool, batchesFor()); // warm-up, untimed
    const out: PairedRound[] = [];
    for (let r = 0; r < rounds; r++) {
      const limit = await measureLimit();
      const batches = batchesFor();
      const started = performance.now();
      await runAll(pool, batches);
      const rate = count / ((performance.now() - started) / 1000);
      out.push({ limit, pool: rate, ratio: rate / limit });
      log(
        `pool (${crypto}) vs limit, round ${r + 1}/${rounds}: ${Math.round(rate)} / ${Math.round(limit)} = ${((rate / limit) * 100).toFixed(1)} %`,
      );
    }
    const sorted = [...out].sort((a, b) => a.ratio - b.ratio);
    return { rounds: out, median: sorted[Math.floor(sorted.length / 2)] as PairedRound };
  });
}
