#!/usr/bin/env node
// Runs every uvu suite (packages/*/test/**/*.test.ts, and bench/test) in one process through tsx,
// streams uvu's output, then prints the plain line `N passed, N failed` that CI reads.
// It fails when uvu fails or when no test ran at all. Usage: node scripts/run-tests.mjs [dir]
// `--conditions=source` makes workspace imports resolve to TypeScript sources, so tests need no build;
// worker threads inherit these execArgv, so `.ts` worker entries load too.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// uvu's exports hide package.json and bin.js; the root install links it here.
const uvuBin = join(root, 'node_modules', 'uvu', 'bin.js');
const dir = process.argv[2] ?? '.';
const pattern = String.raw`(^|[\\/])test[\\/].*\.test\.ts$`;
const args = [
  '--conditions=source',
  '--import',
  'tsx',
  uvuBin,
  dir,
  pattern,
  '-i',
  'fixtures',
  '-i',
  'helpers',
  '-i',
  'stress',
  '-i',
  'dist',
];

// tsx's cache leaks the files each worker thread opens (16 descriptors per pool, never closed), and
// the suite starts hundreds of pools in one process: without the cache it stays flat, no slower.
const env = { ...process.env, TSX_DISABLE_CACHE: '1' };
const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code, signal) => {
  // uvu's summary: "Total: N", "Passed: N", "Skipped: N" (colours stripped).
  const plain = tail.replace(new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g'), '');
  const read = (label) => {
    const m = new RegExp(`${label}:\\s+(\\d+)`).exec(plain);
    return m ? Number(m[1]) : undefined;
  };
  const total = read('Total') ?? 0;
  const passed = read('Passed') ?? 0;
  const skipped = read('Skipped') ?? 0;
  const failed = Math.max(0, total - passed - skipped);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (signal) {
    console.error(`test run killed by ${signal}`);
    process.exit(1);
  }
  if (total === 0) {
    console.error('no test ran: check the test file pattern');
    process.exit(1);
  }
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
