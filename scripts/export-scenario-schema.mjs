#!/usr/bin/env node
// Writes scenarios/scenario.schema.json (the JSON Schema editors use for scenario files) from
// the zod schema in core, so the two never drift; a core test fails if the committed file is stale.
// Usage: node --conditions=source --import tsx scripts/export-scenario-schema.mjs [--check]
//   --check  write nothing; exit 1 if the committed file differs from what core produces.
import { execFileSync } from 'node:child_process';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { scenarioJsonSchema } from '../packages/core/src/scenario/scenario-schema.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'scenarios', 'scenario.schema.json');
const schema = scenarioJsonSchema();

if (process.argv.includes('--check')) {
  const committed = JSON.parse(await readFile(target, 'utf8').catch(() => 'null'));
  if (!isDeepStrictEqual(committed, schema)) {
    console.error(`${target} is stale: run node --conditions=source --import tsx scripts/export-scenario-schema.mjs`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  // Write then rename, so an interrupted export never leaves half a file.
  const temporary = `${target}.tmp`;
  await writeFile(temporary, `${JSON.stringify(schema, null, 2)}\n`);
  await rename(temporary, target);
  // Biome formats JSON too (short arrays on one line); format now so `biome check .` stays clean.
  // The staleness checks compare parsed JSON, so layout never makes the file stale.
  execFileSync(join(root, 'node_modules', '.bin', 'biome'), ['format', '--write', target], { stdio: 'ignore' });
  console.log(`wrote ${target}`);
}
