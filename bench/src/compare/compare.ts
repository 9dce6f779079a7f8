/**
 * Comparing two result files, figure by figure (matched by name). A figure regresses when it
 * moves the wrong way by more than the threshold percent: down for rates, up where
 * `lowerIsBetter`. Figures with a machine limit (`limitKind: "machine"`: crypto against
 * `openssl speed` in the same run) are compared by their ratio to that limit, so they stay
 * comparable across machines; other figures are compared by value, and gate only when both
 * files come from the same machine kind running at the same speed: OpenSSL's own limits, measured
 * in each run, must agree within the threshold (one kind of VM may land on hosts of different
 * speeds, or on a busy one). Untracked figures (the limits themselves) are listed.
 */
import type { BenchResult } from '../result.js';
import type { ResultFile } from './result-file.js';

export type Status = 'regressed' | 'improved' | 'unchanged';

export interface CompareRow {
  name: string;
  unit: string;
  compared: 'ratio' | 'value';
  base: number;
  new: number;
  /** (new − base) / base × 100; null when base is 0. */
  changePercent: number | null;
  lowerIsBetter: boolean;
  status: Status;
  /** False when a regression here would not fail the gate (a value from another machine kind). */
  gated: boolean;
}

export interface FileSummary {
  file: string;
  machineKind: string;
  cpuModel: string;
  revision: string;
  dirty: boolean | 'unknown';
  date: string;
  sizes: 'full' | 'quick';
}

export interface CompareReport {
  base: FileSummary;
  new: FileSummary;
  thresholdPercent: number;
  rows: CompareRow[];
  /** Figures the gate ignores (machine limits, derived figures): same columns, never gated. */
  untracked: CompareRow[];
  onlyInBase: string[];
  onlyInNew: string[];
  /** BASE figures compared under a newer name (RENAMED_FIGURES). */
  renamed: Array<{ from: string; to: string }>;
  warnings: string[];
  /** Mean change (%) of OpenSSL's own limits from BASE to NEW; null when they share none. */
  machineSpeedChangePercent: number | null;
  regressed: string[];
  exitCode: 0 | 1;
}

export function compareResults(
  base: ResultFile,
  next: ResultFile,
  thresholdPercent: number,
  files: { base: string; new: string },
): CompareReport {
  const warnings: string[] = [];
  const sameKind = base.machine.kind === next.machine.kind;
  const speedChange = machineSpeedChange(base, next);
  const sameSpeed = speedChange === null || Math.abs(speedChange) <= thresholdPercent;
  const sameMachine = sameKind && sameSpeed;
  const byRatioOnly =
    'figures with a machine limit are compared by ratio and gated; the others are shown but not gated';
  if (!sameKind) {
    warnings.push(`different machine kinds (${base.machine.kind} vs ${next.machine.kind}): ${byRatioOnly}`);
  } else if (!sameSpeed) {
    warnings.push(
      `same machine kind, not the same speed: OpenSSL's own limits moved by ${(speedChange as number).toFixed(1)} % (another host, or a busy one): ${byRatioOnly}`,
    );
  }
  if (base.sizes !== next.sizes) {
    warnings.push(`different sizes (${base.sizes} vs ${next.sizes}): same-named figures may not measure the same work`);
  }
  for (const [which, doc] of [
    ['BASE', base],
    ['NEW', next],
  ] as const) {
    if (doc.slowdown) {
      warnings.push(
        `${which} was deliberately slowed (GBFLEET_BENCH_SLOWDOWN=${doc.slowdown.factor} on "${doc.slowdown.figure}")`,
      );
    }
    if (doc.git.dirty === true) warnings.push(`${which} ran on a work tree with uncommitted changes`);
  }
  const newNames = new Set(next.results.map((r) => r.name));
  const baseNames = new Set(base.results.map((r) => r.name));
  // BASE's figures under NEW's names: one renamed since is compared under its new name.
  const baseByName = new Map<string, BenchResult>();
  const renamed: Array<{ from: string; to: string }> = [];
  for (const r of base.results) {
    const to = newNames.has(r.name) ? undefined : renamedFigure(r.name);
    if (to !== undefined && newNames.has(to) && !baseNames.has(to)) {
      renamed.push({ from: r.name, to });
      baseByName.set(to, r);
    } else baseByName.set(r.name, r);
  }
  const rows: CompareRow[] = [];
  const untracked: CompareRow[] = [];
  for (const n of next.results) {
    const b = baseByName.get(n.name);
    if (!b) continue;
    if (b.unit !== n.unit) {
      warnings.push(`"${n.name}": unit changed from ${b.unit} to ${n.unit}; not compared`);
      continue;
    }
    const row = compareOne(b, n, thresholdPercent, sameMachine);
    if (b.tracked === false || n.tracked === false) untracked.push({ ...row, status: 'unchanged', gated: false });
    else rows.push(row);
  }
  const regressed = rows.filter((r) => r.gated && r.status === 'regressed').map((r) => r.name);
  return {
    base: summary(base, files.base),
    new: summary(next, files.new),
    thresholdPercent,
    rows,
    untracked,
    onlyInBase: [...baseByName].filter(([name]) => !newNames.has(name)).map(([, r]) => r.name),
    onlyInNew: next.results.filter((r) => !baseByName.has(r.name)).map((r) => r.name),
    renamed,
    warnings,
    machineSpeedChangePercent: speedChange,
    regressed,
    exitCode: regressed.length > 0 ? 1 : 0,
  };
}

/**
 * Figures renamed since older result files (old name → new), so that a baseline made before a
 * rename still gates: the pool's and the key material's figures name their crypto kernel since
 * the native kernel came, and the figures before it were the JS kernel's.
 */
export const RENAMED_FIGURES: ReadonlyArray<{ from: RegExp; to: string }> = [
  { from: /^(pool\/complete-critical-command \(\d+ workers?, batch \d+)\)$/, to: '$1, js)' },
  { from: /^(keys\/device-key-material(?: seconds for 1,000,000)? \(\d+ workers?)\)$/, to: '$1, js)' },
];

/** The name a figure of an older file has now, or undefined when it was not renamed. */
export function renamedFigure(name: string): string | undefined {
  for (const { from, to } of RENAMED_FIGURES) if (from.test(name)) return name.replace(from, to);
  return undefined;
}

/** OpenSSL's own limits, measured in every run that has crypto figures: the machine's speed that day. */
const SPEED_PROBE = /^limit\/openssl /;

/**
 * How much faster (+) or slower (−) NEW's machine ran than BASE's, in percent: the geometric
 * mean of the ratios of the OpenSSL limits both files hold; null when they hold none in common.
 */
export function machineSpeedChange(base: ResultFile, next: ResultFile): number | null {
  const before = new Map(base.results.filter((r) => SPEED_PROBE.test(r.name)).map((r) => [r.name, r.value]));
  let logSum = 0;
  let count = 0;
  for (const r of next.results) {
    const b = before.get(r.name);
    if (b === undefined || !(b > 0) || !(r.value > 0)) continue;
    logSum += Math.log(r.value / b);
    count++;
  }
  return count === 0 ? null : (Math.exp(logSum / count) - 1) * 100;
}

export function compareOne(b: BenchResult, n: BenchResult, thresholdPercent: number, sameMachine: boolean): CompareRow {
  const byRatio =
    b.limitKind === 'machine' && n.limitKind === 'machine' && b.ratio !== undefined && n.ratio !== undefined;
  const before = byRatio ? (b.ratio as number) : b.value;
  const after = byRatio ? (n.ratio as number) : n.value;
  const lowerIsBetter = (n.lowerIsBetter ?? b.lowerIsBetter) === true;
  const changePercent = before === 0 ? null : ((after - before) / before) * 100;
  // How much better (+) or worse (−) NEW is, in percent; base 0 is better/worse by any change.
  const better =
    changePercent === null
      ? after === 0
        ? 0
        : lowerIsBetter
          ? -Infinity
          : Infinity
      : lowerIsBetter
        ? -changePercent
        : changePercent;
  const status: Status =
    better < -thresholdPercent ? 'regressed' : better > thresholdPercent ? 'improved' : 'unchanged';
  return {
    name: n.name,
    unit: n.unit,
    compared: byRatio ? 'ratio' : 'value',
    base: before,
    new: after,
    changePercent,
    lowerIsBetter,
    status,
    gated: byRatio || sameMachine,
  };
}

function summary(doc: ResultFile, file: string): FileSummary {
  return {
    file,
    machineKind: doc.machine.kind,
    cpuModel: doc.machine.cpuModel,
    revision: doc.git.revision,
    dirty: doc.git.dirty,
    date: doc.date,
    sizes: doc.sizes,
  };
}

/** The report as a table for people. */
export function formatReport(report: CompareReport): string {
  const describe = (s: FileSummary) =>
    `${s.file} (${s.machineKind}, ${s.revision === 'unknown' ? 'revision unknown' : s.revision.slice(0, 12)}${s.dirty === true ? '-dirty' : ''}, ${s.date.slice(0, 16).replace('T', ' ')}, ${s.sizes})`;
  const out = [`BASE ${describe(report.base)}`, `NEW  ${describe(report.new)}`, ''];
  const table = (rows: CompareRow[], withStatus: boolean) => {
    const header = ['figure', 'unit', 'compares', 'base', 'new', 'change', ...(withStatus ? ['status'] : [])];
    const cells = rows.map((r) => [
      r.name,
      r.unit,
      `${r.compared}${r.lowerIsBetter ? ' (lower is better)' : ''}`,
      number(r.base),
      number(r.new),
      r.changePercent === null ? 'n/a' : `${r.changePercent >= 0 ? '+' : ''}${r.changePercent.toFixed(1)} %`,
      ...(withStatus ? [`${r.status}${r.gated ? '' : ' (not gated: other machine)'}`] : []),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
    const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] as number)).join(' | ')} |`;
    return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  };
  if (report.rows.length > 0) out.push(...table(report.rows, true));
  else out.push('No tracked figure is in both files.');
  if (report.untracked.length > 0) {
    out.push('', 'Not gated (machine limits and derived figures):', ...table(report.untracked, false));
  }
  if (report.renamed.length > 0) {
    out.push(
      '',
      'Renamed since BASE (compared under the new name):',
      ...report.renamed.map((r) => `  ${r.from} → ${r.to}`),
    );
  }
  if (report.onlyInBase.length > 0)
    out.push('', 'Only in BASE (not compared):', ...report.onlyInBase.map((n) => `  ${n}`));
  if (report.onlyInNew.length > 0)
    out.push('', 'Only in NEW (not compared):', ...report.onlyInNew.map((n) => `  ${n}`));
  if (report.warnings.length > 0) out.push('', 'Warnings:', ...report.warnings.map((w) => `  ${w}`));
  const count = (s: Status) => report.rows.filter((r) => r.status === s).length;
  out.push(
    '',
    `${count('regressed')} regressed, ${count('improved')} improved, ${count('unchanged')} unchanged (threshold ${report.thresholdPercent} %)`,
    report.exitCode === 1
      ? `FAIL: ${report.regressed.length} tracked figure(s) regressed by more than ${report.thresholdPercent} %: ${report.regressed.join('; ')}`
      : 'OK: no tracked figure regressed by more than the threshold',
  );
  return `${out.join('\n')}\n`;
}

function number(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-GB');
  return value.toPrecision(4);
}
