/**
 * @gbfleet/core public entry. Scenarios and the CLI import from here only, never deep paths.
 */

export * from './bytes/hex.js';
export * from './bytes/packed-bytes.js';
export * from './commands/service-requests.js';
export * from './crypto/aes-gmac.js';
export * from './crypto/gbcs-kdf.js';
export * from './demo/signing-demo.js';
export * from './engine/dcc-model.js';
export * from './engine/run-engine.js';
export * from './engine/scenario-plugin.js';
export * from './errors.js';
export * from './fleet/build-fleet.js';
export * from './fleet/fleet-state.js';
export * from './frames/index.js';
export * from './keystore/keystore.js';
export * from './parties/party-table.js';
export * from './pool/batch-plan.js';
export * from './pool/command-batch.js';
export * from './pool/crypto-pool.js';
export * from './random/index.js';
export * from './rules/command-outcome.js';
export * from './rules/device-command-check.js';
export * from './run/memory-sink.js';
export * from './run/record-builders.js';
export * from './run/record-sink.js';
export * from './run/run-records.js';
export * from './scenario/scenario-clock.js';
export * from './scenario/scenario-error.js';
export * from './scenario/scenario-schema.js';
export * from './scenario/scenario-spec.js';
export * from './scenario/section-reader.js';
export * from './smki/index.js';
export * from './utrn/index.js';
export * from './worker-protocol.js';
