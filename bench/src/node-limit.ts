/**
 * What Node's single-thread crypto allows on N cores: N threads, each running a tight
 * sign loop then a tight verify loop at the same time as the others (no pool, no frames, no
 * MAC). Measured concurrently because two busy cores are slower than twice one busy core.
 * The pool's complete-command rate is compared with this.
 */
import { Worker } from 'node:worker_threads';
import { combinedRate } from './openssl-limit.js';

export interface NodeLimit {
  threads: number;
  /** Summed over threads. */
  signPerSecond: number;
  verifyPerSecond: number;
  /** Sum over threads of 1/(1/sign + 1/verify): complete commands the raw crypto allows. */
  signVerifyPerSecond: number;
}

const LOOP = `
const { parentPort, workerData } = require('node:worker_threads');
const { generateKeyPairSync, randomBytes, sign, verify } = require('node:crypto');
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const message = randomBytes(150);
const opts = { key: privateKey, dsaEncoding: 'ieee-p1363' };
const signature = sign('sha256', message, opts);
const vopts = { key: publicKey, dsaEncoding: 'ieee-p1363' };
const run = (fn, ms) => {
  const end = performance.now() + ms;
  let n = 0;
  const start = performance.now();
  while (performance.now() < end) { for (let i = 0; i < 50; i++) fn(); n += 50; }
  return n / ((performance.now() - start) / 1000);
};
// Both threads start each phase together (the barrier is the shared Int32Array).
const barrier = new Int32Array(workerData.barrier);
const sync = (phase) => { Atomics.add(barrier, phase, 1); while (Atomics.load(barrier, phase) < workerData.threads) Atomics.wait(barrier, phase, Atomics.load(barrier, phase), 5); };
sync(0);
const s = run(() => sign('sha256', message, opts), workerData.ms);
sync(1);
const v = run(() => { if (!verify('sha256', message, vopts, signature)) throw new Error('bad verify'); }, workerData.ms);
parentPort.postMessage({ s, v });
`;

export async function measureNodeLimit(threads: number, seconds = 2): Promise<NodeLimit> {
  const barrier = new SharedArrayBuffer(8);
  const results = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<{ s: number; v: number }>((resolve, reject) => {
          const worker = new Worker(LOOP, { eval: true, workerData: { ms: (seconds * 1000) / 2, threads, barrier } });
          worker.once('message', (m: { s: number; v: number }) => {
            resolve(m);
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
  return {
    threads,
    signPerSecond: results.reduce((a, r) => a + r.s, 0),
    verifyPerSecond: results.reduce((a, r) => a + r.v, 0),
    signVerifyPerSecond: results.reduce((a, r) => a + combinedRate(r.s, r.v), 0),
  };
}
