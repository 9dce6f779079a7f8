/**
 * docs/errors.md lists every error code the source can throw, and only those; and the exit
 * status it gives for the codes the CLI maps itself is the one the CLI uses.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const root = join(import.meta.dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const codesInSource = new Set(
  readdirSync(join(root, 'packages')).flatMap((pkg) => {
    const src = join(root, 'packages', pkg, 'src');
    try {
      statSync(src);
    } catch {
      return [];
    }
    return sourceFiles(src).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/'(GBF_[A-Z0-9_]+)'/g)].map((m) => m[1] as string),
    );
  }),
);

const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| `(GBF_[A-Z0-9_]+)` +\| ([a-z-]+) +\| (\d) +\|/gm)].map((m) => [m[1] as string, Number(m[3])]),
);

test('every code in the source is documented, and every documented code exists', () => {
  assert.ok(codesInSource.size >= 20, `found only ${codesInSource.size} codes: the scan is broken`);
  const missing = [...codesInSource].filter((code) => !rows.has(code)).sort();
  const stale = [...rows.keys()].filter((code) => !codesInSource.has(code)).sort();
  assert.equal(missing, [], `codes missing from docs/errors.md: ${missing.join(', ')}`);
  assert.equal(stale, [], `docs/errors.md lists codes no source throws: ${stale.join(', ')}`);
});

test('the exit status documented is the one the CLI gives', async () => {
  const cases: Array<[string[], string]> = [
    [['run', '--bogus'], 'GBF_USAGE'],
    [['query', join(root, 'no-such-run.duckdb'), 'select 1'], 'GBF_INPUT'],
  ];
  for (const [args, code] of cases) {
    const io = memoryIo();
    const exit = await runCli(args, io);
    assert.match(io.stderr.join(''), `[${code}]`);
    assert.is(exit, rows.get(code), `${code}: exit ${exit}, docs/errors.md says ${rows.get(code)}`);
  }
});

test.run();
