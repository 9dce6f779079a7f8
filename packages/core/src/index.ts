/**
 * @gbfleet/core public entry. Scenarios and the CLI import from here only, never deep paths.
 */
export * from './errors.js';
export * from './bytes/hex.js';
export * from './crypto/gbcs-kdf.js';
export * from './crypto/aes-gmac.js';
export * from './keystore/keystore.js';
export * from './frames/index.js';
