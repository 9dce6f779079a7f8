/**
 * A run's state between two steps, so that a killed run can go on from there and finish exactly as
 * if it had never stopped (docs/reliability.md, "Checkpoints"). It holds the owned meters' fleet
 * columns, the parties' trading status, the DCC's held commands and counts, the step loop's
 * tallies and outbox, and each plug-in's own state. The rows of the steps done are not in it: the
 * sink holds them, flushed before the checkpoint is taken, and a resumed run's sink drops any row
 * of a later step (rows carry the step that made them).
 *
 * The engine's own draws keep no position between steps (each is keyed by seed, stream and
 * entity), and the workers keep nothing but key material derived from the seed, so neither is
 * saved; a plug-in that keeps a random stream across steps saves its position itself.
 */
import { deserialize, serialize } from 'node:v8';
import { InvalidArgumentError } from '@gbfleet/gbcs';
import { COLUMN_KIND_BYTES, FLEET_COLUMNS, type FleetColumnName, type FleetState } from '../fleet/fleet-state.js';
import type { PartyTable } from '../parties/party-table.js';
import type { ScenarioPlugin } from './scenario-plugin.js';

/** Bumped whenever what a checkpoint holds changes: an older one is refused, not misread. */
export const CHECKPOINT_FORMAT = 1;

/** The engine's own state between steps: plain data that `v8.serialize` keeps. */
export interface EngineState {
  dcc: unknown;
  timeline: unknown;
  tally: unknown;
  figures: Record<string, number>;
  peakFigures: string[];
  /** Consumers' top-up requests waiting for the next step, and commands already sent for it. */
  topUpRequests: unknown[];
  outbox: unknown[];
}

export interface RunCheckpoint {
  format: number;
  /** Steps done: the run goes on at this step. */
  step: number;
  steps: number;
  /** The meters simulated, [lo, hi): the fleet, or a segment's shards. */
  owned: { lo: number; hi: number };
  /**
   * The owned meters' bytes of every fleet column. When taken from a running engine these are
   * views on the live fleet, valid only until the next step: write or copy them at once.
   */
  fleet: Record<FleetColumnName, Uint8Array>;
  parties: Array<{ failedAtStep: number | null; revokedAtStep: number | null; vending: boolean }>;
  engine: EngineState;
  /** Each plug-in's `checkpoint()`, in the run's plug-in order, with its name. */
  plugins: Array<{ name: string; state: unknown }>;
}

/** When to take checkpoints, and where they go. */
export interface CheckpointPolicy {
  /** After `stepsDone` steps (never the last), `seconds` after the last checkpoint or the loop's start: take one? */
  due(stepsDone: number, seconds: number): boolean;
  /** Keeps it (atomically, so a kill mid-write leaves the last one usable). The run waits for it. */
  write(checkpoint: RunCheckpoint): Promise<void>;
}

/** The byte range of the owned meters within a fleet column. */
function ownedBytes(fleet: FleetState, name: FleetColumnName, owned: { lo: number; hi: number }): Uint8Array {
  const width = COLUMN_KIND_BYTES[FLEET_COLUMNS[name]];
  return new Uint8Array(fleet.buffers[name], owned.lo * width, (owned.hi - owned.lo) * width);
}

/** Views on the owned meters' bytes of every column, in layout order. */
export function fleetBytesOf(fleet: FleetState, owned: { lo: number; hi: number }): RunCheckpoint['fleet'] {
  const out = {} as RunCheckpoint['fleet'];
  for (const name of Object.keys(FLEET_COLUMNS) as FleetColumnName[]) out[name] = ownedBytes(fleet, name, owned);
  return out;
}

/** Puts a checkpoint's columns back into the fleet, checking every length first. */
export function restoreFleet(fleet: FleetState, checkpoint: RunCheckpoint): void {
  const names = Object.keys(FLEET_COLUMNS) as FleetColumnName[];
  for (const name of names) {
    const want = ownedBytes(fleet, name, checkpoint.owned).byteLength;
    const got = checkpoint.fleet[name]?.byteLength;
    if (got !== want) {
      throw new InvalidArgumentError(`checkpoint column ${name} holds ${got ?? 'no'} bytes, the run needs ${want}`);
    }
  }
  for (const name of names) ownedBytes(fleet, name, checkpoint.owned).set(checkpoint.fleet[name]);
}

export function partiesStateOf(parties: PartyTable): RunCheckpoint['parties'] {
  return parties.parties.map((p) => ({
    failedAtStep: p.failedAtStep,
    revokedAtStep: p.revokedAtStep,
    vending: p.vending,
  }));
}

export function restoreParties(parties: PartyTable, state: RunCheckpoint['parties']): void {
  if (state.length !== parties.size) {
    throw new InvalidArgumentError(`checkpoint has ${state.length} parties, the run has ${parties.size}`);
  }
  state.forEach((s, i) => {
    Object.assign(parties.at(i), s);
  });
}

/** Each plug-in's state; a plug-in without both hooks cannot be checkpointed, and says so. */
export function pluginStatesOf(plugins: readonly ScenarioPlugin[]): RunCheckpoint['plugins'] {
  return plugins.map((plugin) => ({ name: plugin.name, state: plugin.checkpoint?.() }));
}

/** Refuses, before the run starts, a checkpointed or resumed run with a plug-in that cannot be. */
export function checkCheckpointable(plugins: readonly ScenarioPlugin[]): void {
  const lacking = plugins.filter((p) => !(p.checkpoint && p.restore)).map((p) => p.name);
  if (lacking.length > 0) {
    throw new InvalidArgumentError(
      `plug-in ${lacking.join(', ')} has no checkpoint/restore, so this run cannot be checkpointed or resumed`,
    );
  }
}

/** A checkpoint's plug-in states matched to the run's plug-ins, by order and name. */
export function pluginStatesFor(plugins: readonly ScenarioPlugin[], checkpoint: RunCheckpoint): unknown[] {
  const names = checkpoint.plugins.map((p) => p.name).join(', ');
  if (names !== plugins.map((p) => p.name).join(', ')) {
    throw new InvalidArgumentError(
      `checkpoint was taken with plug-ins [${names}], this run has [${plugins.map((p) => p.name).join(', ')}]`,
    );
  }
  return checkpoint.plugins.map((p) => p.state);
}

/** Everything but the fleet columns, as bytes (the columns are large and written as they are). */
export function encodeCheckpointHead(checkpoint: RunCheckpoint): Buffer {
  const { fleet: _fleet, ...head } = checkpoint;
  return serialize(head);
}

/** A checkpoint from its encoded head and its columns (e.g. views on one file's bytes). */
export function decodeCheckpointHead(head: Uint8Array, fleet: RunCheckpoint['fleet']): RunCheckpoint {
  let value: unknown;
  try {
    value = deserialize(head);
  } catch (error) {
    throw new InvalidArgumentError(`checkpoint state does not decode: ${(error as Error).message}`);
  }
  const checkpoint = value as Partial<RunCheckpoint> | null;
  if (checkpoint?.format !== CHECKPOINT_FORMAT) {
    throw new InvalidArgumentError(
      `checkpoint format ${String(checkpoint?.format)} is not ${CHECKPOINT_FORMAT}: it was written by another gbfleet`,
    );
  }
  const { step, steps, owned } = checkpoint;
  if (
    !(Number.isInteger(step) && Number.isInteger(steps) && (step as number) > 0 && (step as number) < (steps as number))
  ) {
    throw new InvalidArgumentError(`checkpoint step ${step} of ${steps} is not a step a run can go on from`);
  }
  if (!(owned && Number.isInteger(owned.lo) && Number.isInteger(owned.hi) && owned.lo >= 0 && owned.hi > owned.lo)) {
    throw new InvalidArgumentError('checkpoint has no meter range');
  }
  if (!(checkpoint.engine && Array.isArray(checkpoint.parties) && Array.isArray(checkpoint.plugins))) {
    throw new InvalidArgumentError('checkpoint lacks the engine, party or plug-in state');
  }
  return { ...(checkpoint as RunCheckpoint), fleet };
}

/** A copy that no longer shares the live fleet's memory (for runs kept in memory, and tests). */
export function copyCheckpoint(checkpoint: RunCheckpoint): RunCheckpoint {
  const fleet = {} as RunCheckpoint['fleet'];
  for (const [name, bytes] of Object.entries(checkpoint.fleet)) fleet[name as FleetColumnName] = new Uint8Array(bytes);
  return decodeCheckpointHead(encodeCheckpointHead(checkpoint), fleet);
}
