export * from './device-key-material.js';
export * from './p256-curve.js';
export * from './p256-keys.js';
