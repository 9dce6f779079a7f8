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
  /**
   * Calls `handler` on Ctrl-C (SIGINT) until the returned function is called. A second Ctrl-C
   * while the first is being handled ends the process at once.
   */
  onInterrupt(handler: () => void): () => void;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    errIsTty: process.stderr.isTTY === true,
    onInterrupt(handler) {
      let interrupted = false;
      const listener = () => {
        if (interrupted) process.exit(130);
        interrupted = true;
        handler();
      };
      process.on('SIGINT', listener);
      return () => void process.off('SIGINT', listener);
    },
  };
}

/** Collects output in memory; for tests. */
export function memoryIo(): CliIo & { stdout: string[]; stderr: string[]; interrupt(): void } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const handlers = new Set<() => void>();
  return {
    stdout,
    stderr,
    interrupt: () => {
      for (const h of handlers) h();
    },
    onInterrupt(handler) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    out: (text) => void stdout.push(text),
    err: (text) => void stderr.push(text),
    errIsTty: false,
  };
}
