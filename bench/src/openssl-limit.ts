/**
 * The machine's own crypto limits, measured in the same run as our figures, so results are ratios
 * that compare across machines: ECDSA P-256 (`openssl speed -seconds S [-multi W] ecdsap256`), and
 * per-operation rates of SHA-256 and AES-128-GCM at one message size (`-mr -bytes N`).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface EcdsaLimit {
  signPerSecond: number;
  verifyPerSecond: number;
  /** One sign plus one verify, back to back: 1 / (1/sign + 1/verify). */
  signVerifyPerSecond: number;
  workers: number;
  command: string;
}

/**
 * Parses `openssl speed` output. With -multi the summary line reads
 * `256 bits ecdsa (nistp256)   0.0000s   0.0000s  63000.0  22000.0` (sign/s and verify/s are the
 * last two numbers); without -multi the same columns follow the timing columns.
 */
export function parseOpensslSpeed(output: string): { signPerSecond: number; verifyPerSecond: number } | null {
  for (const line of output.split('\n')) {
    const cells = line.trim().split(/\s+/);
    if (!/nistp256/.test(line) || !/ecdsa/i.test(line)) continue;
    const numbers = cells.map(Number).filter((v) => Number.isFinite(v));
    // The last two numeric cells are sign/s and verify/s; the line also carries "256" (bits).
    if (numbers.length < 3) continue;
    const sign = numbers[numbers.length - 2] as number;
    const verify = numbers[numbers.length - 1] as number;
    if (sign > 0 && verify > 0) return { signPerSecond: sign, verifyPerSecond: verify };
  }
  return null;
}

export function combinedRate(sign: number, verify: number): number {
  return 1 / (1 / sign + 1 / verify);
}

export async function measureOpensslLimit(workers: number, seconds = 2): Promise<EcdsaLimit> {
  const args = ['speed', '-seconds', String(seconds), ...(workers > 1 ? ['-multi', String(workers)] : []), 'ecdsap256'];
  const { stdout, stderr } = await run('openssl', args, { maxBuffer: 16 * 1024 * 1024 });
  const parsed = parseOpensslSpeed(`${stdout}\n${stderr}`);
  if (!parsed) throw new Error(`could not read sign/s and verify/s from "openssl ${args.join(' ')}"`);
  return {
    ...parsed,
    signVerifyPerSecond: combinedRate(parsed.signPerSecond, parsed.verifyPerSecond),
    workers,
    command: `openssl ${args.join(' ')}`,
  };
}

/** Operations per second of a symmetric primitive at one message size. */
export interface BytesLimit {
  opsPerSecond: number;
  bytesPerSecond: number;
  bytes: number;
  command: string;
}

/**
 * Parses `openssl speed -mr -bytes N …` output: the line `+F:<n>:<name>:<bytes/s>` (one per
 * size; with one -bytes size there is one). Returns bytes per second, or null.
 */
export function parseOpensslMachineReadable(output: string): number | null {
  for (const line of output.split('\n')) {
    const m = /^\+F:\d+:[^:]+:([0-9.]+)\s*$/.exec(line.trim());
    if (!m) continue;
    const perSecond = Number(m[1]);
    if (Number.isFinite(perSecond) && perSecond > 0) return perSecond;
  }
  return null;
}

/** `openssl speed -seconds S -mr -bytes N <algorithm>` (algorithm e.g. `sha256` or `-evp aes-128-gcm`). */
export async function measureOpensslBytes(algorithm: string[], bytes: number, seconds = 2): Promise<BytesLimit> {
  const args = ['speed', '-seconds', String(seconds), '-mr', '-bytes', String(bytes), ...algorithm];
  const { stdout, stderr } = await run('openssl', args, { maxBuffer: 16 * 1024 * 1024 });
  const bytesPerSecond = parseOpensslMachineReadable(`${stdout}\n${stderr}`);
  if (bytesPerSecond === null) throw new Error(`could not read bytes/s from "openssl ${args.join(' ')}"`);
  return { opsPerSecond: bytesPerSecond / bytes, bytesPerSecond, bytes, command: `openssl ${args.join(' ')}` };
}
