/**
 * Micro: Node's single-thread ECDSA P-256 sign and verify (raw r‖s, the GBCS encoding) over a
 * frame-sized message. These are "what Node's single-thread crypto allows" in the pool targets.
 */
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { Bench } from 'tinybench';
import type { BenchSizes } from '../configurations.js';
import { type BenchResult, ratesFromBench } from '../result.js';

export const SIGN = 'crypto/node-sign-p256 (1 thread)';
export const VERIFY = 'crypto/node-verify-p256 (1 thread)';

export async function runCryptoMicro(sizes: BenchSizes): Promise<BenchResult[]> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  // A typical critical command's signed region is ~150 bytes.
  const message = randomBytes(150);
  const signature = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const perIteration = 200;
  const bench = new Bench({ time: sizes.taskTimeMs, iterations: sizes.minIterations, throws: true });
  bench.add(SIGN, () => {
    for (let i = 0; i < perIteration; i++) sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  });
  bench.add(VERIFY, () => {
    for (let i = 0; i < perIteration; i++) {
      if (!verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)) {
        throw new Error('verify failed on a good signature');
      }
    }
  });
  await bench.run();
  return ratesFromBench(bench, { [SIGN]: perIteration, [VERIFY]: perIteration }, 'ops/s');
}
