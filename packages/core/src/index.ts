/**
 * @gbfleet/core public entry: the simulation (fleet, parties, DCC model, engine, worker pool, run
 * records). The protocol it speaks is @gbfleet/gbcs's: import that from there, not from here.
 * Scenarios and the CLI import from here only, never deep paths.
 */

export * from './command-batch.js';
export * from './demo/signing-demo.js';
export * from './engine/charges.js';
export * from './engine/dcc-model.js';
export * from './engine/memory-estimate.js';
export * from './engine/originator-counter.js';
export * from './engine/resume-in-memory.js';
export * from './engine/run-checkpoint.js';
export * from './engine/run-engine.js';
export * from './engine/scenario-plugin.js';
export * from './engine/segment-range.js';
export * from './engine/segments-in-memory.js';
export * from './engine/shard-quota.js';
export * from './engine/shard-watchdog.js';
export * from './errors.js';
export * from './fleet/build-fleet.js';
export * from './fleet/fleet-state.js';
export * from './fleet/meter-consumption.js';
export * from './parties/party-table.js';
export * from './pool/batch-plan.js';
export * from './pool/crypto-pool.js';
export * from './random/index.js';
export * from './run/memory-sink.js';
export * from './run/record-builders.js';
export * from './run/record-sink.js';
export * from './run/run-records.js';
export * from './scenario/scenario-clock.js';
export * from './scenario/scenario-error.js';
export * from './scenario/scenario-schema.js';
export * from './scenario/scenario-spec.js';
export * from './scenario/section-reader.js';
export * from './utrn/index.js';
export * from './worker-protocol.js';
