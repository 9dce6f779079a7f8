/**
 * A one-node Slurm cluster on localhost for tests, all of it in one folder: its own munged (key
 * and socket in the folder), slurmctld and slurmd in the foreground as children of the test, on
 * free ports. It reads no system configuration and clashes with no other cluster or munged on
 * the machine. Whether it can run here at all: helpers/slurm-install.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ProcessResult, runProcess } from './run-process.ts';
import { SLURM_PATH } from './slurm-install.ts';

/** A free TCP port on localhost, for a daemon to bind a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface LocalSlurm {
  /** The cluster's folder: configuration, state, spool, munge key and socket, daemon logs. */
  dir: string;
  /** The environment every client command (sbatch, squeue, …) needs: SLURM_CONF, and no outer job's SLURM_*. */
  env: NodeJS.ProcessEnv;
  /** Runs a client command against this cluster. */
  run(command: string, args: readonly string[], timeoutMs?: number, env?: NodeJS.ProcessEnv): Promise<ProcessResult>;
  /**
   * Waits until the jobs (an array job's id stands for all its tasks) have left the queue, then
   * says how each task ended; undefined after `timeoutMs`.
   */
  waitForJobs(jobIds: readonly string[], timeoutMs: number): Promise<JobEnd[] | undefined>;
  /** What the daemons logged and what the controller knows of its jobs: for a failure's message. */
  diagnostics(): Promise<string>;
  /** Cancels what is left, stops the daemons and removes the folder; never throws. */
  stop(): Promise<void>;
}

/** How a job, or one task of an array, ended: `scontrol show job`'s JobState and ExitCode. */
export interface JobEnd {
  job: string; // 12, or 12_3 for task 3 of array job 12
  state: string; // COMPLETED, FAILED, CANCELLED, …
  exitCode: string; // code:signal, 0:0 when it succeeded
}

/** The environment of this process, less anything a scheduler set: a test run inside a job must not leak it. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(SLURM_|SBATCH_|SQUEUE_|JOB_COMPLETION_INDEX$|AWS_BATCH_JOB_ARRAY_INDEX$)/.test(name)) env[name] = value;
  }
  return { ...env, PATH: SLURM_PATH };
}

/** `slurmd -C`'s description of this machine (CPUs, sockets, cores, RealMemory), named localhost. */
async function thisNode(): Promise<string> {
  const result = await runProcess('slurmd', ['-C'], { env: { PATH: SLURM_PATH }, timeoutMs: 30_000 });
  const line = result.stdout.split('\n').find((l) => l.startsWith('NodeName='));
  if (result.code !== 0 || !line) throw new Error(`slurmd -C failed (exit ${result.code}): ${result.stderr}`);
  return line.replace(/^NodeName=\S+/, 'NodeName=localhost');
}

/** Starts munged, slurmctld and slurmd in a new temporary folder and waits until the node is idle. */
export async function startLocalSlurm(startTimeoutMs = 120_000): Promise<LocalSlurm> {
  // A folder of its own, straight under tmpdir: munged refuses a socket with any folder above it
  // that not everyone may search, and mkdtemp makes folders 0700.
  const dir = mkdtempSync(join(tmpdir(), 'gbfleet-slurm-cluster-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'munge'));
  chmodSync(join(dir, 'munge'), 0o755);
  mkdirSync(join(dir, 'state'));
  mkdirSync(join(dir, 'spool'));
  const key = join(dir, 'munge', 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o600 });
  const socket = join(dir, 'munge', 'munge.socket');
  const conf = join(dir, 'slurm.conf');
  const env = { ...cleanEnv(), SLURM_CONF: conf };

  const children: Array<{ name: string; child: ChildProcess; log: string; exited: boolean }> = [];
  const start = (name: string, args: string[]) => {
    const log = join(dir, `${name}.log`);
    const fd = openSync(log, 'a');
    const child = spawn(name, args, { env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const entry = { name, child, log, exited: false };
    child.on('exit', () => {
      entry.exited = true;
    });
    child.on('error', () => {
      entry.exited = true;
    });
    children.push(entry);
  };
  // Should the test process die without stopping the cluster, the daemons must not outlive it.
  const killAll = () => {
    for (const c of children) if (!c.exited) c.child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  const run = (command: string, args: readonly string[], timeoutMs = 60_000, extra: NodeJS.ProcessEnv = {}) =>
    runProcess(command, args, { env: { ...env, ...extra }, timeoutMs });
  const logs = () =>
    children
      .map((c) => {
        const text = existsSync(c.log) ? readFileSync(c.log, 'utf8').trimEnd().split('\n').slice(-40).join('\n') : '';
        return `--- ${c.name}${c.exited ? ` (exited: ${c.child.exitCode ?? c.child.signalCode})` : ''}, last lines of ${c.log}:\n${text}`;
      })
      .join('\n');
  const diagnostics = async () => {
    const sections = [logs()];
    if (children.some((c) => c.name === 'slurmctld' && !c.exited)) {
      for (const [command, ...args] of [
        ['sinfo', '-N', '-l'],
        ['squeue', '-a', '-l'],
        ['scontrol', 'show', 'job'],
      ] as Array<[string, ...string[]]>) {
        const r = await run(command, args, 20_000).catch((e: Error) => ({ stdout: '', stderr: e.message }));
        sections.push(`--- ${command} ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
      }
    }
    const jobs = join(dir, 'jobcomp.log');
    if (existsSync(jobs)) sections.push(`--- finished jobs (${jobs}):\n${readFileSync(jobs, 'utf8')}`);
    return sections.join('\n');
  };
  const stop = async () => {
    try {
      const ctld = children.find((c) => c.name === 'slurmctld');
      if (ctld && !ctld.exited) {
        await run('scancel', ['--user', String(process.getuid?.() ?? 0)], 20_000).catch(() => undefined);
        // A job's processes belong to slurmstepd, not to us: let them end before slurmd goes,
        // and kill those still there after 30 s by the PIDs slurmd tracks for them.
        const jobsLeft = async () => {
          const queue = await run('squeue', ['-h', '-o', '%A'], 10_000).catch(() => undefined);
          return queue?.code === 0 && queue.stdout.trim() !== '';
        };
        for (let i = 0; i < 60 && (await jobsLeft()); i++) await sleep(500);
        if (await jobsLeft()) {
          const listed = await run('scontrol', ['listpids'], 10_000).catch(() => undefined);
          for (const line of (listed?.stdout ?? '').split('\n').slice(1)) {
            const pid = Number(line.trim().split(/\s+/)[0]);
            if (pid > 1) {
              try {
                process.kill(pid, 'SIGKILL');
              } catch {}
            }
          }
        }
      }
      for (const c of [...children].reverse()) {
        if (!c.exited) c.child.kill('SIGTERM');
        for (let i = 0; i < 40 && !c.exited; i++) await sleep(250);
        if (!c.exited) c.child.kill('SIGKILL');
      }
    } finally {
      process.removeListener('exit', killAll);
      rmSync(dir, { recursive: true, force: true });
    }
  };

  try {
    start('munged', [
      '--foreground',
      `--key-file=${key}`,
      `--socket=${socket}`,
      `--pid-file=${join(dir, 'munge', 'munged.pid')}`,
      `--seed-file=${join(dir, 'munge', 'munged.seed')}`,
    ]);
    await until(startTimeoutMs, 'munged to answer on its socket', children, async () => {
      return (await runProcess('munge', ['-n', '-S', socket], { env, timeoutMs: 10_000 })).code === 0;
    });
    writeFileSync(conf, slurmConf(dir, socket, await thisNode(), await freePort(), await freePort()));
    start('slurmctld', ['-D', '-i', '-f', conf]);
    start('slurmd', ['-D', '-N', 'localhost', '-f', conf]);
    await until(startTimeoutMs, 'the node to be idle in sinfo', children, async () => {
      const r = await run('sinfo', ['-h', '-n', 'localhost', '-o', '%T'], 10_000);
      return r.code === 0 && r.stdout.trim() === 'idle';
    });
  } catch (error) {
    const message = `${(error as Error).message}\n${await diagnostics()}`;
    await stop();
    throw new Error(message);
  }
  const waitForJobs = async (jobIds: readonly string[], timeoutMs: number) => {
    // Not sbatch --wait: it polls after 2, 10 and 42 s (measured), so a 12 s array costs 42.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const queue = await run('squeue', ['-h', '-o', '%i', '-j', jobIds.join(',')], 10_000);
      if (queue.code === 0 && queue.stdout.trim() === '') break;
      if (Date.now() > deadline) return undefined;
      await sleep(500);
    }
    const ends: JobEnd[] = [];
    for (const id of jobIds) {
      const shown = await run('scontrol', ['-o', 'show', 'job', id], 10_000);
      for (const line of shown.stdout.split('\n').filter((l) => l.startsWith('JobId='))) {
        const field = (name: string) => new RegExp(`(?:^| )${name}=(\\S+)`).exec(line)?.[1] ?? '?';
        const task = field('ArrayTaskId');
        ends.push({
          job: task === '?' ? field('JobId') : `${field('ArrayJobId')}_${task}`,
          state: field('JobState'),
          exitCode: field('ExitCode'),
        });
      }
    }
    return ends.sort((a, b) => a.job.localeCompare(b.job, 'en', { numeric: true }));
  };
  return { dir, env, run, waitForJobs, diagnostics, stop };
}

/** Polls `ready` until it holds; fails at once if a daemon has exited, or after `timeoutMs`. */
async function until(
  timeoutMs: number,
  what: string,
  children: ReadonlyArray<{ name: string; exited: boolean }>,
  ready: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    const dead = children.find((c) => c.exited);
    if (dead) throw new Error(`${dead.name} exited while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(500);
  }
}

/**
 * No cgroups, accounting or systemd: process tracking by parent PID and no task binding, so it
 * runs in a container. Slurm 22.05 (Debian 12) needs no cgroup.conf with these plug-ins.
 */
function slurmConf(dir: string, mungeSocket: string, node: string, ctldPort: number, slurmdPort: number): string {
  return `ClusterName=gbfleet-test
SlurmctldHost=localhost
SlurmctldPort=${ctldPort}
SlurmdPort=${slurmdPort}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${mungeSocket}
StateSaveLocation=${join(dir, 'state')}
SlurmdSpoolDir=${join(dir, 'spool')}
SlurmctldPidFile=${join(dir, 'slurmctld.pid')}
SlurmdPidFile=${join(dir, 'slurmd.pid')}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=${join(dir, 'jobcomp.log')}
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
${node}
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`;
}
