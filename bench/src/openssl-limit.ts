/**
 * The machine's own ECDSA P-256 limit, measured in the same run as our figures, so results are
 * ratios that compare across machines: `openssl speed -seconds S -multi W ecdsap256`.
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
