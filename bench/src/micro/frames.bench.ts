/**
 * Micro: GBCS frame encoding and decoding, without the crypto (that is crypto.bench.ts). Encode =
 * the General Signing APDU from its fields with a ready signature, then the MAC wrapper with a
 * ready MAC; decode = the whole MAC-wrapped, signed frame back to its fields, bounds-checked.
 * The frame is built once with real keys and checked to decode to the same fields.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { buildFrame, decodeFrame, encodeApdu, encodeMacWrapped, type FrameFields } from '@gbfleet/gbcs';
import { Bench } from 'tinybench';
import type { BenchSizes } from '../configurations.js';
import { type BenchResult, ratesFromBench } from '../result.js';
import { SLOWED_FIGURE, slowed } from '../slowdown.js';

export const ENCODE = 'frames/encode (signed, MAC-wrapped)';
export const DECODE = SLOWED_FIGURE;

/** `slowdown` > 1 deliberately slows the decode figure (GBFLEET_BENCH_SLOWDOWN, slowdown.ts). */
export async function runFramesMicro(sizes: BenchSizes, slowdown = 1): Promise<BenchResult[]> {
  const ops = sizes.micro.opsPerIteration;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const fields: FrameFields = {
    cra: 1,
    originatorCounter: 0x1_0000_0001n,
    originator: 0x90b3d51f30000002n,
    recipient: 0x00db100000000001n,
    dateTime: null,
    messageCode: 0x0040,
    supplementaryRemoteParty: { eui: 0x90b3d51f30010000n, counter: 0x1_0000_0001n },
    extraOtherInformation: new Uint8Array(0),
    payload: new Uint8Array(randomBytes(sizes.micro.framePayloadBytes)),
  };
  const frame = buildFrame(fields, { signingKey: privateKey, macSecret: new Uint8Array(randomBytes(32)) });
  const decoded = decodeFrame(frame);
  if (!decoded.ok || !decoded.frame.signature || !decoded.frame.mac) {
    throw new Error(`the bench frame does not decode as signed and MAC-wrapped: ${decoded.ok ? '' : decoded.message}`);
  }
  const { signature, mac } = decoded.frame;
  const reencoded = encodeMacWrapped(encodeApdu(fields, signature), mac);
  if (Buffer.compare(reencoded, frame) !== 0) throw new Error('encoding the decoded fields gives other bytes');

  const bench = new Bench({ time: sizes.taskTimeMs, iterations: sizes.minIterations, throws: true });
  bench.add(ENCODE, () => {
    let length = 0;
    for (let i = 0; i < ops.encode; i++) length += encodeMacWrapped(encodeApdu(fields, signature), mac).length;
    if (length !== frame.length * ops.encode) throw new Error('an encoded frame has the wrong length');
  });
  bench.add(DECODE, () => {
    slowed(slowdown, () => {
      for (let i = 0; i < ops.decode; i++) {
        if (!decodeFrame(frame).ok) throw new Error('a good frame was rejected');
      }
    });
  });
  await bench.run();
  return ratesFromBench(bench, { [ENCODE]: ops.encode, [DECODE]: ops.decode }, 'frames/s', 'micro');
}
