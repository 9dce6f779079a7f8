/**
 * Errors thrown by @gbfleet/core's simulation (the protocol's own errors live in @gbfleet/gbcs,
 * with GbfleetError, their base). Match on `code`, never on `instanceof`: structured clone across
 * a worker drops subclasses.
 */
import { GbfleetError } from '@gbfleet/gbcs';

/** A worker task failed; carries the shard and step so the run can say where. */
export class WorkerTaskError extends GbfleetError {
  readonly shard: number;
  readonly step: number;
  constructor(message: string, shard: number, step: number, options?: { cause?: unknown }) {
    super('GBF_WORKER_TASK', message, options);
    this.name = 'WorkerTaskError';
    this.shard = shard;
    this.step = step;
  }
}

/** A worker was started or used without what it needs (a programming mistake, not bad input). */
export class WorkerSetupError extends GbfleetError {
  constructor(message: string) {
    super('GBF_WORKER_SETUP', message);
    this.name = 'WorkerSetupError';
  }
}

/**
 * A pool task ran far longer than its peers (or than the configured limit): the worker is hung or
 * starved. The run is failed rather than left waiting forever; the message names shard and step.
 */
export class WorkerHungError extends GbfleetError {
  readonly shard: number;
  readonly step: number;
  constructor(message: string, shard: number, step: number) {
    super('GBF_WORKER_HUNG', message);
    this.name = 'WorkerHungError';
    this.shard = shard;
    this.step = step;
  }
}
