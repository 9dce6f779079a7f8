/**
 * Worker-thread entry of the crypto pool (main side: `../pool/crypto-pool.ts`). Builds its state
 * once from piscina's `workerData`, then answers tasks. Failures go back as data
 * ({ type: 'failed', code, message, shard, step }) because error classes do not survive
 * structured clone.
 */
import { isWorkerThread, move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { WorkerSetupError } from '../errors.js';
import type { WorkerInit, WorkerResult, WorkerTask } from '../worker-protocol.js';
import { handleTask } from './crypto-handlers.js';
import { createWorkerState, type WorkerState } from './worker-state.js';

if (!isWorkerThread) {
  throw new WorkerSetupError('crypto-worker.ts is a piscina worker entry: start it through CryptoPool, not directly');
}

let state: WorkerState | undefined;

export default function cryptoWorker(task: WorkerTask): WorkerResult {
  try {
    state ??= createWorkerState(workerData as WorkerInit);
    const result = handleTask(state, task);
    return transferable(result);
  } catch (error) {
    const err = error as { code?: unknown; message?: unknown };
    return {
      type: 'failed',
      code: typeof err.code === 'string' ? err.code : 'GBF_WORKER_EXCEPTION',
      message: typeof err.message === 'string' ? err.message : String(error),
      shard: task.shard,
      step: task.step,
    };
  }
}

/** Hands result buffers back without copying (piscina's Transferable protocol). */
function transferable(result: WorkerResult): WorkerResult {
  const views: ArrayBufferView[] = [];
  if (result.type === 'verified' || result.type === 'round-tripped') views.push(result.outcomes);
  if (result.type === 'shard-stepped') {
    const { outcomes, alerts, supply, topUps, utrn } = result.result;
    views.push(outcomes, ...Object.values(alerts), ...Object.values(supply), topUps.meter, topUps.pounds);
    // UTRN rows: the typed-array columns move; the digits (strings) are cloned.
    if (utrn) views.push(utrn.step, utrn.meter, utrn.supplier, utrn.valuePence, utrn.status);
  }
  if (result.type === 'signed') {
    const { batch } = result;
    views.push(batch.device, batch.critical, batch.frames.bytes, batch.frames.offsets);
  }
  const buffers = [...new Set(views.filter(ArrayBuffer.isView).map((v) => v.buffer))].filter(
    (b) => b instanceof ArrayBuffer && b.byteLength > 0,
  );
  if (buffers.length === 0) return result;
  return move({ [transferableSymbol]: buffers, [valueSymbol]: result }) as unknown as WorkerResult;
}
