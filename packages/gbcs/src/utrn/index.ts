export * from './prepayment-key.js';
export * from './utrn-codec.js';
export * from './utrn-extended.js';
export * from './utrn-extended-commands.js';
export * from './utrn-keying.js';
export * from './verhoeff-gbcs.js';
