/**
 * `gbfleet frame inspect`, run in-process over DCC's reference messages and over hostile files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const RTDS = fileURLToPath(new URL('../../../../shared/fixtures/gbcs-rtds/', import.meta.url));
const KEYSTORE = join(RTDS, 'keystore');
const ECS02 = join(RTDS, 'messages', '1.6_ECS02');
const KEYS = [
  'file',
  'cra',
  'originatorCounter',
  'originator',
  'recipient',
  'messageCode',
  'useCase',
  'signature',
  'mac',
];

function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-inspect-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('--json: one object per file with exactly the agreed keys, all checks valid', async () => {
  const io = memoryIo();
  const code = await runCli(['frame', 'inspect', '--keystore', KEYSTORE, '--json', ECS02], io);
  assert.is(code, 0, io.stderr.join(''));
  const lines = io.stdout.join('').trim().split('\n');
  assert.is(lines.length, 13);
  for (const line of lines) {
    const o = JSON.parse(line);
    assert.equal(Object.keys(o), KEYS);
    assert.match(o.originator, /^[0-9A-F]{16}$/);
    assert.match(o.messageCode, /^0x[0-9A-F]{4}$/);
    assert.match(o.originatorCounter, /^\d+$/);
    assert.ok(['absent', 'valid'].includes(o.signature), `${o.file}: signature ${o.signature}`);
    assert.ok(['absent', 'valid'].includes(o.mac), `${o.file}: mac ${o.mac}`);
  }
  const command = lines
    .map((l) => JSON.parse(l))
    .find((o) => o.file.endsWith('IMMEDIATE_SINGLE_SUCCESS_COMMAND_GBCS.HEX'));
  assert.equal(command, {
    file: join(ECS02, 'ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS_COMMAND_GBCS.HEX'),
    cra: 'command',
    originatorCounter: '1002',
    originator: '90B3D51F30010000',
    recipient: '00DB1234567890A0',
    messageCode: '0x001A',
    useCase: 'ECS02',
    signature: 'valid',
    mac: 'valid',
  });
});

test('without a keystore every check present is unverifiable', async () => {
  const io = memoryIo();
  assert.is(await runCli(['frame', 'inspect', '--json', ECS02], io), 0);
  for (const line of io.stdout.join('').trim().split('\n')) {
    const o = JSON.parse(line);
    assert.ok(['absent', 'unverifiable'].includes(o.signature));
    assert.ok(['absent', 'unverifiable'].includes(o.mac));
  }
});

test('bad files are reported one by one and the command goes on (exit 1)', () =>
  withTempDir(async (dir) => {
    const good = join(ECS02, 'ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS_COMMAND_GBCS.HEX');
    const goodHex = (await import('node:fs')).readFileSync(good, 'utf8').trim();
    writeFileSync(join(dir, 'a-not-hex.hex'), 'hello world');
    writeFileSync(join(dir, 'b-empty.hex'), '');
    writeFileSync(join(dir, 'c-truncated.hex'), goodHex.slice(0, 100));
    writeFileSync(
      join(dir, 'd-tampered.hex'),
      `${goodHex.slice(0, 200)}${goodHex[200] === '0' ? '1' : '0'}${goodHex.slice(201)}`,
    );
    writeFileSync(join(dir, 'e-block-transfer.hex'), 'DD01020304');
    const io = memoryIo();
    const code = await runCli(
      ['frame', 'inspect', '--keystore', KEYSTORE, '--json', dir, join(dir, 'missing.hex')],
      io,
    );
    assert.is(code, 1);
    const out = io.stdout
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.is(out.length, 6);
    assert.equal(Object.keys(out[0]), ['file', 'error']);
    assert.is(out[0].error.code, 'GBF_INPUT');
    assert.is(out[1].error.code, 'GBCS_MALFORMED');
    assert.match(out[1].error.message, /empty/);
    assert.is(out[2].error.code, 'GBCS_MALFORMED');
    assert.is(out[3].mac, 'invalid');
    assert.is(out[4].error.code, 'GBCS_UNSUPPORTED_BLOCK_TRANSFER');
    assert.is(out[5].error.code, 'GBF_INPUT');
  }));

test('bad flags and a bad keystore exit 2 with a message', async () => {
  for (const args of [
    ['frame', 'inspect'],
    ['frame', 'inspect', '--bogus', ECS02],
    ['frame', 'inspect', '--keystore', '/nonexistent/keys', ECS02],
    ['frame', 'explode'],
    ['nonsense'],
  ]) {
    const io = memoryIo();
    assert.is(await runCli(args, io), 2, args.join(' '));
    assert.match(io.stderr.join(''), /^gbfleet: .+\[GBF_(USAGE|INPUT)\]\n$/);
    assert.is(io.stdout.join(''), '');
  }
});

test('a folder with no .hex files exits 2 and names it, inspecting nothing', () =>
  withTempDir(async (dir) => {
    const empty = join(dir, 'empty');
    mkdirSync(join(empty, 'sub'), { recursive: true });
    writeFileSync(join(empty, 'notes.txt'), 'no messages here');
    for (const args of [
      ['frame', 'inspect', empty],
      ['frame', 'inspect', '--json', ECS02, empty],
    ]) {
      const io = memoryIo();
      assert.is(await runCli(args, io), 2, args.join(' '));
      assert.match(io.stderr.join(''), new RegExp(`frame inspect: ${empty} holds no \\.hex files .*\\[GBF_INPUT\\]`));
      assert.is(io.stdout.join(''), '', 'nothing is inspected');
    }
  }));

test('a keystore with a corrupt key names the file', () =>
  withTempDir(async (dir) => {
    writeFileSync(
      join(dir, '90b3d51f30010000-ds.pem'),
      '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n',
    );
    const io = memoryIo();
    assert.is(await runCli(['frame', 'inspect', '--keystore', dir, ECS02], io), 2);
    assert.match(io.stderr.join(''), /90b3d51f30010000-ds\.pem/);
  }));

test.run();
