export * from './utrn-acceptance.js';
export * from './utrn-record-builder.js';
export * from './utrn-requests.js';
