/**
 * How a scenario package plugs into the engine without changing core: it declares the parties
 * it needs and the timeline event types it handles, and at every step it may send commands and
 * look at what came back. Everything a plug-in sees and does goes through `RunContext`, on the
 * main thread, between shard tasks — so it may read and write fleet columns without locks.
 */
import type { ServiceRequestKind } from '@gbfleet/gbcs';
import type { FleetState } from '../fleet/fleet-state.js';
import type { PartyDeclaration, PartyTable } from '../parties/party-table.js';
import type { RandomStream } from '../random/seeded-random.js';
import type {
  AlertBatch,
  Attack,
  Channel,
  CommandRecordBatch,
  SupplyEventBatch,
  UtrnBatch,
} from '../run/run-records.js';
import type { DccSpec, ScenarioSpec, TimelineEventSpec } from '../scenario/scenario-spec.js';

export interface CommandRequest {
  /** Party index of the sender (whose DS key signs critical commands). */
  sender: number;
  meter: number;
  kind: ServiceRequestKind;
  argument: number;
  /** Default 'wan'. 'utrn': a code typed at the meter (no WAN needed). 'site-visit': an engineer on site. */
  channel?: Channel;
  /**
   * The originator counter, when the sender keeps its own (MP128: a DSP that does or does not
   * track a cell's counter). Default: rises with simulated time, (step + 1) · 2^24 + n.
   */
  counter?: bigint;
  /**
   * 'utrn' channel only: how the consumer keys the code in — one encoded keypad attempt per entry
   * (@gbfleet/gbcs utrn/utrn-keying.ts; 0 = typed exactly), [] when they never do. Default: typed once, exactly.
   * A UTRN's counter, when given, has its lower 32 bits zero; by default it is the meter's next.
   */
  utrn?: { attempts: readonly number[] };
  /**
   * Default 'dcc': through the DCC's checks (certificate status, E4, ADT, WAN). 'direct': put on
   * the WAN past the DCC, or typed at the keypad, by someone who is not a DCC User — no DCC check
   * applies and only the meter's own checks stand (docs/scenario-hostile.md). A direct UTRN with
   * a given counter does not move the supplier's issued counter: its systems never issued it.
   */
  route?: 'dcc' | 'direct';
  /**
   * How the real frame is altered on its way ('wan' channel only); the meter's own checks judge
   * what arrives. `signer`: a party index whose DS key signs in place of the sender's.
   * `mac`: 'flipped' (a bit of the MAC changed in transit) or 'unknown-key' (made with a key that
   * is not the ACB's, as by anyone who cannot reach the ACB). `recipient`: 'other-meter' (a frame
   * made for the neighbouring meter, MAC and all, sent to this one).
   */
  forgery?: { signer?: number; mac?: 'flipped' | 'unknown-key'; recipient?: 'other-meter' };
  /** The attack the command is part of, recorded in `commands.attack` (default 'none'). */
  attack?: Attack;
}

export interface RunContext {
  readonly spec: ScenarioSpec;
  readonly fleet: FleetState;
  /**
   * The meters this process simulates, [lo, hi): the whole fleet, or one segment's shards. The
   * others' fleet columns are zero and commands to them are dropped, so a plug-in that scans the
   * fleet scans this range.
   */
  readonly owned: { readonly lo: number; readonly hi: number };
  readonly parties: PartyTable;
  /** The step being run (0-based). */
  readonly step: number;
  readonly steps: number;
  readonly stepsPerDay: number;
  /** The step at which (day, hour) begins. */
  stepAt(day: number, hour: number): number;
  /** Sends a command this step: it goes through the DCC's checks, then the WAN, then the meter. */
  send(command: CommandRequest): void;
  /** DCC settings a plug-in may change mid-run (e.g. an ADT fast-track). */
  readonly dcc: DccSpec;
  /** The DCC carries no WAN commands for `hours` from this step, as the core 'dcc-outage' event does. */
  dccOutage?(hours: number): void;
  /** A named random stream for a plug-in's own choices (deterministic per seed). */
  random(stream: string, entity: number | bigint): RandomStream;
  /**
   * Adds to a named figure in the run summary (e.g. 'meters made safe'). Counts add up over
   * segments, so a segment counts only what happens to its own meters.
   */
  count(figure: string, amount?: number): void;
  /** Raises a named figure to `value` if it is higher (a maximum: segments' figures are merged by max). */
  peak(figure: string, value: number): void;
}

/** What the shards returned for one step (views, valid only during the call). */
export interface StepRecords {
  commands: CommandRecordBatch;
  alerts: AlertBatch;
  supply: SupplyEventBatch;
  /** UTRN entries at meters' keypads this step (one row per entry; see run-records.ts). */
  utrn?: UtrnBatch;
}

/**
 * What a scenario package exports: its name, what it adds to scenario files, and a factory for
 * a fresh plug-in per run (so two runs in one process never share state).
 */
export interface ScenarioPackage {
  readonly name: string;
  /** The package reads `plugins.<name>` of the scenario file. */
  readonly hasSection?: boolean;
  /** Timeline event types its plug-in handles (the scenario file may use them). */
  readonly eventTypes?: readonly string[];
  /**
   * A plug-in for one run of `spec`. Validates `spec.plugins[name]` and the params of its own
   * events here, throwing `ScenarioError` (with field paths) so a bad file fails before anything
   * runs. Return a plug-in that does nothing when the scenario does not use the package.
   */
  create(spec: ScenarioSpec): ScenarioPlugin;
}

export interface ScenarioPlugin {
  readonly name: string;
  /** Timeline event types this plug-in handles (the scenario file may use them). */
  readonly eventTypes?: readonly string[];
  /** Parties to add before keys are derived and the pool starts (SRP, SoLR, …). */
  parties?(spec: ScenarioSpec): PartyDeclaration[];
  /** Once, after the fleet and parties exist, before step 0. */
  setup?(run: RunContext): void;
  /** A timeline event of one of `eventTypes`, at the start of its step. */
  onEvent?(event: TimelineEventSpec, run: RunContext): void;
  /** Each step, before delivery: send this step's commands. */
  beforeStep?(run: RunContext): void;
  /** Each step, after every shard is done. */
  afterStep?(run: RunContext, records: StepRecords): void;
  /**
   * The plug-in's state between two steps, for a checkpoint (docs/reliability.md): plain data that
   * `v8.serialize` keeps (numbers, strings, bigints, arrays, plain objects, Maps, Sets, typed
   * arrays). A plug-in with state must have both this and `restore`, or a run using it cannot be
   * checkpointed. A `RandomStream` kept across steps has a position the engine cannot see: save
   * what is needed to put it back (scenario-utrn's replayable-stream.ts logs its draws).
   */
  checkpoint?(): unknown;
  /**
   * Called instead of `setup` when a run resumes at `run.step`: the fleet columns, the parties and
   * the DCC are already as they were when `checkpoint` was called. Rebuilds what `setup` made,
   * from `state` or by computing it again; must not send commands or count figures.
   */
  restore?(state: unknown, run: RunContext): void;
}
