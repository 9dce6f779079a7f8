/**
 * The main-thread side of the worker pool (piscina): signs, MACs and verifies GBCS commands in
 * batches, and derives device key material, in worker threads. The worker entry is
 * `../worker/crypto-worker.ts` (compiled: `dist/worker/crypto-worker.js`); this file never imports
 * it — both sides share only `../worker-protocol.ts`. Close every pool: `withCryptoPool` does.
 */
import { availableParallelism } from 'node:os';
import {
  allocateMacSecretBuffers,
  type CryptoKernelName,
  chooseCryptoKernel,
  InvalidArgumentError,
  MAC_SECRET_BYTES,
} from '@gbfleet/gbcs';
import { Piscina } from 'piscina';
import { commandBatchBuffers, packedViews, uniqueBuffers } from '../command-batch.js';
import { WorkerTaskError } from '../errors.js';
import type { FleetState } from '../fleet/fleet-state.js';
import { MAX_PARTIES } from '../parties/party-table.js';
import type {
  CommandBatch,
  FleetBuildTask,
  FrameBatch,
  PhysicsInit,
  ShardStepResult,
  ShardStepTask,
  TaskPlace,
  TrustedPartyInit,
  WorkerInit,
  WorkerResult,
  WorkerTask,
} from '../worker-protocol.js';

/** Bytes of key material: 4 per device (where its Z is), 32 more per device that needed a Z. */
export const KEY_INDEX_BYTES_PER_DEVICE = 4;
export const KEY_BYTES_PER_DERIVED_DEVICE = 4 + MAC_SECRET_BYTES;

export interface CryptoPoolOptions {
  /** Worker threads; default: the machine's available parallelism. */
  workers?: number;
  seed: string;
  deviceCount: number;
  deviceEuiBase: bigint;
  acb: { eui: bigint; kaScalar: bigint };
  /** Parties that sign commands in the pool, referred to by index in a CommandBatch. */
  senders: Array<{ eui: bigint; dsScalar: bigint }>;
  /** Parties meters may trust; `supplierCellParty(device)` picks one per device (default 0). */
  trustedParties: TrustedPartyInit[];
  supplierCellParty?: (device: number) => number;
  /** Engine runs: the shared fleet (whose cells the meters check) and the physics constants. */
  fleet?: FleetState;
  physics?: PhysicsInit;
  /** The workers' crypto kernel; default: as GBFLEET_CRYPTO says (native where it is built). */
  crypto?: CryptoKernelName;
  /** Native kernel: verify the trusted parties' signatures with fixed-base tables (default true). */
  fixedBaseVerify?: boolean;
}

export class CryptoPool {
  readonly workers: number;
  readonly deviceCount: number;
  /** The kernel the workers sign, verify and MAC with. */
  readonly crypto: CryptoKernelName;
  readonly #piscina: Piscina<WorkerTask, WorkerResult>;
  readonly #supplierCellCounter: BigUint64Array;
  #closed = false;

  private constructor(piscina: Piscina<WorkerTask, WorkerResult>, init: WorkerInit, workers: number) {
    this.#piscina = piscina;
    this.workers = workers;
    this.deviceCount = init.deviceCount;
    this.crypto = init.crypto;
    this.#supplierCellCounter = new BigUint64Array(init.supplierCellCounter);
  }

  static open(options: CryptoPoolOptions): CryptoPool {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
      throw new InvalidArgumentError(`workers must be an integer from 1 to 256, got ${options.workers}`);
    }
    const { deviceCount } = options;
    if (!Number.isInteger(deviceCount) || deviceCount < 1 || deviceCount > 50_000_000) {
      throw new InvalidArgumentError(`deviceCount must be an integer from 1 to 50,000,000, got ${deviceCount}`);
    }
    if (options.trustedParties.length === 0 || options.trustedParties.length > MAX_PARTIES) {
      throw new InvalidArgumentError(`trustedParties must hold 1 to ${MAX_PARTIES} parties`);
    }
    if (options.fleet && options.fleet.meters !== deviceCount) {
      throw new InvalidArgumentError(`the fleet holds ${options.fleet.meters} meters, not deviceCount ${deviceCount}`);
    }
    const supplierCell = options.fleet?.buffers.supplierCell ?? new SharedArrayBuffer(deviceCount);
    const cells = new Uint8Array(supplierCell);
    if (options.supplierCellParty) {
      for (let d = 0; d < deviceCount; d++) {
        const party = options.supplierCellParty(d);
        if (!(party >= 0 && party < options.trustedParties.length)) {
          throw new InvalidArgumentError(`supplierCellParty(${d}) = ${party} is not a trusted party index`);
        }
        cells[d] = party;
      }
    }
    const init: WorkerInit = {
      seed: options.seed,
      deviceCount,
      deviceEuiBase: options.deviceEuiBase,
      acb: { eui: options.acb.eui, kaScalarHex: scalarHex(options.acb.kaScalar) },
      senders: options.senders.map((s) => ({ eui: s.eui, dsScalarHex: scalarHex(s.dsScalar) })),
      trustedParties: options.trustedParties,
      supplierCell,
      supplierCellCounter: options.fleet?.buffers.supplierCellCounter ?? new SharedArrayBuffer(deviceCount * 8),
      macSecrets: allocateMacSecretBuffers(deviceCount),
      // Chosen here, so a bad GBFLEET_CRYPTO fails before any worker starts.
      crypto: options.crypto ?? chooseCryptoKernel().kernel.name,
      fixedBaseVerify: options.fixedBaseVerify ?? true,
      ...(options.fleet ? { fleet: options.fleet.buffers } : {}),
      ...(options.physics ? { physics: options.physics } : {}),
    };
    const piscina = new Piscina<WorkerTask, WorkerResult>({
      filename: workerEntryUrl(),
      minThreads: workers,
      maxThreads: workers,
      // Idle workers keep their parsed keys and caches for the whole run.
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: init,
    });
    return new CryptoPool(piscina, init, workers);
  }

  /** Derives Z for devices [lo, hi) in tasks of `taskSize` devices (ahead of use). Idempotent. */
  async deriveKeys(lo = 0, hi = this.deviceCount, taskSize = 16_384): Promise<number> {
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && lo <= hi && hi <= this.deviceCount)) {
      throw new InvalidArgumentError(`device range [${lo}, ${hi}) is outside [0, ${this.deviceCount})`);
    }
    const tasks: Promise<WorkerResult>[] = [];
    for (let start = lo, shard = 0; start < hi; start += taskSize, shard++) {
      const task: WorkerTask = { type: 'derive-keys', lo: start, hi: Math.min(hi, start + taskSize), shard, step: 0 };
      tasks.push(this.#run(task, []));
    }
    let devices = 0;
    for (const result of await Promise.all(tasks)) {
      if (result.type === 'keys-derived') devices += result.devices;
    }
    return devices;
  }

  /**
   * Builds the pool's fleet (opened with `fleet`), one task per range, the workers taking them as
   * they come free (worker/fleet-build.ts). `build` is what every task shares; a range may bring
   * its snapshot to fill. Returns the meters built.
   */
  async buildFleet(
    build: Omit<FleetBuildTask, 'lo' | 'hi' | 'snapshot'>,
    ranges: ReadonlyArray<Pick<FleetBuildTask, 'lo' | 'hi' | 'snapshot'> & { shard: number }>,
  ): Promise<number> {
    const built = await Promise.all(
      ranges.map(async ({ shard, ...range }) => {
        const result = await this.#run({ type: 'build-fleet', build: { ...build, ...range }, shard, step: 0 }, []);
        return expect(result, 'fleet-built', { shard, step: 0 }).meters;
      }),
    );
    return built.reduce((sum, meters) => sum + meters, 0);
  }

  /**
   * A full garbage collection in every worker at once (worker/garbage-collection.ts). Returns, per
   * worker, the heap it still uses after it (bytes) and its thread id.
   */
  async collectGarbage(step = 0): Promise<Array<{ heapUsedBytes: number; threadId: number }>> {
    const barrier = new SharedArrayBuffer(4);
    const tasks = Array.from({ length: this.workers }, (_, shard) =>
      this.#run({ type: 'collect-garbage', barrier, workers: this.workers, shard, step }, []),
    );
    return (await Promise.all(tasks)).map((r) => {
      const { heapUsedBytes, threadId } = expect(r, 'collected', { shard: -1, step });
      return { heapUsedBytes, threadId };
    });
  }

  /** Signs (critical) and MACs each command: the sender side. The batch's buffers are transferred. */
  async sign(batch: CommandBatch, place: TaskPlace): Promise<FrameBatch> {
    const result = await this.#run({ type: 'sign-commands', batch, ...place }, commandBatchBuffers(batch));
    return expect(result, 'signed', place).batch;
  }

  /** Delivers frames to meters: MAC, counter and signature checks. One outcome code per frame. */
  async verify(batch: FrameBatch, place: TaskPlace): Promise<Uint8Array> {
    const buffers = uniqueBuffers([batch.device, batch.critical, ...packedViews(batch.frames)]);
    const result = await this.#run({ type: 'verify-commands', batch, ...place }, buffers);
    return expect(result, 'verified', place).outcomes;
  }

  /** Sign + MAC, then deliver + check, in one task: the complete path of a command. */
  async roundTrip(batch: CommandBatch, place: TaskPlace): Promise<Uint8Array> {
    const result = await this.#run({ type: 'round-trip', batch, ...place }, commandBatchBuffers(batch));
    return expect(result, 'round-tripped', place).outcomes;
  }

  /** One engine step of one shard: deliver its commands, advance its meters. Buffers are transferred. */
  async stepShard(task: ShardStepTask, place: TaskPlace): Promise<ShardStepResult> {
    const buffers = uniqueBuffers([task.channel]).concat(commandBatchBuffers(task.commands));
    const result = await this.#run({ type: 'step-shard', task, ...place }, [...new Set(buffers)]);
    return expect(result, 'shard-stepped', place).result;
  }

  /** The last accepted originator counter in a device's supplier cell (shared memory, read live). */
  supplierCellCounter(device: number): bigint {
    return this.#supplierCellCounter[device] as bigint;
  }

  /**
   * Drops the tasks no worker has started and lets the running ones end before the workers stop:
   * destroying a worker mid-task makes piscina throw on the reply it still sends.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#piscina.close({ force: true });
  }

  /**
   * Stops every worker at once, a task in flight or not (a hung worker never ends its task, so
   * close() would wait forever). Tasks still pending reject; the pool cannot be used again.
   */
  async destroy(): Promise<void> {
    this.#closed = true;
    await this.#piscina.destroy();
  }

  async #run(task: WorkerTask, transferList: ArrayBuffer[]): Promise<WorkerResult> {
    if (this.#closed) throw new InvalidArgumentError('the crypto pool is closed');
    let result: WorkerResult;
    try {
      result = await this.#piscina.run(task, { transferList });
    } catch (cause) {
      // A worker that throws or dies: say where, keep the cause (its class is lost across threads).
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new WorkerTaskError(
        `worker task ${task.type} failed in shard ${task.shard} at step ${task.step}: ${message}`,
        task.shard,
        task.step,
        { cause },
      );
    }
    if (result.type === 'failed') {
      throw new WorkerTaskError(
        `worker task ${task.type} failed in shard ${result.shard} at step ${result.step}: [${result.code}] ${result.message}`,
        result.shard,
        result.step,
      );
    }
    return result;
  }
}

/** Opens a pool, runs `fn`, and always closes the pool (tests and CLI alike). */
export async function withCryptoPool<T>(options: CryptoPoolOptions, fn: (pool: CryptoPool) => Promise<T>): Promise<T> {
  const pool = CryptoPool.open(options);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

function expect<K extends WorkerResult['type']>(
  result: WorkerResult,
  type: K,
  place: TaskPlace,
): Extract<WorkerResult, { type: K }> {
  if (result.type !== type) {
    throw new WorkerTaskError(`worker answered ${result.type}, expected ${type}`, place.shard, place.step);
  }
  return result as Extract<WorkerResult, { type: K }>;
}

function scalarHex(scalar: bigint): string {
  return scalar.toString(16).padStart(64, '0');
}

/**
 * The worker entry beside this module's folder: `.ts` when running from sources under tsx
 * (tests; workers inherit `--import tsx`), `.js` from the compiled `dist/`.
 */
function workerEntryUrl(): string {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`../worker/crypto-worker.${ext}`, import.meta.url).href;
}
