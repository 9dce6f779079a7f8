/**
 * The built CLI, called in this process: what the whole-run child scripts run, so that
 * `process.resourceUsage()` covers the command. Loaded by path: bench does not depend on
 * @gbfleet/cli as a package, and measures exactly what a user runs (`packages/cli/dist/main.js`;
 * its TypeScript source when the bench itself runs under tsx).
 */

/** The CLI's `CliIo` (packages/cli/src/io.ts), restated: bench does not import the CLI's types. */
interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly errIsTty: boolean;
  onInterrupt(handler: () => boolean): () => void;
  env(): Readonly<Record<string, string | undefined>>;
}

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  /** From the call to its return, in this process (Node's own start-up and the CLI's import excluded). */
  wallSeconds: number;
}

export async function runCliInProcess(args: readonly string[]): Promise<CliOutcome> {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(
    fromSource ? '../../../packages/cli/src/main.ts' : '../../../packages/cli/dist/main.js',
    import.meta.url,
  );
  const cli = (await import(entry.href)) as { runCli(argv: readonly string[], io: CliIo): Promise<number> };
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    out: (text) => void stdout.push(text),
    err: (text) => void stderr.push(text),
    errIsTty: false,
    onInterrupt: () => () => {},
    // As processIo gives it; the bench always names its segments (--segment K/N), so a
    // scheduler's variables in the environment change nothing.
    env: () => process.env,
  };
  const started = performance.now();
  const code = await cli.runCli(args, io);
  return { code, stdout: stdout.join(''), stderr: stderr.join(''), wallSeconds: (performance.now() - started) / 1000 };
}
