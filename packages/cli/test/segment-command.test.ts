/**
 * `gbfleet run --segment` and `gbfleet merge` end to end on a small scenario: the layout, a
 * retry that replaces one segment's files only, and every refusal the issue lists — each a clear
 * message, exit 2, and nothing written or merged.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDigest } from '@gbfleet/reports';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../src/io.ts';
import { runCli } from '../src/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'gbfleet-segments-'));
const scenario = join(dir, 'small.yaml');
writeFileSync(
  scenario,
  `name: segment test
seed: "9"
days: 2
fleet:
  meters: 2000
  shardMeters: 500
  paymentMode: { prepayment: 0.5, credit: 0.5 }
  prepayment: { initialCreditPounds: { min: 0, max: 6 }, emergencyCreditPounds: 2 }
events:
  - { day: 0, hour: 18, type: weather-surge, multiplier: 2, hours: 12 }
  - { day: 1, hour: 3, type: supplier-fails, supplier: Cobalt Supply }
`,
);

async function gbfleet(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo(env);
  const code = await runCli(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

const segmentsOf = (out: string) =>
  [0, 1, 2, 3].map((k) => gbfleet(['run', scenario, '--workers', '1', '--segment', `${k}/4`, '--out', out]));

/** Every file under `root`, relative, with its modification time. */
function filesUnder(root: string, prefix = ''): Map<string, number> {
  const found = new Map<string, number>();
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) for (const [p, t] of filesUnder(root, path)) found.set(p, t);
    else found.set(path, statSync(join(root, path)).mtimeMs);
  }
  return found;
}

test('four segments in the hive layout merge into the single run; a retry of one replaces its files only', async () => {
  const single = await gbfleet(['run', scenario, '--workers', '1', '--out', join(dir, 'single'), '--json']);
  assert.equal(single.code, 0, single.err);
  const database = JSON.parse(single.out).database as string;
  const out = join(dir, 'four');
  for (const run of segmentsOf(out)) assert.equal((await run).code, 0);
  const runIds = readdirSync(join(out, 'manifests'));
  assert.equal(runIds.length, 1, 'all segments agree on the run id');
  const runId = (runIds[0] as string).slice('run_id='.length);
  assert.match(runId, /^segment-test-s9-[0-9a-f]{12}-n4$/);
  for (const table of ['parties', 'meters', 'alerts', 'commands', 'supply_events', 'utrn']) {
    assert.equal(readdirSync(join(out, table, `run_id=${runId}`)).sort(), [
      'segment=0',
      'segment=1',
      'segment=2',
      'segment=3',
    ]);
  }
  const manifest = JSON.parse(readFileSync(join(out, 'manifests', `run_id=${runId}`, 'segment=2.json'), 'utf8'));
  assert.equal(
    [manifest.segment, manifest.segments, manifest.status, manifest.firstMeter, manifest.meters],
    [2, 4, 'completed', 1000, 500],
  );
  assert.ok(!existsSync(join(out, '.work')), 'the work databases are gone');

  // The scheduler retries segment 1: only segment 1's files change.
  const before = filesUnder(out);
  assert.equal((await gbfleet(['run', scenario, '--workers', '1', '--segment', '1/4', '--out', out])).code, 0);
  const after = filesUnder(out);
  assert.equal([...after.keys()].sort(), [...before.keys()].sort());
  for (const [path, time] of after) {
    // Segment locks (segment-lock.ts) are opened, not rewritten: they hold no rows.
    if (path.startsWith('.locks')) continue;
    const ownedBySegment1 = path.includes('segment=1');
    assert.is(time !== before.get(path), ownedBySegment1, path);
  }

  const merged = await gbfleet(['merge', out, '--json']);
  assert.equal(merged.code, 0, merged.err);
  const result = JSON.parse(merged.out);
  assert.equal(result.segments, 4);
  assert.equal(await runDigest(result.path), await runDigest(database), 'merged = single run, table by table');
  // query, report and runs take the folder itself.
  const count = await gbfleet(['query', out, 'select count(*) as n from meters', '--json']);
  assert.equal(JSON.parse(count.out).n, 2000);
  const runs = await gbfleet(['runs', out, '--json']);
  assert.match(runs.out, /"status":"completed"/);
});

test('bad segments and folders are refused with exit 2 before anything runs', async () => {
  const out = join(dir, 'refused');
  const cases: Array<[string[], RegExp, Record<string, string>?]> = [
    [['--segment', '4/4'], /K must be below N/],
    [['--segment', '0/0'], /expected 1 to|expected a whole number/],
    [['--segment', 'x/2'], /expected K\/N/],
    [['--segments', '2'], /needs the segment index from a scheduler/],
    [['--segments', '2'], /outside 0 to 1/, { JOB_COMPLETION_INDEX: '2' }],
    [['--segment', '0/5'], /cannot split 2,000 meters into 5 segments: they make 4 shards of 500 meters/],
    [['--segment', '0/2', '--variant', 'v02'], /no sweep/],
  ];
  for (const [flags, pattern, env] of cases) {
    const r = await gbfleet(['run', scenario, '--workers', '1', '--out', out, ...flags], env);
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.err}`);
    assert.match(r.err, pattern);
  }
  assert.ok(!existsSync(join(out, 'manifests')), 'nothing written');

  // An OUT folder that holds another run's segments (another seed, so another run id).
  const shared = join(dir, 'shared');
  assert.equal((await gbfleet(['run', scenario, '--workers', '1', '--segment', '0/2', '--out', shared])).code, 0);
  const other = await gbfleet(['run', scenario, '--workers', '1', '--segment', '1/2', '--seed', '10', '--out', shared]);
  assert.equal(other.code, 2);
  assert.match(other.err, /holds files of another run \(segment-test-s9-[0-9a-f]{12}-n2\)/);
  assert.equal(readdirSync(join(shared, 'manifests')).length, 1);
});

test('merge refuses a missing, failed, mismatched or tampered set, naming the segments, and writes nothing', async () => {
  const out = join(dir, 'merge-cases');
  for (const run of [0, 1].map((k) =>
    gbfleet(['run', scenario, '--workers', '1', '--segment', `${k}/2`, '--out', out]),
  )) {
    assert.equal((await run).code, 0);
  }
  const [runDir] = readdirSync(join(out, 'manifests'));
  const manifestFile = (k: number) => join(out, 'manifests', runDir as string, `segment=${k}.json`);
  const original = readFileSync(manifestFile(1), 'utf8');
  const refused = async (pattern: RegExp) => {
    const r = await gbfleet(['merge', out]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, pattern);
    assert.equal(
      readdirSync(out).filter((f) => f.endsWith('.duckdb') || f.endsWith('.partial')),
      [],
      'nothing merged',
    );
  };
  const edit = (change: (m: Record<string, unknown>) => void) => {
    const m = JSON.parse(original);
    change(m);
    writeFileSync(manifestFile(1), JSON.stringify(m));
  };
  rmSync(manifestFile(1));
  await refused(/missing segment 1 of 2/);
  edit((m) => {
    m.status = 'failed';
    m.error = 'worker died';
  });
  await refused(/segment 1 failed \(worker died\)/);
  edit((m) => {
    m.codeVersion = '0.0.1-other';
  });
  await refused(/do not agree on the code version/);
  edit((m) => {
    m.segments = 3;
  });
  await refused(/do not agree on the segment count N/);
  edit((m) => {
    (m.rows as Record<string, number>).commands += 1;
  });
  await refused(/holds \d+ rows, its manifest says/);
  writeFileSync(manifestFile(1), '{ not json');
  await refused(/is not a readable segment manifest/);
  writeFileSync(manifestFile(1), original);
  mkdirSync(join(out, 'manifests', 'run_id=someone-else'));
  await refused(/holds segments of 2 runs/);
  rmSync(join(out, 'manifests', 'run_id=someone-else'), { recursive: true });
  const ok = await gbfleet(['merge', out, '--into', join(dir, 'merged.duckdb')]);
  assert.equal(ok.code, 0, ok.err);
  const again = await gbfleet(['merge', out, '--into', join(dir, 'merged.duckdb')]);
  assert.equal(again.code, 2, 'a merge never overwrites a run database');
  const empty = await gbfleet(['merge', join(dir, 'nothing-here')]);
  assert.equal(empty.code, 2);
  assert.match(empty.err, /holds no segments/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
