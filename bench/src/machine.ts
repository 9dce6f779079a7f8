/**
 * The machine a benchmark ran on, recorded with every result file so figures are never read
 * without their context: CPU model, cores, memory, Node and OpenSSL versions, git revision.
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
  gitRevision: string | null;
  date: string;
}

export function describeMachine(): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.versions.node,
    openssl: process.versions.openssl,
    platform: `${process.platform}-${process.arch}`,
    gitRevision: gitRevision(),
    date: new Date().toISOString(),
  };
}

function gitRevision(): string | null {
  try {
    const rev = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return `${rev.trim()}${dirty.trim() ? '-dirty' : ''}`;
  } catch {
    return null;
  }
}
