/**
 * The machine a benchmark ran on and the code it ran, recorded with every result file so figures
 * are never read without their context: CPU model, cores, memory, Node and OpenSSL versions, the
 * machine kind that names its baseline file, and the git revision (with whether the tree was dirty).
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  openssl: string;
  platform: string;
  /** Names the baseline: `bench/baselines/<kind>.json`, e.g. `node-2core-amd-epyc`. */
  kind: string;
}

export interface GitInfo {
  /** `git rev-parse HEAD`, or "unknown" outside a git work tree. */
  revision: string;
  /** Tracked files differ from HEAD; "unknown" outside a git work tree. */
  dirty: boolean | 'unknown';
}

export function describeMachine(): MachineInfo {
  const cpuModel = cpus()[0]?.model?.trim() || 'unknown';
  const cores = availableParallelism();
  return {
    cpuModel,
    cores,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.versions.node,
    openssl: process.versions.openssl,
    platform: `${process.platform}-${process.arch}`,
    kind: machineKind(cpuModel, cores),
  };
}

/**
 * `node-<cores>core-<cpu>`: the CPU model without trademarks, "CPU", clock speed or core-count
 * words, lower-case, dashes. "AMD EPYC" → `node-2core-amd-epyc`; "Intel(R) Xeon(R) Platinum
 * 8375C CPU @ 2.90GHz" → `node-8core-intel-xeon-platinum-8375c`.
 */
export function machineKind(cpuModel: string, cores: number): string {
  const cpu =
    cpuModel
      .replace(/\((R|TM|C)\)/gi, ' ')
      .replace(/@.*$/, ' ')
      .replace(/\b(CPU|Processor|\d+-Core)\b/gi, ' ')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48)
      .replace(/-+$/, '') || 'unknown-cpu';
  return `node-${cores}core-${cpu}`;
}

export function gitInfo(cwd = process.cwd()): GitInfo {
  const git = (args: string[]) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  let revision: string;
  try {
    revision = git(['rev-parse', 'HEAD']);
  } catch {
    return { revision: 'unknown', dirty: 'unknown' };
  }
  try {
    return { revision, dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '' };
  } catch {
    return { revision, dirty: 'unknown' };
  }
}
