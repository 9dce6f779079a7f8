import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeMachine, gitInfo, machineKind } from '../src/machine.ts';

test('machine kind: cores and a short CPU slug', () => {
  assert.is(machineKind('AMD EPYC', 2), 'node-2core-amd-epyc');
  assert.is(machineKind('Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz', 8), 'node-8core-intel-xeon-platinum-8375c');
  assert.is(machineKind('AMD EPYC 7763 64-Core Processor', 4), 'node-4core-amd-epyc-7763');
  assert.is(machineKind('Apple M2', 8), 'node-8core-apple-m2');
  assert.is(machineKind('', 1), 'node-1core-unknown-cpu');
  assert.is(machineKind('(R) @ 3GHz', 1), 'node-1core-unknown-cpu');
  assert.ok(machineKind('x'.repeat(200), 2).length <= 'node-2core-'.length + 48);
});

test('describeMachine records CPU, cores, Node and OpenSSL versions, and its kind', () => {
  const m = describeMachine();
  assert.ok(m.cores >= 1);
  assert.is(m.node, process.versions.node);
  assert.is(m.openssl, process.versions.openssl);
  assert.is(m.kind, machineKind(m.cpuModel, m.cores));
});

test('git revision: the commit in this repository, "unknown" outside git', async () => {
  const here = gitInfo(new URL('.', import.meta.url).pathname);
  if (here.revision !== 'unknown') {
    assert.match(here.revision, /^[0-9a-f]{40}$/);
    assert.type(here.dirty, 'boolean');
  }
  const dir = await mkdtemp(join(tmpdir(), 'gbfleet-nogit-'));
  try {
    assert.equal(gitInfo(dir), { revision: 'unknown', dirty: 'unknown' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
