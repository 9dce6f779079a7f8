/**
 * `pnpm fuzz`: the stress suite of issue 18. Feeds FUZZ_INPUTS (default 1,000,000) seeded inputs
 * to each decoder (FUZZ_SEED, default 1; FUZZ_TARGETS, a comma list, to pick some), prints per
 * target the inputs, accepted inputs, rejections and coded errors by code, crashes and the
 * slowest input, and exits 1 with a reproducer (target, seed, index, input hex) on any break.
 */
import { type FuzzStats, runTarget } from '../helpers/fuzz-harness.ts';
import { ALL_TARGETS } from '../helpers/fuzz-targets.ts';

const seed = Number(process.env.FUZZ_SEED ?? 1);
const inputs = Number(process.env.FUZZ_INPUTS ?? 1_000_000);
const only = process.env.FUZZ_TARGETS?.split(',').filter(Boolean);
const from = Number(process.env.FUZZ_FROM ?? 0);
if (!Number.isInteger(seed) || !Number.isInteger(inputs) || inputs < 1) {
  console.error('FUZZ_SEED and FUZZ_INPUTS must be integers (FUZZ_INPUTS ≥ 1)');
  process.exit(2);
}

const all: FuzzStats[] = [];
console.log(`fuzz: seed ${seed}, ${inputs} inputs per target from index ${from}, node ${process.version}`);
for (const make of ALL_TARGETS) {
  const target = make();
  if (only && !only.includes(target.name)) {
    target.close?.();
    continue;
  }
  try {
    const stats = await runTarget(target, seed, inputs, { from });
    all.push(stats);
    const codes = Object.entries(stats.codes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
    console.log(
      `${stats.target}: ${stats.inputs} inputs, ${stats.accepted} accepted, rejected/coded {${codes}}, ` +
        `${stats.crashes} crashes, ${stats.invariantBreaks} invariant breaks, ${stats.retimed} retimed, ` +
        `slowest ${stats.slowest.ms.toFixed(2)} ms (#${stats.slowest.index}), ${(stats.elapsedMs / 1000).toFixed(1)} s`,
    );
    for (const f of stats.failures) {
      console.log(
        `  BREAK ${f.kind} target=${f.target} seed=${f.seed} index=${f.index}: ${f.message}\n  input ${f.hex}`,
      );
    }
  } finally {
    target.close?.();
  }
}
console.log(`JSON ${JSON.stringify(all.map(({ failures, ...s }) => ({ ...s, failures: failures.length })))}`);
const broken = all.some((s) => s.crashes > 0 || s.invariantBreaks > 0);
process.exitCode = broken ? 1 : 0;
