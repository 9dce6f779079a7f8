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
   * Calls `handler` on each Ctrl-C (SIGINT) or SIGTERM (what Slurm, Kubernetes and systemd send
   * before they kill) until the returned function is called. When the handler returns false it
   * has nothing gentler left to do, and the process ends at once (exit 130).
   */
  onInterrupt(handler: () => boolean): () => void;
  /** The environment (a scheduler's variables: which segment this process runs). */
  env(): Readonly<Record<string, string | undefined>>;
}

const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    errIsTty: process.stderr.isTTY === true,
    env: () => process.env,
    onInterrupt(handler) {
      const listener = () => {
        if (!handler()) process.exit(130);
      };
      for (const signal of INTERRUPT_SIGNALS) process.on(signal, listener);
      return () => {
        for (const signal of INTERRUPT_SIGNALS) process.off(signal, listener);
      };
    },
  };
}

/** Collects output in memory; for tests (`environment` stands in for process.env). */
export function memoryIo(
  environment: Record<string, string | undefined> = {},
): CliIo & { stdout: string[]; stderr: string[]; interrupt(): void; exited: boolean } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const handlers = new Set<() => boolean>();
  const io = {
    stdout,
    stderr,
    /** Set when a handler gave up, where processIo would have ended the process. */
    exited: false,
    interrupt: () => {
      for (const h of handlers) if (!h()) io.exited = true;
    },
    onInterrupt(handler: () => boolean) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    out: (text: string) => void stdout.push(text),
    err: (text: string) => void stderr.push(text),
    errIsTty: false,
    env: () => environment,
  };
  return io;
}
