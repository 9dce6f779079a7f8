/**
 * @gbfleet/gbcs public entry: the GBCS-like protocol with no simulation in it (bytes, crypto,
 * frames, SMKI keys and certificates, the keystore, service requests, the device's acceptance
 * rules and the UTRN codec). Other packages import from here only, never deep paths.
 */

export * from './bytes/hex.js';
export * from './bytes/packed-bytes.js';
export * from './commands/service-requests.js';
export * from './crypto/aes-gmac.js';
export * from './crypto/crypto-kernel.js';
export * from './crypto/gbcs-kdf.js';
export * from './errors.js';
export * from './frames/index.js';
export * from './keystore/keystore.js';
export * from './rules/command-check-batch.js';
export * from './rules/command-outcome.js';
export * from './rules/device-command-check.js';
export * from './smki/index.js';
export * from './utrn/index.js';
