/**
 * `GBFLEET_BENCH_SLOWDOWN=F` deliberately slows one hot path — the frame decoder's micro bench —
 * by a factor F, so a user can watch the regression gate trip for real. The busy work lives here,
 * inside that bench's timed loop, never in core: each timed iteration decodes its frames, then
 * spins for (F − 1) × the time the decoding took, so the figure drops to 1/F of its real value.
 */

export const SLOWDOWN_ENV = 'GBFLEET_BENCH_SLOWDOWN';
/** The figure the slowdown applies to (see micro/frames.bench.ts). */
export const SLOWED_FIGURE = 'frames/decode (signed, MAC-wrapped)';
const MAX_FACTOR = 10;

export class SlowdownError extends Error {
  override name = 'SlowdownError';
}

/** 1 when the variable is unset or empty; throws SlowdownError naming the value and what is allowed. */
export function slowdownFactor(env: Record<string, string | undefined> = process.env): number {
  const raw = env[SLOWDOWN_ENV];
  if (raw === undefined || raw.trim() === '') return 1;
  const factor = Number(raw.trim());
  if (!Number.isFinite(factor) || factor < 1 || factor > MAX_FACTOR) {
    throw new SlowdownError(
      `${SLOWDOWN_ENV}=${JSON.stringify(raw)} is not a slowdown factor: use a number from 1 to ${MAX_FACTOR}, e.g. 1.3 (30 % slower); unset it for real figures`,
    );
  }
  return factor;
}

/**
 * Runs `work` and then, when `factor` > 1, busy-waits for (factor − 1) × the time `work` took.
 * A spin, not a sleep: the core stays busy, as it would with a really slower decoder.
 */
export function slowed(factor: number, work: () => void): void {
  if (factor <= 1) {
    work();
    return;
  }
  const started = performance.now();
  work();
  const until = started + (performance.now() - started) * factor;
  while (performance.now() < until) {
    // spin
  }
}
