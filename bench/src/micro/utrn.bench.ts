/**
 * Micro: UTRN top-up codes. Generate = PTUT fields → KDF + GMAC token MAC → 20 digits with the
 * GBCS check digit. Check = what a meter does with typed digits: structure and check digit, the
 * full counter from its 10 bits, then the MAC. Every code is checked to pass, so the bench fails
 * rather than measure a shortcut.
 */
import { randomBytes } from 'node:crypto';
import { generateUtrn, parseUtrn, reconstructUtrnCounter, verifyUtrnMac } from '@gbfleet/gbcs';
import { Bench } from 'tinybench';
import type { BenchSizes } from '../configurations.js';
import { type BenchResult, ratesFromBench } from '../result.js';

export const UTRN_GENERATE = 'utrn/generate';
export const UTRN_CHECK = 'utrn/check (digits, counter, MAC)';

const SUPPLIER = 0x90b3d51f30010000n;
const DEVICE = 0x00db100000000001n;
const FIRST_COUNTER = 0x1_0000_0000n;

export async function runUtrnMicro(sizes: BenchSizes): Promise<BenchResult[]> {
  const ops = sizes.micro.opsPerIteration;
  const sharedSecret = new Uint8Array(randomBytes(32));
  const counterAt = (i: number) => FIRST_COUNTER + (BigInt(i % 1000) << 32n);
  const codes = Array.from({ length: ops.utrnCheck }, (_, i) => ({
    counter: counterAt(i),
    utrn: generateUtrn({
      supplier: SUPPLIER,
      device: DEVICE,
      counter: counterAt(i),
      value: i % 8192,
      valueClass: 'pennies',
      sharedSecret,
    }).utrn,
  }));

  const bench = new Bench({ time: sizes.taskTimeMs, iterations: sizes.minIterations, throws: true });
  bench.add(UTRN_GENERATE, () => {
    let digits = 0;
    for (let i = 0; i < ops.utrnGenerate; i++) {
      digits += generateUtrn({
        supplier: SUPPLIER,
        device: DEVICE,
        counter: counterAt(i),
        value: i % 8192,
        valueClass: i & 1 ? 'pounds' : 'pennies',
        sharedSecret,
      }).utrn.length;
    }
    if (digits !== 20 * ops.utrnGenerate) throw new Error('a UTRN is not 20 digits');
  });
  bench.add(UTRN_CHECK, () => {
    for (const { counter, utrn } of codes) {
      const parsed = parseUtrn(utrn);
      if (!parsed.ok) throw new Error(`a good UTRN was rejected: ${parsed.message}`);
      // The meter has seen the previous top-up's counter and reconstructs this one from 10 bits.
      const full = reconstructUtrnCounter(parsed.counterBits, counter - (1n << 32n));
      if (full !== counter) throw new Error('the UTRN counter was not reconstructed');
      if (!verifyUtrnMac(parsed, { sharedSecret, supplier: SUPPLIER, device: DEVICE, counter: full })) {
        throw new Error('a good UTRN MAC did not verify');
      }
    }
  });
  await bench.run();
  return ratesFromBench(bench, { [UTRN_GENERATE]: ops.utrnGenerate, [UTRN_CHECK]: ops.utrnCheck }, 'codes/s', 'micro');
}
