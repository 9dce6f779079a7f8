/**
 * `pnpm bench [--suite micro|pool|keys|engine|all] [--json FILE] [--quick] [--check]`: runs the suites,
 * measures the machine's own ECDSA limit (`openssl speed`) in the same run, prints a table and
 * the foundation targets, and writes JSON. `--check` exits 1 when a target is missed.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FULL, QUICK } from './configurations.js';
import { describeMachine } from './machine.js';
import { runCryptoMicro, SIGN, VERIFY } from './micro/crypto.bench.js';
import { measureNodeLimit } from './node-limit.js';
import { combinedRate, measureOpensslLimit } from './openssl-limit.js';
import type { BenchResult } from './result.js';
import { runEngineBench } from './targeted/engine.bench.js';
import { runKeyMaterialBench } from './targeted/key-material.bench.js';
import { poolTaskName, runPoolBench } from './targeted/pool.bench.js';

const SUITES = ['micro', 'pool', 'keys', 'engine', 'all'] as const;
type Suite = (typeof SUITES)[number];

export const BENCH_HELP = `pnpm bench [--suite micro|pool|keys|engine|all] [--json FILE] [--quick] [--check]

  --suite   which suite to run (default all)
  --json    also write results, machine and limits as JSON to FILE
  --quick   small sizes: a smoke run, not figures to keep
  --check   exit 1 when a target is missed
`;

interface Target {
  name: string;
  value: number;
  target: number;
  met: boolean;
  detail: string;
  /** How to show value against target, when not a ratio (e.g. "17.1 s (≤ 60 s)"). */
  display?: string;
}

async function main(argv: string[]): Promise<number> {
  let options: { suite?: string; json?: string; quick?: boolean; check?: boolean; help?: boolean };
  try {
    options = parseArgs({
      args: argv,
      options: {
        suite: { type: 'string' },
        json: { type: 'string' },
        quick: { type: 'boolean' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n\n${BENCH_HELP}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(BENCH_HELP);
    return 0;
  }
  const suite = (options.suite ?? 'all') as Suite;
  if (!SUITES.includes(suite)) {
    process.stderr.write(`bench: --suite ${JSON.stringify(options.suite)} is not one of ${SUITES.join(', ')}\n`);
    return 2;
  }
  const sizes = options.quick ? QUICK : FULL;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const machine = describeMachine();
  const workers = Math.max(...sizes.poolWorkerCounts);
  log(`bench: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, OpenSSL ${machine.openssl}`);

  const results: BenchResult[] = [];
  const limits: Record<string, unknown> = {};
  const targets: Target[] = [];

  if (suite === 'micro' || suite === 'pool' || suite === 'all') {
    log(`limit: openssl speed -multi ${workers} ecdsap256 (${sizes.opensslSeconds} s per operation)`);
    const openssl = await measureOpensslLimit(workers, sizes.opensslSeconds);
    limits.openssl = openssl;
    log('micro: Node single-thread sign and verify');
    const micro = await runCryptoMicro(sizes);
    results.push(...micro);
    const sign = micro.find((r) => r.name === SIGN)?.value ?? 0;
    const verify = micro.find((r) => r.name === VERIFY)?.value ?? 0;
    log(`limit: Node sign and verify loops on ${workers} threads at once`);
    const nodeLimit = await measureNodeLimit(workers, sizes.opensslSeconds * 2);
    const nodeOnCores = nodeLimit.signVerifyPerSecond;
    limits.node = {
      singleThread: { signPerSecond: sign, verifyPerSecond: verify, signVerifyPerSecond: combinedRate(sign, verify) },
      concurrent: nodeLimit,
    };
    results.push({
      name: `limit/openssl sign+verify (-multi ${workers})`,
      unit: 'commands/s',
      value: openssl.signVerifyPerSecond,
      p75: openssl.signVerifyPerSecond,
      p99: openssl.signVerifyPerSecond,
      samples: 1,
      note: `${openssl.signPerSecond} sign/s, ${openssl.verifyPerSecond} verify/s`,
    });
    results.push({
      name: `limit/node sign+verify (${workers} threads at once)`,
      unit: 'commands/s',
      value: nodeOnCores,
      p75: nodeOnCores,
      p99: nodeOnCores,
      samples: 1,
      note: `${Math.round(nodeLimit.signPerSecond)} sign/s, ${Math.round(nodeLimit.verifyPerSecond)} verify/s summed over threads`,
    });
    if (suite !== 'micro') {
      const pool = await runPoolBench(sizes, log);
      for (const r of pool) {
        const withRatio = { ...r, limit: openssl.signVerifyPerSecond, ratio: r.value / openssl.signVerifyPerSecond };
        results.push(withRatio);
      }
      const best = pool.find((r) => r.name === poolTaskName(workers, Math.max(...sizes.poolBatchSizes)));
      if (best) {
        targets.push({
          name: `pool (${workers} workers, batch ${Math.max(...sizes.poolBatchSizes)}) vs Node single-thread crypto on ${workers} cores`,
          value: best.value / nodeOnCores,
          target: 0.85,
          met: best.value / nodeOnCores >= 0.85,
          detail: `${fmt(best.value)} / ${fmt(nodeOnCores)} commands/s`,
        });
        targets.push({
          name: `pool (${workers} workers, batch ${Math.max(...sizes.poolBatchSizes)}) vs OpenSSL -multi ${workers}`,
          value: best.value / openssl.signVerifyPerSecond,
          target: 0.65,
          met: best.value / openssl.signVerifyPerSecond >= 0.65,
          detail: `${fmt(best.value)} / ${fmt(openssl.signVerifyPerSecond)} commands/s`,
        });
      }
    }
  }
  if (suite === 'keys' || suite === 'all') {
    const keys = await runKeyMaterialBench(sizes, workers, log);
    results.push(...keys);
    const seconds = keys.find((r) => r.unit === 's');
    if (seconds) {
      targets.push({
        name: `key material for 1,000,000 devices (${workers} workers), seconds`,
        value: seconds.value,
        target: 20,
        met: seconds.value <= 20,
        detail: keys[0]?.note ?? '',
      });
    }
  }

  if (suite === 'engine' || suite === 'all') {
    const engine = await runEngineBench(sizes.engine, workers, log);
    results.push(...engine.results);
    const { e2e, national } = engine;
    const meters = sizes.engine.runMeters.toLocaleString('en-GB');
    targets.push({
      name: `run ${meters} meters × ${sizes.engine.runDays} days with its run database, seconds`,
      value: e2e.wallSeconds,
      target: 60,
      met: e2e.wallSeconds <= 60,
      detail: `${e2e.summary.stepsRun} steps, ${e2e.summary.commands.total} commands, ${e2e.rows} rows`,
      display: `${e2e.wallSeconds.toFixed(1)} s (≤ 60 s)`,
    });
    targets.push({
      name: `run ${meters} meters × ${sizes.engine.runDays} days, peak memory`,
      value: e2e.maxRssBytes,
      target: 2e9,
      met: e2e.maxRssBytes <= 2e9,
      detail: 'maxRSS of the run process',
      display: `${(e2e.maxRssBytes / 1e9).toFixed(2)} GB (≤ 2 GB)`,
    });
    const ingest = e2e.rows / e2e.ingestSeconds;
    targets.push({
      name: 'DuckDB ingest into the run database, rows/s',
      value: ingest,
      target: 1e6,
      met: ingest >= 1e6,
      detail: `${e2e.rows} rows in ${e2e.ingestSeconds.toFixed(2)} s`,
      display: `${fmt(ingest)} rows/s (≥ 1,000,000)`,
    });
    if (national) {
      targets.push({
        name: `build and step ${sizes.engine.nationalMeters.toLocaleString('en-GB')} meters through one day within 24 GiB`,
        value: national.maxRssBytes,
        target: 24 * 2 ** 30,
        met: national.summary.status === 'completed' && national.maxRssBytes <= 24 * 2 ** 30,
        detail: `${national.wallSeconds.toFixed(1)} s`,
        display: `${(national.maxRssBytes / 2 ** 30).toFixed(2)} GiB (≤ 24 GiB)`,
      });
    }
  }

  printTable(results, targets);
  if (options.json) {
    const doc = { machine, sizes: options.quick ? 'quick' : 'full', limits, results, targets };
    const tmp = `${options.json}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
    renameSync(tmp, options.json);
    log(`bench: wrote ${options.json}`);
  }
  const missed = targets.filter((t) => !t.met);
  if (options.check && missed.length > 0) {
    log(`bench: ${missed.length} target(s) missed`);
    return 1;
  }
  return 0;
}

function printTable(results: BenchResult[], targets: Target[]): void {
  const rows = results.map((r) => [
    r.name,
    fmt(r.value),
    r.unit,
    fmt(r.p75),
    fmt(r.p99),
    String(r.samples),
    r.ratio === undefined ? '' : r.ratio.toFixed(3),
  ]);
  const header = ['benchmark', 'median', 'unit', 'p75', 'p99', 'samples', 'ratio to limit'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (targets.length > 0) {
    out.push('', 'Targets:');
    for (const t of targets) {
      const ratio =
        t.display ??
        (t.name.includes('seconds')
          ? `${t.value.toFixed(2)} s (≤ ${t.target})`
          : `${(t.value * 100).toFixed(1)} % (≥ ${t.target * 100} %)`);
      out.push(`  ${t.met ? 'MET   ' : 'MISSED'} ${t.name}: ${ratio} — ${t.detail}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function fmt(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-GB');
  return value.toPrecision(3);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
