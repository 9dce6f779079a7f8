/**
 * Where a command writes. Commands never touch process.stdout directly, so tests can run them
 * in-process and read what they printed; only main.ts binds this to the real streams.
 */
export interface CliIo {
  /** Writes text as is (add your own newline). */
  out(text: string): void;
  /** Diagnostics and progress: never mixed into machine-readable stdout. */
  err(text: string): void;
  /** True when stderr is a terminal (progress may redraw a line). */
  readonly errIsTty: boolean;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    errIsTty: process.stderr.isTTY === true,
  };
}

/** Collects output in memory; for tests. */
export function memoryIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (text) => void stdout.push(text),
    err: (text) => void stderr.push(text),
    errIsTty: false,
  };
}
