/**
 * Whether a local Slurm cluster can run here (helpers/local-slurm.ts): Debian's slurm-wlm and
 * munge, installed with apt-get when missing, and root to run slurmd.
 */
import { runProcess } from './run-process.ts';

const COMMANDS = ['sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo', 'slurmctld', 'slurmd', 'munged', 'munge'];
const PACKAGES = ['slurm-wlm', 'munge'];
// Debian keeps the daemons in /usr/sbin, which a non-login PATH may lack.
export const SLURM_PATH = `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`;

async function missingCommands(): Promise<string[]> {
  const missing: string[] = [];
  for (const command of COMMANDS) {
    const found = await runProcess('sh', ['-c', `command -v ${command}`], {
      env: { PATH: SLURM_PATH },
      timeoutMs: 10_000,
    });
    if (found.code !== 0) missing.push(command);
  }
  return missing;
}

/**
 * Why a local cluster cannot run here, or undefined when it can. Installs slurm-wlm and munge with
 * apt-get first when they are missing (as root, or through `sudo -n`); a failed install throws,
 * since CI must prove the scripts on a real cluster rather than skip quietly.
 */
export async function slurmUnavailable(): Promise<string | undefined> {
  const root = process.getuid?.() === 0;
  if ((await missingCommands()).length > 0) {
    const sudo = root ? [] : ['sudo', '-n'];
    if (!root && (await runProcess('sudo', ['-n', 'true'], { timeoutMs: 10_000 }).catch(() => undefined))?.code !== 0) {
      return `Slurm is not installed (${PACKAGES.join(', ')}), and installing it needs root or sudo -n`;
    }
    if (
      (await runProcess('sh', ['-c', 'command -v apt-get'], { env: { PATH: SLURM_PATH }, timeoutMs: 10_000 })).code !==
      0
    ) {
      return `Slurm is not installed, and there is no apt-get to install ${PACKAGES.join(', ')} with`;
    }
    const started = performance.now();
    const env = { ...process.env, PATH: SLURM_PATH, DEBIAN_FRONTEND: 'noninteractive' };
    // Another apt-get on a shared machine holds the lock for a while: wait for it rather than fail.
    for (const args of [
      ['apt-get', 'update', '-qq', '-o', 'DPkg::Lock::Timeout=600'],
      ['apt-get', 'install', '-y', '-qq', '-o', 'DPkg::Lock::Timeout=600', ...PACKAGES],
    ]) {
      const [command, ...rest] = [...sudo, ...args] as [string, ...string[]];
      const result = await runProcess(command, rest, { env, timeoutMs: 20 * 60_000 });
      if (result.code !== 0) {
        throw new Error(`${[command, ...rest].join(' ')} failed (exit ${result.code}):\n${result.stderr}`);
      }
    }
    const still = await missingCommands();
    if (still.length > 0) throw new Error(`installed ${PACKAGES.join(', ')}, yet ${still.join(', ')} not found`);
    console.log(
      `local-slurm: installed ${PACKAGES.join(', ')} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  // slurmd must be root to start a job as its user; munged and slurmctld alone would not do.
  if (!root) return 'the local cluster runs slurmd, which must be root: run the tests as root';
  return undefined;
}
