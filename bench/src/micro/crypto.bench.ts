/**
 * Micro: the crypto primitives every command costs, single-threaded. ECDSA P-256 sign and verify
 * (raw r‖s, the GBCS encoding) over a command-sized message — "what Node's single-thread crypto
 * allows" in the pool targets — the GBCS KDF (one SHA-256 over 69 bytes) and AES-128-GMAC over a
 * frame-sized AAD. Each is later divided by OpenSSL's own rate for the same operation (main.ts).
 */
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { aesGmac, gbcsIv, gbcsKdf, gbcsMacKey, gbcsOtherInfo } from '@gbfleet/gbcs';
import { Bench } from 'tinybench';
import type { BenchSizes } from '../configurations.js';
import { type BenchResult, ratesFromBench } from '../result.js';

export const SIGN = 'crypto/node-sign-p256 (1 thread)';
export const VERIFY = 'crypto/node-verify-p256 (1 thread)';
export const KDF = 'crypto/gbcs-kdf (1 thread)';
export const GMAC = 'crypto/aes-128-gmac (1 thread)';

export async function runCryptoMicro(sizes: BenchSizes): Promise<BenchResult[]> {
  const micro = sizes.micro;
  const ops = micro.opsPerIteration;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const message = randomBytes(micro.signedBytes);
  const signOptions = { key: privateKey, dsaEncoding: 'ieee-p1363' } as const;
  const verifyOptions = { key: publicKey, dsaEncoding: 'ieee-p1363' } as const;
  const signature = sign('sha256', message, signOptions);

  const z = new Uint8Array(randomBytes(32));
  const originator = 0x90b3d51f30010000n;
  const recipient = 0x00db100000000001n;
  // The hot-path KDF must equal the reference construction, or the figure measures the wrong thing.
  const reference = gbcsKdf(z, gbcsOtherInfo(originator, 1, 0x1_0000_0000n, recipient));
  if (Buffer.compare(reference, gbcsMacKey(z, originator, 1, 0x1_0000_0000n, recipient)) !== 0) {
    throw new Error('gbcsMacKey differs from gbcsKdf(gbcsOtherInfo(...)): the bench is wrong');
  }
  const macKey = reference.slice();
  const iv = gbcsIv(originator);
  const aad = new Uint8Array(randomBytes(micro.gmacAadBytes));

  const bench = new Bench({ time: sizes.taskTimeMs, iterations: sizes.minIterations, throws: true });
  bench.add(SIGN, () => {
    for (let i = 0; i < ops.sign; i++) sign('sha256', message, signOptions);
  });
  bench.add(VERIFY, () => {
    for (let i = 0; i < ops.verify; i++) {
      if (!verify('sha256', message, verifyOptions, signature)) throw new Error('verify failed on a good signature');
    }
  });
  let counter = 0x1_0000_0000n;
  bench.add(KDF, () => {
    let acc = 0;
    for (let i = 0; i < ops.kdf; i++) {
      counter += 1n;
      acc ^= gbcsMacKey(z, originator, 1, counter, recipient)[0] as number;
    }
    if (acc < 0) throw new Error('unreachable: keeps the KDF result live');
  });
  bench.add(GMAC, () => {
    let acc = 0;
    for (let i = 0; i < ops.gmac; i++) acc ^= aesGmac(macKey, iv, aad)[0] as number;
    if (acc < 0) throw new Error('unreachable: keeps the tag live');
  });
  await bench.run();
  return ratesFromBench(
    bench,
    { [SIGN]: ops.sign, [VERIFY]: ops.verify, [KDF]: ops.kdf, [GMAC]: ops.gmac },
    'ops/s',
    'micro',
  );
}
