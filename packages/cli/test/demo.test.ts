/**
 * `gbfleet demo` end to end on a small fleet: real workers, real signatures and MACs; every
 * phase's meter answers are the expected ones; bad flags exit 2 before any thread starts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

test('a small demo run: accepted, then replays and tampering rejected', async () => {
  const io = memoryIo();
  const code = await runCli(
    ['demo', '--meters', '2000', '--commands', '600', '--workers', '2', '--batch', '64', '--json'],
    io,
  );
  assert.is(code, 0, io.stderr.join(''));
  const summary = JSON.parse(io.stdout.join(''));
  assert.is(summary.ok, true);
  const byName = Object.fromEntries(summary.phases.map((p: { name: string }) => [p.name, p]));
  assert.equal(byName['deliver + check'].outcomes, { ACCEPTED: 600 });
  assert.equal(byName['replay (must be rejected)'].outcomes, { GBCS_REPLAY: 600 });
  assert.equal(byName['tampered (must be rejected)'].outcomes, { GBCS_MAC_INVALID: 600 });
  assert.ok(summary.completeCriticalCommandsPerSecond > 0);
  assert.match(io.stderr.join(''), /deriving device key material/);
});

test('bad flags exit 2 with a message naming the flag', async () => {
  for (const [args, pattern] of [
    [['demo', '--meters', 'lots'], /--meters/],
    [['demo', '--meters', '10', '--commands', '11'], /exceeds --meters/],
    [['demo', '--workers', '0'], /--workers/],
    [['demo', '--seed', ''], /--seed/],
    [['demo', '--frobnicate'], /frobnicate/],
    [['demo', 'extra'], /demo takes flags only, got "extra"/],
  ] as const) {
    const io = memoryIo();
    assert.is(await runCli([...args], io), 2, args.join(' '));
    assert.match(io.stderr.join(''), pattern);
  }
});

test.run();
