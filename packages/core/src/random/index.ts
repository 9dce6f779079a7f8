export * from './meter-random.js';
export * from './seeded-random.js';
