/**
 * deploy/kubernetes and deploy/slurm say the same thing: the Indexed Job's container runs the
 * Slurm script's gbfleet command line, with `--segments N` in place of `--segment auto` and N
 * its `completions`, on the shared volume mounted where --out points; the merge Job merges that
 * same folder. Reads the files only: no cluster.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, segmentRange } from '@gbfleet/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';

const root = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The argument list of a script's `exec "${gbfleet[@]}" …` line, as Kubernetes would write it. */
function slurmGbfleetArgs(path: string): { args: string[]; extraFlags: boolean } {
  // A line continued with a backslash is one line to the shell.
  const lines = read(path)
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => /^\s*exec "\$\{gbfleet\[@\]\}" /.test(line));
  assert.equal(lines.length, 1, `${path}: one line that execs gbfleet`);
  const words = [...(lines[0] as string).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2]) as string).slice(2);
  const extraFlags = words.at(-1) === '$@';
  // "$OUT" in the script is $(OUT) in a container's args: both expand the variable of that name.
  const args = (extraFlags ? words.slice(0, -1) : words).map((w) => w.replace(/^\$\{?(\w+)\}?$/, '$($1)'));
  return { args, extraFlags };
}

interface Container {
  image: string;
  args: unknown[];
  env?: Array<{ name: string; value: string }>;
  resources?: { requests?: { cpu?: string } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  restartPolicy?: string;
  containers: Container[];
  volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>;
}
interface JobManifest {
  kind: string;
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    backoffLimitPerIndex?: number;
    template: { spec: PodSpec };
  };
}

function jobOf(path: string): {
  job: JobManifest;
  pod: PodSpec;
  container: Container;
  expand: (arg: string) => string;
} {
  const job = parseYaml(read(path)) as JobManifest;
  assert.is(job.kind, 'Job', path);
  const pod = job.spec.template.spec;
  assert.is(pod.containers.length, 1, `${path}: one container`);
  const container = pod.containers[0] as Container;
  assert.ok(
    container.args.every((a) => typeof a === 'string'),
    `${path}: args are strings (Kubernetes refuses numbers)`,
  );
  const env = new Map((container.env ?? []).map((e) => [e.name, e.value]));
  const expand = (arg: string) =>
    arg.replace(/\$\((\w+)\)/g, (_, name: string) => {
      assert.ok(env.has(name), `${path}: $(${name}) has an env entry`);
      return env.get(name) as string;
    });
  return { job, pod, container, expand };
}

/** The PersistentVolumeClaim mounted at `mountPath`, by claim name. */
function claimAt(pod: PodSpec, container: Container, mountPath: string): string | undefined {
  const mount = container.volumeMounts?.find((m) => m.mountPath === mountPath);
  return pod.volumes?.find((v) => v.name === mount?.name)?.persistentVolumeClaim?.claimName;
}

const valueAfter = (args: readonly string[], flag: string) => {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
};

test("the Indexed Job runs the Slurm script's command line, N segments as N completions, into the shared volume", () => {
  const { job, pod, container, expand } = jobOf('deploy/kubernetes/job.yaml');
  assert.is(job.spec.completionMode, 'Indexed');
  const args = container.args as string[];
  const n = Number(valueAfter(args, '--segments'));
  assert.ok(Number.isInteger(n) && n >= 1, `--segments N in the args: ${args.join(' ')}`);
  assert.is(job.spec.completions, n, 'completions = --segments');
  const parallelism = job.spec.parallelism;
  assert.ok(
    Number.isInteger(parallelism) && (parallelism as number) >= 1 && (parallelism as number) <= n,
    'parallelism',
  );
  if (job.spec.backoffLimitPerIndex !== undefined)
    assert.is(pod.restartPolicy, 'Never', 'backoffLimitPerIndex needs it');

  const slurm = slurmGbfleetArgs('deploy/slurm/gbfleet-segments.sbatch');
  const auto = slurm.args.indexOf('--segment');
  assert.is(slurm.args[auto + 1], 'auto', 'the Slurm script runs --segment auto');
  const expected = [...slurm.args.slice(0, auto), '--segments', String(n), ...slurm.args.slice(auto + 2)];
  assert.equal(args.slice(0, expected.length), expected);
  // What follows is the Slurm script's "$@": more flags.
  const extra = args.slice(expected.length);
  if (extra.length > 0) {
    assert.ok(slurm.extraFlags, 'the Slurm script passes extra flags on');
    assert.match(extra[0] as string, /^--/);
  }

  const out = expand(valueAfter(args, '--out') as string);
  const claim = claimAt(pod, container, out);
  const pvc = parseYaml(read('deploy/kubernetes/pvc.yaml'));
  assert.is(pvc.kind, 'PersistentVolumeClaim');
  assert.is(claim, pvc.metadata.name, `the claim in pvc.yaml is mounted at --out ${out}`);
  assert.ok(pvc.spec.accessModes.includes('ReadWriteMany'), 'pods on several nodes write it at once');
  assert.is(expand(valueAfter(args, '--workers') as string), container.resources?.requests?.cpu, 'a worker per CPU');

  // The image holds the repository's scenarios at /scenarios; N must not exceed the shard count.
  const scenario = expand(args[1] as string);
  assert.match(scenario, /^\/scenarios\//);
  const spec = parseScenario(parseYaml(read(`scenarios/${scenario.slice('/scenarios/'.length)}`)));
  const shardMeters = Number(valueAfter(args, '--shard-meters') ?? spec.fleet.shardMeters);
  segmentRange(spec.fleet.meters, shardMeters, { index: n - 1, count: n });
});

test('the merge Job and the Slurm merge script merge the folder the segments were written to', () => {
  const segments = jobOf('deploy/kubernetes/job.yaml');
  const out = segments.expand(valueAfter(segments.container.args as string[], '--out') as string);
  const { pod, container, expand } = jobOf('deploy/kubernetes/merge-job.yaml');
  const args = container.args as string[];
  const slurm = slurmGbfleetArgs('deploy/slurm/gbfleet-merge.sbatch');
  assert.equal(args.slice(0, slurm.args.length), slurm.args);
  assert.is(args[0], 'merge');
  assert.is(expand(args[1] as string), out);
  assert.is(claimAt(pod, container, out), claimAt(segments.pod, segments.container, out), 'the same claim');
  assert.is(container.image, segments.container.image, 'the same image');
  // Under Slurm too, the merge's folder is the segments' --out.
  assert.is(slurm.args[1], valueAfter(slurmGbfleetArgs('deploy/slurm/gbfleet-segments.sbatch').args, '--out'));
});

test.run();
