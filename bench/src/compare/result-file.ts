/**
 * Reading a bench result file for `bench:compare`: bytes → JSON → a checked `BenchDocument`.
 * Every problem is a ResultFileError whose message starts with the file name and names the field,
 * the value found and what is allowed, so a broken nightly says exactly which file to fix.
 */
import { readFile } from 'node:fs/promises';
import { type BenchDocument, type BenchResult, SCHEMA_VERSION } from '../result.js';

export class ResultFileError extends Error {
  override name = 'ResultFileError';
}

/** The parts of a result file that the comparison relies on (the rest is kept for people). */
export type ResultFile = Pick<BenchDocument, 'schemaVersion' | 'machine' | 'git' | 'date' | 'sizes' | 'slowdown'> & {
  results: BenchResult[];
};

export async function readResultFile(path: string, shownAs = path): Promise<ResultFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a result file'
          : code === 'EACCES'
            ? 'not readable (permission denied)'
            : (error as Error).message;
    throw new ResultFileError(`${shownAs}: ${why} (looked for ${path})`);
  }
  return parseResultFile(text, shownAs);
}

export function parseResultFile(text: string, file: string): ResultFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const hint = text.trim() === '' ? 'the file is empty' : (error as Error).message;
    throw new ResultFileError(`${file}: not JSON (${hint}); expected the file written by "pnpm bench --json FILE"`);
  }
  return checkResultFile(value, file);
}

export function checkResultFile(value: unknown, file: string): ResultFile {
  const fail = (field: string, found: unknown, allowed: string): never => {
    throw new ResultFileError(`${file}: ${field} is ${show(found)}: expected ${allowed}`);
  };
  if (!isObject(value)) fail('the top level', value, 'an object (the file written by "pnpm bench --json FILE")');
  const doc = value as Record<string, unknown>;
  if (doc.schemaVersion !== SCHEMA_VERSION) {
    fail(
      'schemaVersion',
      doc.schemaVersion,
      `${SCHEMA_VERSION} (a result file from this bench; re-run "pnpm bench --json FILE" to make one)`,
    );
  }
  const machine = doc.machine;
  if (!isObject(machine)) fail('machine', machine, 'an object with cpuModel, cores and kind');
  const m = machine as Record<string, unknown>;
  if (typeof m.cpuModel !== 'string') fail('machine.cpuModel', m.cpuModel, 'a string');
  if (!Number.isInteger(m.cores) || (m.cores as number) < 1) fail('machine.cores', m.cores, 'an integer ≥ 1');
  if (typeof m.kind !== 'string' || m.kind === '') fail('machine.kind', m.kind, 'a non-empty string');
  const git = doc.git;
  if (!isObject(git)) fail('git', git, 'an object with revision and dirty');
  const g = git as Record<string, unknown>;
  if (typeof g.revision !== 'string' || g.revision === '') fail('git.revision', g.revision, 'a commit id or "unknown"');
  if (typeof g.dirty !== 'boolean' && g.dirty !== 'unknown') fail('git.dirty', g.dirty, 'true, false or "unknown"');
  if (doc.sizes !== 'full' && doc.sizes !== 'quick') fail('sizes', doc.sizes, '"full" or "quick"');
  if (doc.slowdown !== undefined) {
    const s = doc.slowdown as Record<string, unknown>;
    if (!isObject(s) || typeof s.figure !== 'string' || !isFiniteNumber(s.factor)) {
      fail('slowdown', doc.slowdown, 'absent, or { figure: string, factor: number }');
    }
  }
  if (!Array.isArray(doc.results)) fail('results', doc.results, 'an array of figures');
  const seen = new Map<string, number>();
  const results = (doc.results as unknown[]).map((r, i) => {
    const result = checkResult(r, `results[${i}]`, fail);
    const earlier = seen.get(result.name);
    if (earlier !== undefined) fail(`results[${i}].name`, result.name, `a name not already used (results[${earlier}])`);
    seen.set(result.name, i);
    return result;
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    machine: machine as unknown as ResultFile['machine'],
    git: git as unknown as ResultFile['git'],
    date: typeof doc.date === 'string' ? doc.date : 'unknown',
    sizes: doc.sizes as ResultFile['sizes'],
    ...(doc.slowdown !== undefined ? { slowdown: doc.slowdown as ResultFile['slowdown'] } : {}),
    results,
  };
}

function checkResult(
  value: unknown,
  at: string,
  fail: (field: string, found: unknown, allowed: string) => never,
): BenchResult {
  if (!isObject(value)) return fail(at, value, 'an object with name, unit, value, p75, p99 and samples');
  const r = value as Record<string, unknown>;
  if (typeof r.name !== 'string' || r.name.trim() === '') fail(`${at}.name`, r.name, 'a non-empty string');
  const where = `${at} (${JSON.stringify(r.name)})`;
  if (typeof r.unit !== 'string' || r.unit === '') fail(`${where}.unit`, r.unit, 'a non-empty string such as "ops/s"');
  for (const key of ['value', 'p75', 'p99'] as const) {
    if (!isFiniteNumber(r[key]) || (r[key] as number) < 0) fail(`${where}.${key}`, r[key], 'a finite number ≥ 0');
  }
  if (!Number.isInteger(r.samples) || (r.samples as number) < 1) fail(`${where}.samples`, r.samples, 'an integer ≥ 1');
  if ((r.limit === undefined) !== (r.ratio === undefined)) {
    fail(`${where}.${r.limit === undefined ? 'limit' : 'ratio'}`, undefined, 'limit and ratio together, or neither');
  }
  if (r.limit !== undefined && (!isFiniteNumber(r.limit) || (r.limit as number) <= 0)) {
    fail(`${where}.limit`, r.limit, 'a finite number > 0');
  }
  if (r.ratio !== undefined && (!isFiniteNumber(r.ratio) || (r.ratio as number) < 0)) {
    fail(`${where}.ratio`, r.ratio, 'a finite number ≥ 0');
  }
  if (r.limitKind !== undefined && r.limitKind !== 'machine' && r.limitKind !== 'target') {
    fail(`${where}.limitKind`, r.limitKind, 'absent, "machine" or "target"');
  }
  if (r.limitKind === 'machine' && r.ratio === undefined) {
    fail(`${where}.ratio`, r.ratio, 'a ratio to the machine limit (limitKind is "machine")');
  }
  for (const key of ['lowerIsBetter', 'tracked'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'boolean') fail(`${where}.${key}`, r[key], 'absent, true or false');
  }
  return r as unknown as BenchResult;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function show(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return `an array`;
  if (isObject(value)) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
