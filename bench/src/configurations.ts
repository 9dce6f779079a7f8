/**
 * Every benchmark size in one table (Mesa's habit): change a size here, nowhere else.
 * `quick` sizes keep a smoke run of the whole suite under a minute on 2 cores.
 */
import type { EngineSizes } from './targeted/engine.bench.js';

export interface BenchSizes {
  /** tinybench time budget per task, ms. */
  taskTimeMs: number;
  /** Minimum iterations per task. */
  minIterations: number;
  /** `openssl speed -seconds`. */
  opensslSeconds: number;
  /** Commands pushed through the pool per iteration, per batch size. */
  poolCommandsPerIteration: Record<number, number>;
  poolBatchSizes: number[];
  poolWorkerCounts: number[];
  /** Devices in the pool's fleet for the pool suite. */
  poolFleetSize: number;
  /** Devices whose key material is derived in the key-material suite. */
  keyMaterialDevices: number;
  /** The engine suite (see targeted/engine.bench.ts). */
  engine: EngineSizes;
}

export const FULL: BenchSizes = {
  taskTimeMs: 3000,
  minIterations: 5,
  opensslSeconds: 2,
  poolCommandsPerIteration: { 1: 2048, 64: 8192, 512: 16384 },
  poolBatchSizes: [1, 64, 512],
  poolWorkerCounts: [1, 2],
  poolFleetSize: 100_000,
  keyMaterialDevices: 1_000_000,
  engine: {
    buildMeters: 1_000_000,
    physicsMeters: 1_000_000,
    physicsDays: 7,
    runMeters: 1_000_000,
    runDays: 30,
    nationalMeters: 10_000_000,
  },
};

export const QUICK: BenchSizes = {
  taskTimeMs: 300,
  minIterations: 2,
  opensslSeconds: 1,
  poolCommandsPerIteration: { 1: 256, 64: 1024, 512: 2048 },
  poolBatchSizes: [1, 64, 512],
  poolWorkerCounts: [1, 2],
  poolFleetSize: 10_000,
  keyMaterialDevices: 50_000,
  engine: {
    buildMeters: 100_000,
    physicsMeters: 100_000,
    physicsDays: 2,
    runMeters: 100_000,
    runDays: 3,
    nationalMeters: 0,
  },
};
