/**
 * The two crypto kernels through whole runs (issue 20): a run signed, MAC'd and checked by the
 * native kernel ends in exactly the database the JS kernel gives, for the hostile scenario (every
 * forgery the meters must refuse) and the SoLR one (trust anchors replaced while commands are in
 * flight). Where the addon is missing, a run still works and says so in one line; a GBFLEET_CRYPTO
 * that cannot be honoured is a usage error; and the install's build step never fails an install.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDigest } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';
import { spawnGbfleet } from './helpers/cli-process.ts';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'gbfleet-kernels-'));

async function digestWith(crypto: 'js' | 'native', scenario: string, meters: number, days: number): Promise<string> {
  const out = join(dir, `${scenario}-${crypto}`);
  const before = process.env.GBFLEET_CRYPTO;
  process.env.GBFLEET_CRYPTO = crypto;
  try {
    const io = memoryIo();
    const args = ['run', join(root, 'scenarios', `${scenario}.yaml`), '--meters', String(meters)];
    const code = await runCli([...args, '--days', String(days), '--out', out, '--workers', '2'], io);
    assert.is(code, 0, io.stderr.join(''));
    assert.not.match(io.stderr.join(''), /JavaScript crypto/, 'the native kernel is built here: no fallback line');
  } finally {
    if (before === undefined) delete process.env.GBFLEET_CRYPTO;
    else process.env.GBFLEET_CRYPTO = before;
  }
  const file = readdirSync(out).find((f) => f.endsWith('.duckdb'));
  assert.ok(file, `no run database in ${out}`);
  return runDigest(join(out, file as string));
}

test('hostile-party: the native and JS kernels give the same run database, forgeries and all', async () => {
  const native = await digestWith('native', 'hostile-party', 4000, 6);
  const js = await digestWith('js', 'hostile-party', 4000, 6);
  assert.is(native, js);
});

test('solr-disorderly-exit: the same database while trust anchors change mid-run', async () => {
  const native = await digestWith('native', 'solr-disorderly-exit', 3000, 20);
  const js = await digestWith('js', 'solr-disorderly-exit', 3000, 20);
  assert.is(native, js);
});

function gbfleet(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; err: string }> {
  return new Promise((done) => {
    const child = spawnGbfleet(args, ['ignore', 'ignore', 'pipe'], env);
    let err = '';
    child.stderr?.on('data', (chunk) => {
      err += chunk;
    });
    child.on('close', (code) => done({ code, err }));
  });
}

test('without the addon a run uses the JS crypto, says so in one line, and succeeds', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, GBFLEET_NATIVE_ADDON: join(dir, 'no-such-addon.node') };
  delete env.GBFLEET_CRYPTO;
  const { code, err } = await gbfleet(['demo', '--meters', '2000', '--commands', '600', '--workers', '1'], env);
  assert.is(code, 0, err);
  const lines = err.split('\n').filter((l) => /JavaScript crypto/.test(l));
  assert.is(lines.length, 1, err);
  assert.match(lines[0] as string, /the native crypto kernel is not built/);
});

test('GBFLEET_CRYPTO=native without the addon, or an unknown value, is a usage error (exit 2)', async () => {
  const missing = { ...process.env, GBFLEET_NATIVE_ADDON: join(dir, 'no-such-addon.node'), GBFLEET_CRYPTO: 'native' };
  const a = await gbfleet(['demo', '--meters', '1000', '--commands', '100'], missing);
  assert.is(a.code, 2);
  assert.match(a.err, /GBFLEET_CRYPTO=native, but the native crypto kernel is not built.*GBF_USAGE/s);
  const b = await gbfleet(['demo', '--meters', '1000', '--commands', '100'], {
    ...process.env,
    GBFLEET_CRYPTO: 'fast',
  });
  assert.is(b.code, 2);
  assert.match(b.err, /GBFLEET_CRYPTO must be js or native, not "fast"/);
});

test('the install step: no compiler → one line and exit 0 (exit 1 with --strict), and no addon', () => {
  // A copy of the package, so the real build is never touched; its node_modules is the real one.
  const pkg = join(root, 'packages/gbcs-native');
  const copy = join(dir, 'gbcs-native');
  for (const part of ['binding.gyp', 'native', 'scripts', 'package.json'])
    cpSync(join(pkg, part), join(copy, part), { recursive: true });
  symlinkSync(join(pkg, 'node_modules'), join(copy, 'node_modules'));
  const env = { ...process.env, CXX: '/bin/false', CC: '/bin/false' };
  const lenient = spawnSync(process.execPath, ['scripts/build-addon.mjs'], { cwd: copy, env, encoding: 'utf8' });
  assert.is(lenient.status, 0, lenient.stderr);
  assert.match(
    lenient.stderr,
    /gbcs-native: .*the native crypto kernel is not built; gbfleet will use its JavaScript crypto/,
  );
  assert.not.ok(existsSync(join(copy, 'build/Release/gbcs_native.node')));
  const strict = spawnSync(process.execPath, ['scripts/build-addon.mjs', '--strict'], {
    cwd: copy,
    env,
    encoding: 'utf8',
  });
  assert.is(strict.status, 1);
  const skipped = spawnSync(process.execPath, ['scripts/build-addon.mjs'], {
    cwd: copy,
    env: { ...process.env, GBFLEET_NATIVE_BUILD: 'skip' },
    encoding: 'utf8',
  });
  assert.is(skipped.status, 0);
  assert.match(skipped.stderr, /GBFLEET_NATIVE_BUILD=skip/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
