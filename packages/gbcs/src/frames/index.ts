export * from './ber-length.js';
export * from './decode-frame.js';
export * from './encode-frame.js';
export * from './frame-mac.js';
export * from './frame-signature.js';
export * from './frame-types.js';
export * from './message-codes.js';
