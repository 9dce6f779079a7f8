/**
 * Every benchmark size in one table (Mesa's habit): change a size here, nowhere else. A figure's
 * name carries the sizes that change its meaning (workers, batch, meters × days), so a result
 * file compares only like with like. `QUICK` keeps a smoke run of every suite to a few minutes on
 * 2 cores; its figures are for checking the bench works, not for keeping.
 */

export interface EngineSizes {
  buildMeters: number;
  physicsMeters: number;
  physicsDays: number;
}

export interface ScenarioRunSize {
  /** Relative to the repository root. */
  file: string;
  meters: number;
  days: number;
}

/** One run of a scenario cut into shards of `shardMeters` (`--shard-meters`): segments are whole shards. */
export interface ShardedRunSize extends ScenarioRunSize {
  shardMeters: number;
}

/** `gbfleet run --segment K/N` and `gbfleet merge` (whole-run/segments.bench.ts). */
export interface SegmentSizes {
  /** The split cost: the run as one process, then as each count of segments at once on this machine. */
  split: ShardedRunSize & { counts: number[] };
  /** The merge: this many segments, run one after another, then `gbfleet merge` timed. */
  merge: ShardedRunSize & { segments: number };
}

export interface WholeRunSizes {
  runMeters: number;
  runDays: number;
  /** 0 skips the national-scale run (1 day, and the same day at `runMeters` to compare). */
  nationalMeters: number;
  scenarios: ScenarioRunSize[];
  segments: SegmentSizes;
}

/** The soak (soak/soak.bench.ts): one long run, memory sampled every simulated day. */
export interface SoakSizes {
  meters: number;
  days: number;
  /** The warm-up: the slope is fitted over days `fromDay`..`days`. */
  fromDay: number;
  /**
   * The bound on RSS growth after the warm-up, as a share of the RSS on `fromDay` per 30
   * simulated days: 0.02 lets a 1.5 GB run grow 1 MB per simulated day (30 MB a month).
   */
  growthPerMonth: number;
}

export interface MicroSizes {
  /** Operations per tinybench iteration, so one iteration is far above the timer's resolution. */
  opsPerIteration: {
    sign: number;
    verify: number;
    kdf: number;
    gmac: number;
    encode: number;
    decode: number;
    utrnGenerate: number;
    utrnCheck: number;
    /** The crypto kernels' batch calls (micro/kernel.bench.ts): each a multiple of `kernelBatch`. */
    nativeSign: number;
    nativeVerify: number;
    nativeMac: number;
    nativeKdf: number;
    jsMac: number;
  };
  /** Operations per kernel call in the kernel micro benches (one call signs, verifies or MACs this many). */
  kernelBatch: number;
  /** Bytes signed and verified by the sign/verify micro benches (a critical command's signed region). */
  signedBytes: number;
  /** AAD bytes the GMAC micro bench authenticates; `openssl speed -bytes` uses the same size. */
  gmacAadBytes: number;
  /** Payload bytes of the frame the encode/decode micro benches use. */
  framePayloadBytes: number;
}

export interface BenchSizes {
  /** tinybench time budget per task, ms. */
  taskTimeMs: number;
  /** Minimum iterations per task. */
  minIterations: number;
  /** `openssl speed -seconds` for each limit measured in the run. */
  opensslSeconds: number;
  micro: MicroSizes;
  /** Commands pushed through the pool per iteration, per batch size. */
  poolCommandsPerIteration: Record<number, number>;
  poolBatchSizes: number[];
  poolWorkerCounts: number[];
  /** Devices in the pool's fleet for the pool suite. */
  poolFleetSize: number;
  /** Devices whose key material is derived in the key-material suite. */
  keyMaterialDevices: number;
  /** Memory per device key (targeted/key-memory.bench.ts): distinct points in a native verifier table, and KeyObjects made. */
  keyMemory: { verifierKeys: number; keyObjects: number };
  /** Rows appended per DuckDB ingest measurement (split over three tables), and how many measurements. */
  ingestRows: number;
  ingestRepeats: number;
  /** The fleet parts of the engine (build, bytes per meter, physics-only steps). */
  engine: EngineSizes;
  /** Whole runs, each in a child process. */
  wholeRun: WholeRunSizes;
  /** The soak: only under `--suite soak`, never in `all`. */
  soak: SoakSizes;
}

const MICRO: MicroSizes = {
  opsPerIteration: {
    sign: 200,
    verify: 200,
    kdf: 2000,
    gmac: 1000,
    encode: 2000,
    decode: 2000,
    utrnGenerate: 500,
    utrnCheck: 500,
    nativeSign: 512,
    nativeVerify: 256,
    nativeMac: 4096,
    nativeKdf: 8192,
    jsMac: 1024,
  },
  kernelBatch: 256,
  signedBytes: 150,
  gmacAadBytes: 256,
  framePayloadBytes: 64,
};

export const FULL: BenchSizes = {
  taskTimeMs: 3000,
  minIterations: 5,
  opensslSeconds: 2,
  micro: MICRO,
  poolCommandsPerIteration: { 1: 2048, 64: 8192, 512: 16384 },
  poolBatchSizes: [1, 64, 512],
  poolWorkerCounts: [1, 2],
  poolFleetSize: 100_000,
  keyMaterialDevices: 1_000_000,
  keyMemory: { verifierKeys: 100_000, keyObjects: 20_000 },
  ingestRows: 3_000_000,
  ingestRepeats: 3,
  engine: {
    buildMeters: 1_000_000,
    physicsMeters: 1_000_000,
    physicsDays: 7,
  },
  wholeRun: {
    runMeters: 1_000_000,
    runDays: 30,
    nationalMeters: 32_000_000,
    scenarios: [{ file: 'scenarios/default.yaml', meters: 100_000, days: 30 }],
    segments: {
      // 8 shards of the default 131,072 meters: 2 and 4 segments split them evenly.
      split: { file: 'scenarios/default.yaml', meters: 1_000_000, days: 3, shardMeters: 131_072, counts: [2, 4] },
      merge: { file: 'scenarios/default.yaml', meters: 10_000_000, days: 1, shardMeters: 131_072, segments: 8 },
    },
  },
  soak: { meters: 1_000_000, days: 180, fromDay: 7, growthPerMonth: 0.02 },
};

export const QUICK: BenchSizes = {
  taskTimeMs: 300,
  minIterations: 2,
  opensslSeconds: 1,
  micro: MICRO,
  poolCommandsPerIteration: { 1: 256, 64: 1024, 512: 2048 },
  poolBatchSizes: [1, 64, 512],
  poolWorkerCounts: [1, 2],
  poolFleetSize: 10_000,
  keyMaterialDevices: 50_000,
  keyMemory: { verifierKeys: 10_000, keyObjects: 2_000 },
  ingestRows: 300_000,
  ingestRepeats: 2,
  engine: {
    buildMeters: 100_000,
    physicsMeters: 100_000,
    physicsDays: 2,
  },
  wholeRun: {
    runMeters: 100_000,
    runDays: 3,
    nationalMeters: 0,
    scenarios: [{ file: 'scenarios/default.yaml', meters: 10_000, days: 3 }],
    segments: {
      split: { file: 'scenarios/default.yaml', meters: 40_000, days: 2, shardMeters: 10_000, counts: [2, 4] },
      merge: { file: 'scenarios/default.yaml', meters: 200_000, days: 1, shardMeters: 25_000, segments: 8 },
    },
  },
  soak: { meters: 50_000, days: 30, fromDay: 7, growthPerMonth: 0.02 },
};
