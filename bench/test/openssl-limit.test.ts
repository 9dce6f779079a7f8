import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { combinedRate, parseOpensslMachineReadable, parseOpensslSpeed } from '../src/openssl-limit.ts';

test('reads sign/s and verify/s from openssl speed -multi output', () => {
  const output = `Forked child 0
Got: +F4:0:256:0.000031:0.000090 from 0
                              sign    verify    sign/s verify/s
 256 bits ecdsa (nistp256)   0.0000s   0.0000s  63456.0  22012.5
`;
  assert.equal(parseOpensslSpeed(output), { signPerSecond: 63456, verifyPerSecond: 22012.5 });
});

test('reads the single-process layout too', () => {
  const output = ' 256 bits ecdsa (nistp256)   0.0000s   0.0001s  31728.2  11006.1\n';
  assert.equal(parseOpensslSpeed(output), { signPerSecond: 31728.2, verifyPerSecond: 11006.1 });
});

test('returns null when the line is missing or garbled', () => {
  assert.is(parseOpensslSpeed(''), null);
  assert.is(parseOpensslSpeed('256 bits ecdsa (nistp256) n/a n/a'), null);
  assert.is(parseOpensslSpeed('Error: unknown algorithm ecdsap256'), null);
});

test('combined rate of a sign then a verify', () => {
  assert.is(combinedRate(60, 30), 20);
});

test('reads bytes/s from openssl speed -mr output', () => {
  assert.is(parseOpensslMachineReadable('+H:64\n+F:6:sha256:533645123.23\n'), 533645123.23);
  assert.is(parseOpensslMachineReadable('+H:256\n+F:25:AES-128-GCM:814695501.08\n'), 814695501.08);
  assert.is(parseOpensslMachineReadable(''), null);
  assert.is(parseOpensslMachineReadable('+F:6:sha256:abc'), null);
  assert.is(parseOpensslMachineReadable('+F:6:sha256:0'), null);
  assert.is(parseOpensslMachineReadable('Invalid command'), null);
});

test.run();
