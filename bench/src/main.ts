/**
 * `pnpm bench [--suite NAME] [--json FILE] [--quick] [--check]`: runs the suites (micro, targeted,
 * whole-run; the soak only when named; bench-options.ts), measures the machine's own crypto limits
 * (`openssl speed`) in the same run, just before the figures they divide, prints a table and the
 * targets, and writes JSON (result.ts `BenchDocument`) with the machine and git revision.
 * `bench:compare` reads that JSON.
 */
import { mkdirSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CryptoKernelName } from '@gbfleet/gbcs';
import { BENCH_HELP, type BenchOptions, BenchUsageError, type Part, parseBenchOptions } from './bench-options.js';
import { type BenchSizes, FULL, QUICK } from './configurations.js';
import { describeMachine, gitInfo } from './machine.js';
import { GMAC, KDF, runCryptoMicro, SIGN, VERIFY } from './micro/crypto.bench.js';
import { runFramesMicro } from './micro/frames.bench.js';
import { kernelNames, nativeKernel, runKernelMicro } from './micro/kernel.bench.js';
import { runUtrnMicro } from './micro/utrn.bench.js';
import { measureNodeLimit } from './node-limit.js';
import { combinedRate, measureOpensslBytes, measureOpensslLimit } from './openssl-limit.js';
import { type BenchDocument, type BenchResult, type BenchTarget, SCHEMA_VERSION, single, withLimit } from './result.js';
import { SLOWDOWN_ENV, SLOWED_FIGURE } from './slowdown.js';
import { runSoakBench, soakLabel } from './soak/soak.bench.js';
import { runEngineBench } from './targeted/engine.bench.js';
import { INGEST, INGEST_TARGET, runIngestBench } from './targeted/ingest.bench.js';
import { KEY_MATERIAL_TARGET_SECONDS, runKeyMaterialBench } from './targeted/key-material.bench.js';
import { runKeyMemoryBench } from './targeted/key-memory.bench.js';
import { measurePairedPoolRatio, poolTaskName, runPoolBench } from './targeted/pool.bench.js';
import { NATIONAL_PEAK_BYTES, runWholeRunBench } from './whole-run/whole-run.bench.js';

export async function runBench(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${BENCH_HELP}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(BENCH_HELP);
    return 0;
  }
  const machine = describeMachine();
  if (options.machineKind) {
    process.stdout.write(`${machine.kind}\n`);
    return 0;
  }
  const sizes = options.quick ? QUICK : FULL;
  const has = (part: Part) => options.parts.has(part);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const git = gitInfo(fileURLToPath(new URL('.', import.meta.url)));
  const date = new Date().toISOString();
  const workers = Math.max(...sizes.poolWorkerCounts);
  log(
    `bench: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, OpenSSL ${machine.openssl} (${machine.kind}); git ${git.revision}${git.dirty === true ? ' (dirty)' : ''}`,
  );
  if (options.slowdown > 1) {
    log(
      `bench: ${SLOWDOWN_ENV}=${options.slowdown}: "${SLOWED_FIGURE}" is deliberately ${options.slowdown}× slower. Do not keep these figures.`,
    );
  }

  const results: BenchResult[] = [];
  const limits: Record<string, unknown> = {};
  const targets: BenchTarget[] = [];

  // Micro.
  if (has('frames')) {
    log('micro: frame encode and decode');
    results.push(...(await runFramesMicro(sizes, options.slowdown)));
  }
  let singleThread: { sign: number; verify: number } | undefined;
  if (has('crypto')) {
    singleThread = await cryptoWithLimits(sizes, limits, results, targets, log);
  }
  if (has('utrn')) {
    log('micro: UTRN generate and check');
    results.push(...(await runUtrnMicro(sizes)));
  }

  // Targeted.
  if (has('pool')) {
    await poolWithLimits(sizes, workers, limits, results, targets, singleThread, log);
  }
  if (has('keys')) {
    const keys = await runKeyMaterialBench(sizes, workers, log);
    results.push(...keys.results);
    const seconds = keys.results.find((r) => r.unit === 's');
    if (seconds) {
      const target = KEY_MATERIAL_TARGET_SECONDS[keys.crypto];
      targets.push({
        name: `key material for 1,000,000 devices (${workers} workers, ${keys.crypto}), seconds`,
        value: seconds.value,
        target,
        met: seconds.value <= target,
        detail: keys.results[0]?.note ?? '',
        display: `${seconds.value.toFixed(2)} s (≤ ${target} s)`,
      });
    }
    results.push(...(await runKeyMemoryBench(sizes, log)));
  }
  if (has('fleet')) results.push(...(await runEngineBench(sizes.engine, workers, log)));
  if (has('ingest')) {
    const ingest = await runIngestBench(sizes, log);
    results.push(...ingest);
    const figure = ingest.find((r) => r.name === INGEST);
    if (figure) {
      targets.push({
        name: 'DuckDB ingest (targeted: append and finish), rows/s',
        value: figure.value,
        target: INGEST_TARGET,
        met: figure.value >= INGEST_TARGET,
        detail: figure.note ?? '',
        display: `${fmt(figure.value)} rows/s (≥ 1,000,000)`,
      });
    }
  }

  // Whole-run.
  if (has('engine-run') || has('scenarios') || has('segments')) {
    const whole = await runWholeRunBench(
      sizes.wholeRun,
      { engine: has('engine-run'), scenarios: has('scenarios'), segments: has('segments') },
      workers,
      machine.cores,
      log,
    );
    results.push(...whole.results);
    wholeRunTargets(sizes, whole.e2e, whole.national, targets);
  }

  // Soak (only when asked for: not in `all`).
  let soakSeries: BenchDocument['soak'];
  if (has('soak')) {
    const soak = await runSoakBench(sizes.soak, workers, log);
    results.push(...soak.results);
    targets.push(...soak.targets);
    soakSeries = { name: soakLabel(sizes.soak, workers), fromDay: sizes.soak.fromDay, samples: soak.run.samples };
  }

  printTable(results, targets);
  if (options.json) {
    const doc: BenchDocument = {
      schemaVersion: SCHEMA_VERSION,
      machine,
      git,
      date,
      sizes: options.quick ? 'quick' : 'full',
      parts: [...options.parts],
      configuration: sizes,
      ...(options.slowdown > 1 ? { slowdown: { figure: SLOWED_FIGURE, factor: options.slowdown } } : {}),
      limits,
      results,
      targets,
      ...(soakSeries ? { soak: soakSeries } : {}),
    };
    mkdirSync(dirname(options.json), { recursive: true });
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

/**
 * Crypto micro benches, each divided by OpenSSL's single-process rate for the same operation,
 * measured just before: ECDSA P-256 sign and verify, SHA-256 at 64 bytes (the KDF hashes 69
 * bytes: two compression blocks, as 64 bytes with padding), AES-128-GCM at the GMAC's AAD size.
 * Then the crypto kernels' batch calls against the same limits, with the native kernel's targets.
 */
async function cryptoWithLimits(
  sizes: BenchSizes,
  limits: Record<string, unknown>,
  results: BenchResult[],
  targets: BenchTarget[],
  log: (line: string) => void,
): Promise<{ sign: number; verify: number }> {
  const s = sizes.opensslSeconds;
  log(`limit: openssl speed ecdsap256, sha256 and aes-128-gcm, one process (${s} s per operation)`);
  const ecdsa = await measureOpensslLimit(1, s);
  const sha256 = await measureOpensslBytes(['sha256'], 64, s);
  const gcm = await measureOpensslBytes(['-evp', 'aes-128-gcm'], sizes.micro.gmacAadBytes, s);
  limits.opensslSingle = { ecdsa, sha256, aes128gcm: gcm };
  const limitResult = (name: string, value: number, note: string) =>
    single(name, 'limit', 'ops/s', value, { tracked: false, note });
  results.push(
    limitResult('limit/openssl sign p256 (1 process)', ecdsa.signPerSecond, ecdsa.command),
    limitResult('limit/openssl verify p256 (1 process)', ecdsa.verifyPerSecond, ecdsa.command),
    limitResult('limit/openssl sha256 64 B (1 process)', sha256.opsPerSecond, sha256.command),
    limitResult(`limit/openssl aes-128-gcm ${gcm.bytes} B (1 process)`, gcm.opsPerSecond, gcm.command),
  );
  log('micro: Node single-thread sign, verify, GBCS KDF and AES-GMAC');
  const byName: Record<string, number> = {
    [SIGN]: ecdsa.signPerSecond,
    [VERIFY]: ecdsa.verifyPerSecond,
    [KDF]: sha256.opsPerSecond,
    [GMAC]: gcm.opsPerSecond,
  };
  const micro = await runCryptoMicro(sizes);
  for (const r of micro) {
    const limit = byName[r.name];
    results.push(limit ? withLimit(r, limit, 'machine') : r);
  }

  const batch = sizes.micro.kernelBatch;
  log(`micro: crypto kernels on 1 thread, ${batch} operations a call: native sign, verify, MAC, KDF; the JS MAC`);
  const names = kernelNames(sizes.micro);
  const kernel = await runKernelMicro(sizes, log);
  // The GBCS MAC is a KDF (SHA-256), an AES key schedule and a GMAC per APDU: never a bare GCM at
  // one key. One SHA-256 then one GCM, back to back, is the nearest OpenSSL bound.
  const macBound = combinedRate(sha256.opsPerSecond, gcm.opsPerSecond);
  const macNote = (value: number) =>
    `KDF (SHA-256 over 69 B) + AES key schedule + GMAC per APDU, so it can never reach a bare GCM (${gcm.bytes} B, one key); openssl sha256 64 B then aes-128-gcm ${gcm.bytes} B back to back allow ${fmt(macBound)}/s: ${(value / macBound).toFixed(3)} of that`;
  const kernelLimits: Record<string, { limit: number; note: (value: number) => string }> = {
    [names.nativeSign]: {
      limit: ecdsa.signPerSecond,
      note: () =>
        `${batch} signs a call over ${sizes.micro.signedBytes} B, SHA-256 included; openssl speed signs a ready digest`,
    },
    [names.nativeVerify]: {
      limit: ecdsa.verifyPerSecond,
      note: () => 'generic verify (no fixed-base table), as openssl speed does',
    },
    [names.nativeVerifyFixedBase]: {
      limit: ecdsa.verifyPerSecond,
      note: () =>
        "with the key's fixed-base table, as the pool gives its trusted parties; ratio to OpenSSL's generic verify",
    },
    [names.nativeMac]: { limit: gcm.opsPerSecond, note: macNote },
    [names.jsMac]: { limit: gcm.opsPerSecond, note: macNote },
    [names.nativeKdf]: {
      limit: sha256.opsPerSecond,
      note: () => 'macKeys: the KDF alone, one SHA-256 over 69 B (two blocks, as openssl sha256 at 64 B)',
    },
  };
  for (const r of kernel.results) {
    const l = kernelLimits[r.name];
    results.push(l ? { ...withLimit(r, l.limit, 'machine'), note: l.note(r.value) } : r);
  }
  for (const [what, name, limit] of [
    ['sign', names.nativeSign, ecdsa.signPerSecond],
    ['verify', names.nativeVerify, ecdsa.verifyPerSecond],
  ] as const) {
    const r = kernel.results.find((x) => x.name === name);
    const value = r ? r.value / limit : 0;
    targets.push({
      name: `native ${what} p256 per thread (batch ${batch}) vs OpenSSL 1 process`,
      value,
      target: 0.95,
      met: value >= 0.95,
      detail: r ? `${fmt(r.value)} / ${fmt(limit)} ${what}/s` : `not measured: ${kernel.nativeMissing ?? 'no figure'}`,
    });
  }
  return {
    sign: micro.find((r) => r.name === SIGN)?.value ?? 0,
    verify: micro.find((r) => r.name === VERIFY)?.value ?? 0,
  };
}

/**
 * The pool on each kernel (native where it is built, then JS), divided by `openssl speed -multi W`
 * sign+verify; targets against it and Node's own limit.
 */
async function poolWithLimits(
  sizes: BenchSizes,
  workers: number,
  limits: Record<string, unknown>,
  results: BenchResult[],
  targets: BenchTarget[],
  singleThread: { sign: number; verify: number } | undefined,
  log: (line: string) => void,
): Promise<void> {
  const native = nativeKernel();
  const kernels: CryptoKernelName[] = 'kernel' in native ? ['native', 'js'] : ['js'];
  if ('reason' in native) log(`pool: JS kernel only: ${native.reason}`);
  log(`limit: openssl speed -multi ${workers} ecdsap256 (${sizes.opensslSeconds} s per operation)`);
  const openssl = await measureOpensslLimit(workers, sizes.opensslSeconds);
  limits.openssl = openssl;
  log(`limit: Node sign and verify loops on ${workers} threads at once`);
  const nodeLimit = await measureNodeLimit(workers, sizes.opensslSeconds * 2);
  const nodeOnCores = nodeLimit.signVerifyPerSecond;
  limits.node = {
    ...(singleThread
      ? {
          singleThread: {
            signPerSecond: singleThread.sign,
            verifyPerSecond: singleThread.verify,
            signVerifyPerSecond: combinedRate(singleThread.sign, singleThread.verify),
          },
        }
      : {}),
    concurrent: nodeLimit,
  };
  results.push(
    single(`limit/openssl sign+verify (-multi ${workers})`, 'limit', 'commands/s', openssl.signVerifyPerSecond, {
      tracked: false,
      note: `${openssl.signPerSecond} sign/s, ${openssl.verifyPerSecond} verify/s`,
    }),
    single(`limit/node sign+verify (${workers} threads at once)`, 'limit', 'commands/s', nodeOnCores, {
      tracked: false,
      note: `${Math.round(nodeLimit.signPerSecond)} sign/s, ${Math.round(nodeLimit.verifyPerSecond)} verify/s summed over threads`,
    }),
  );
  const pool = await runPoolBench(sizes, kernels, log);
  for (const r of pool) results.push(withLimit(r, openssl.signVerifyPerSecond, 'machine'));
  const batch = Math.max(...sizes.poolBatchSizes);
  // The targets: pool and limit measured in turns, the median round (see measurePairedPoolRatio).
  const rounds = sizes.opensslSeconds >= 2 ? 5 : 3;
  const roundsText = (paired: Awaited<ReturnType<typeof measurePairedPoolRatio>>) =>
    `median of ${rounds} paired rounds: ${fmt(paired.median.pool)} / ${fmt(paired.median.limit)} commands/s (rounds: ${paired.rounds.map((r) => `${(r.ratio * 100).toFixed(1)} %`).join(', ')})`;
  const nativeBest = pool.find((r) => r.name === poolTaskName(workers, batch, 'native'));
  const nativeTarget = `pool (${workers} workers, batch ${batch}, native) vs OpenSSL -multi ${workers}`;
  if (nativeBest) {
    log(`pool (native) vs OpenSSL -multi ${workers}, measured in turns: ${rounds} rounds`);
    const paired = await measurePairedPoolRatio(
      sizes,
      workers,
      'native',
      rounds,
      async () => (await measureOpensslLimit(workers, sizes.opensslSeconds)).signVerifyPerSecond,
      log,
    );
    limits.opensslPairedNative = paired;
    targets.push({
      name: nativeTarget,
      value: paired.median.ratio,
      target: 0.9,
      met: paired.median.ratio >= 0.9,
      detail: `${roundsText(paired)}; one-off: ${fmt(nativeBest.value)} / ${fmt(openssl.signVerifyPerSecond)}`,
    });
  } else {
    const why = 'reason' in native ? native.reason : 'no figure';
    targets.push({ name: nativeTarget, value: 0, target: 0.9, met: false, detail: `not measured: ${why}` });
  }
  const best = pool.find((r) => r.name === poolTaskName(workers, batch, 'js'));
  if (!best) return;
  log(`pool (js) vs Node's limit, measured in turns: ${rounds} rounds`);
  const paired = await measurePairedPoolRatio(
    sizes,
    workers,
    'js',
    rounds,
    async () => (await measureNodeLimit(workers, sizes.opensslSeconds)).signVerifyPerSecond,
    log,
  );
  limits.nodePaired = paired;
  targets.push(
    {
      name: `pool (${workers} workers, batch ${batch}, js) vs Node single-thread crypto on ${workers} cores`,
      value: paired.median.ratio,
      target: 0.85,
      met: paired.median.ratio >= 0.85,
      detail: `${roundsText(paired)}; one-off: ${fmt(best.value)} / ${fmt(nodeOnCores)}`,
    },
    {
      name: `pool (${workers} workers, batch ${batch}, js) vs OpenSSL -multi ${workers}`,
      value: best.value / openssl.signVerifyPerSecond,
      target: 0.65,
      met: best.value / openssl.signVerifyPerSecond >= 0.65,
      detail: `${fmt(best.value)} / ${fmt(openssl.signVerifyPerSecond)} commands/s`,
    },
  );
}

function wholeRunTargets(
  sizes: BenchSizes,
  e2e: Awaited<ReturnType<typeof runWholeRunBench>>['e2e'],
  national: Awaited<ReturnType<typeof runWholeRunBench>>['national'],
  targets: BenchTarget[],
): void {
  if (e2e) {
    const meters = sizes.wholeRun.runMeters.toLocaleString('en-GB');
    targets.push(
      {
        name: `run ${meters} meters × ${sizes.wholeRun.runDays} days with its run database, seconds`,
        value: e2e.wallSeconds,
        target: 60,
        met: e2e.wallSeconds <= 60,
        detail: `${e2e.summary.stepsRun} steps, ${e2e.summary.commands.total} commands, ${e2e.rows} rows`,
        display: `${e2e.wallSeconds.toFixed(1)} s (≤ 60 s)`,
      },
      {
        name: `run ${meters} meters × ${sizes.wholeRun.runDays} days, peak memory`,
        value: e2e.maxRssBytes,
        target: 2e9,
        met: e2e.maxRssBytes <= 2e9,
        detail: 'maxRSS of the run process',
        display: `${(e2e.maxRssBytes / 1e9).toFixed(2)} GB (≤ 2 GB)`,
      },
    );
    const ingest = e2e.rows / e2e.ingestSeconds;
    targets.push({
      name: 'DuckDB ingest during the run, rows/s',
      value: ingest,
      target: 1e6,
      met: ingest >= 1e6,
      detail: `${e2e.rows} rows in ${e2e.ingestSeconds.toFixed(2)} s`,
      display: `${fmt(ingest)} rows/s (≥ 1,000,000)`,
    });
  }
  if (national) {
    targets.push({
      name: `build and step ${sizes.wholeRun.nationalMeters.toLocaleString('en-GB')} meters through one day within 12 GiB`,
      value: national.maxRssBytes,
      target: NATIONAL_PEAK_BYTES,
      met: national.summary.status === 'completed' && national.maxRssBytes <= NATIONAL_PEAK_BYTES,
      detail: `${national.wallSeconds.toFixed(1)} s`,
      display: `${(national.maxRssBytes / 2 ** 30).toFixed(2)} GiB (≤ 12 GiB)`,
    });
  }
}

function printTable(results: BenchResult[], targets: BenchTarget[]): void {
  const rows = results.map((r) => [
    r.name,
    fmt(r.value),
    r.unit,
    fmt(r.p75),
    fmt(r.p99),
    String(r.samples),
    r.ratio === undefined ? '' : `${r.ratio.toFixed(3)} (${r.limitKind ?? 'limit'})`,
  ]);
  const header = ['benchmark', 'median', 'unit', 'p75', 'p99', 'samples', 'ratio to limit'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (targets.length > 0) {
    out.push('', 'Targets:');
    for (const t of targets) {
      const shown = t.display ?? `${(t.value * 100).toFixed(1)} % (≥ ${t.target * 100} %)`;
      out.push(`  ${t.met ? 'MET   ' : 'MISSED'} ${t.name}: ${shown} — ${t.detail}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function fmt(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-GB');
  return value.toPrecision(3);
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
  runBench(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench: failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
