import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioError } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../src/errors.ts';
import { loadScenarioFile, MAX_SCENARIO_BYTES } from '../src/scenario-file.ts';

const DEFAULT_YAML = fileURLToPath(new URL('../../../scenarios/default.yaml', import.meta.url));
const MINIMAL = 'name: minimal\nfleet:\n  meters: 1000\n';

/** A fresh directory for the test's files, removed afterwards whatever happens. */
async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gbfleet-scenario-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `content` to a file, loads it, and returns the InputError it must raise. */
async function rejection(dir: string, content: string | Uint8Array, name = 'bad.yaml'): Promise<InputError> {
  const path = join(dir, name);
  await writeFile(path, content);
  return rejectionOf(path);
}

async function rejectionOf(path: string, options?: Parameters<typeof loadScenarioFile>[1]): Promise<InputError> {
  try {
    await loadScenarioFile(path, options);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    assert.is(error.code, 'GBF_INPUT');
    assert.is(error.exitCode, 2);
    assert.ok(error.message.startsWith(path), `message starts with the path: ${error.message}`);
    return error;
  }
  assert.unreachable(`expected ${path} to be rejected`);
  throw new Error('unreachable');
}

test('the default scenario loads: 100,000 meters, 30 hourly days, a surge and an outage', async () => {
  const loaded = await loadScenarioFile(DEFAULT_YAML);
  const text = await readFile(DEFAULT_YAML, 'utf8');
  assert.is(loaded.text, text);
  assert.is(loaded.hash, createHash('sha256').update(text).digest('hex'));
  const { spec } = loaded;
  assert.is(spec.fleet.meters, 100_000);
  assert.is(spec.days, 30);
  assert.is(spec.stepMinutes, 60);
  assert.equal(
    spec.fleet.suppliers.map((s) => [s.name, s.share, s.srp]),
    [
      ['Aurora Energy', 0.45, false],
      ['Beacon Power', 0.35, true],
      ['Cobalt Supply', 0.2, true],
    ],
  );
  assert.equal(spec.events, [
    { day: 10, hour: 0, type: 'weather-surge', params: { multiplier: 1.6, hours: 72 } },
    { day: 20, hour: 9, type: 'dcc-outage', params: { hours: 6 } },
  ]);
});

test('a minimal file gets defaults; the hash is of the text', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'minimal.yaml');
    await writeFile(path, MINIMAL);
    const loaded = await loadScenarioFile(path);
    assert.is(loaded.spec.fleet.meters, 1000);
    assert.is(loaded.spec.days, 30);
    assert.is(loaded.hash, createHash('sha256').update(MINIMAL).digest('hex'));
    // A UTF-8 byte-order mark is allowed and dropped.
    await writeFile(path, `\uFEFF${MINIMAL}`);
    assert.is((await loadScenarioFile(path)).text, MINIMAL);
  });
});

test('an invalid scenario lists every problem at file:line:col, in file order', async () => {
  await withTempDir(async (dir) => {
    const content = [
      'name: broken', //               1
      'days: 0', //                    2
      'fleet:', //                     3
      '  metres: 1000', //             4
      '  wan: { none: 0.06 }', //      5
      'events:', //                    6
      '  - day: 1', //                 7
      '    type: supplier-fails', //   8
      '    supplier: Zeta', //         9
    ].join('\n');
    const error = await rejection(dir, content);
    const path = join(dir, 'bad.yaml');
    assert.ok(error.cause instanceof ScenarioError);
    assert.is(
      error.message,
      [
        `${path}: invalid scenario, 5 problems:`,
        `  ${path}:2:1: days: got 0, expected an integer from 1 to 3650`,
        `  ${path}:3:1: fleet.meters: missing, expected an integer from 1 to 50000000`,
        `  ${path}:4:3: fleet.metres: unknown field (did you mean "meters"?)`,
        `  ${path}:5:3: fleet.wan: shares must sum to 1, got 0.97 (good 0.88 + intermittent 0.03 + none 0.06)`,
        `  ${path}:9:5: events[0].supplier: got "Zeta", expected one of "Aurora Energy", "Beacon Power", "Cobalt Supply"`,
      ].join('\n'),
    );
  });
});

test('plug-in event types and sections pass through the options', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'solr.yaml');
    await writeFile(
      path,
      `${MINIMAL}events:\n  - { day: 2, type: solr-appointed, delayDays: 3 }\nplugins:\n  solr: { strategy: all }\n`,
    );
    const options = { pluginEventTypes: { 'solr-appointed': 'solr' }, pluginSections: ['solr'] };
    const { spec } = await loadScenarioFile(path, options);
    assert.equal(spec.events[0]?.params, { delayDays: 3 });
    assert.equal(spec.plugins, { solr: { strategy: 'all' } });
    const error = await rejectionOf(path);
    assert.match(error.message, `${path}:5:15: events[0].type: got "solr-appointed", expected one of`);
    assert.match(error.message, `${path}:7:3: plugins.solr: unknown plug-in section`);
  });
});

test('YAML syntax errors give file:line:col and the parser message', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'bad.yaml');
    const flow = await rejection(dir, 'name: x\nfleet: { meters: 1000\ndays: 3\n');
    assert.match(flow.message, `${path}: not valid YAML:\n  ${path}:`);
    assert.match(flow.message, /bad\.yaml:\d+:\d+: .*(flow|Flow)/);
    const tab = await rejection(dir, 'name: x\nfleet:\n\tmeters: 1000\n');
    assert.match(tab.message, `${path}:3:1: Tabs are not allowed as indentation`);
    const indent = await rejection(dir, 'name: x\n  meters: 1\n');
    assert.match(indent.message, `${path}:1:7:`);
  });
});

test('duplicate keys are refused, naming the key', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'bad.yaml');
    const error = await rejection(dir, 'name: x\nfleet:\n  meters: 1000\n  meters: 2000\n');
    assert.is(
      error.message,
      `${path}: not valid YAML:\n  ${path}:4:3: duplicate key "meters" (keys in a mapping must be unique)`,
    );
  });
});

test('alias bombs, self-referencing aliases, tags, complex keys and several documents are refused', async () => {
  await withTempDir(async (dir) => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
    ].join('\n');
    assert.match((await rejection(dir, bomb)).message, 'YAML aliases expand too far');
    assert.match(
      (await rejection(dir, `${MINIMAL}plugins: &p { solr: [*p] }\n`)).message,
      'refers to a block that contains it',
    );
    assert.match((await rejection(dir, `${MINIMAL}description: !js/function "x"\n`)).message, 'Unresolved tag');
    assert.match((await rejection(dir, `${MINIMAL}? [a, b]\n: c\n`)).message, 'keys must be strings');
    assert.match((await rejection(dir, `${MINIMAL}---\n${MINIMAL}`)).message, 'multiple documents');
    // Modest reuse through aliases is fine.
    const path = join(dir, 'reuse.yaml');
    await writeFile(
      path,
      `name: x\nfleet:\n  meters: 10\n  prepayment:\n    initialCreditPounds: &r { min: 10, max: 30 }\n  topUp:\n    amountPounds: *r\n`,
    );
    assert.equal((await loadScenarioFile(path)).spec.fleet.topUp.amountPounds, { min: 10, max: 30 });
  });
});

test('empty, comment-only, missing, directory, oversized, binary and non-UTF-8 files', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'bad.yaml');
    assert.is(
      (await rejection(dir, '')).message,
      `${path}: the file is empty; a scenario needs at least name: and fleet: { meters: N }`,
    );
    assert.match((await rejection(dir, '  \n\n')).message, 'the file is empty');
    assert.match((await rejection(dir, '# nothing but a comment\n')).message, 'holds no YAML value');
    const missing = join(dir, 'nope.yaml');
    assert.is((await rejectionOf(missing)).message, `${missing}: no such file`);
    assert.match((await rejectionOf(join(dir, 'nope', 'deeper.yaml'))).message, 'no such file');
    const sub = join(dir, 'sub.yaml');
    await mkdir(sub);
    assert.is((await rejectionOf(sub)).message, `${sub}: is a directory, expected a scenario file (.yaml)`);
    const big = `${MINIMAL}description: "${'x'.repeat(MAX_SCENARIO_BYTES)}"\n`;
    assert.match((await rejection(dir, big)).message, 'over the 1 MB limit');
    const garbage = new Uint8Array(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    assert.match((await rejection(dir, garbage)).message, 'binary file');
    assert.match(
      (await rejection(dir, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xc3, 0x28, 0x0a]))).message,
      'not valid UTF-8',
    );
    // UTF-16 (as some Windows editors save) is not UTF-8 either.
    assert.match(
      (await rejection(dir, Buffer.from(`\uFEFF${MINIMAL}`, 'utf16le'))).message,
      'is UTF-16 text; save the scenario as UTF-8',
    );
  });
});

test('a scalar or a list at the top level is a scenario error, not a crash', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'bad.yaml');
    assert.match(
      (await rejection(dir, 'just text\n')).message,
      `${path}:1:1: (top level): got "just text", expected a mapping`,
    );
    assert.match((await rejection(dir, '- 1\n- 2\n')).message, '(top level): got a list of 2, expected a mapping');
  });
});

test('hostile input with many problems lists the first 50 and counts the rest', async () => {
  await withTempDir(async (dir) => {
    const events = Array.from({ length: 200 }, (_, i) => `  - { day: ${i}, type: nope }`).join('\n');
    const error = await rejection(dir, `${MINIMAL}events:\n${events}\n`);
    const lines = error.message.split('\n');
    assert.ok(lines.length <= 52);
    assert.match(lines.at(-1)!, /… and \d+ more$/);
  });
});

test.run();
