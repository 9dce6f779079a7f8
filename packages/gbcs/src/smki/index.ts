export * from './device-key-material.js';
export * from './mac-secret-derivation.js';
export * from './mac-secret-store.js';
export * from './organisation-certificate.js';
export * from './p256-curve.js';
export * from './p256-keys.js';
export * from './seed-derivation.js';
export * from './trust-anchor-cells.js';
