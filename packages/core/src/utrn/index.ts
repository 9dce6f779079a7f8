export * from './utrn-codec.js';
export * from './verhoeff-gbcs.js';
