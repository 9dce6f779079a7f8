/**
 * Everything one UTRN run holds between steps, made by the plug-in's `setup` once the fleet and
 * parties exist: each own meter's command set, when the DCC is down, the figures, the codes in
 * flight, the site visits and WAN messages pending, the no-WAN incidents, the off-supply spells
 * and the surges' plans (of the whole fleet, the same in every segment). Routing (routing.ts) and the keypad (keypad.ts) are functions of this state.
 * A resumed run makes it from a checkpoint's UtrnRunState instead (resumeUtrnRun).
 */
import type { RunContext, ScenarioSpec } from '@gbfleet/core';
import { ArmFigures, type ArmFiguresState } from './arm-figures.js';
import { CommandSets } from './command-sets.js';
import { type StepClock, stepClock } from './consumer-model.js';
import { countWindows, DccAvailability, type DccAvailabilityState } from './dcc-availability.js';
import { fleetAsBuilt } from './fleet-as-built.js';
import type { MaintenanceWindow } from './maintenance-windows.js';
import { OffSupplyTally, type OffSupplyTallyState } from './off-supply-tally.js';
import { SiteVisits, type SiteVisitsState } from './site-visits.js';
import { planSurge, type SurgePlan } from './surge-plan.js';
import { TicketBook, type TicketBookState } from './ticket-book.js';
import type { UtrnConfig } from './utrn-config.js';
import { WanRestoration, type WanRestorationState } from './wan-restoration.js';
import { WanSends, type WanSendsState } from './wan-sends.js';

export interface UtrnRun {
  readonly config: UtrnConfig;
  readonly stepHours: number;
  /** The run's own meters: a checkpoint keeps their part of the per-meter arrays. */
  readonly owned: RunContext['owned'];
  /** Hour of day at each step, for the consumers' waking hours. */
  readonly clock: StepClock;
  readonly sets: CommandSets;
  readonly dcc: DccAvailability;
  readonly figures: ArmFigures;
  readonly tickets: TicketBook;
  readonly visits: SiteVisits;
  readonly wan: WanSends;
  readonly restoration: WanRestoration;
  readonly tally: OffSupplyTally;
  readonly plans: readonly SurgePlan[];
}

/**
 * What a run keeps in a checkpoint: the state of each part that changes as the run goes. The
 * rest is made again on restore, as at setup: the command sets (a hash of the meter), the DCC's
 * down steps and windows (from the spec), the clock, and the surge plans — from the fleet as
 * built, like setup's, at the cost of one more fleet build (fleet-as-built.ts); saving them instead
 * would put 4 bytes per prepayment meter of each surge's supplier into every checkpoint.
 */
export interface UtrnRunState {
  dcc: DccAvailabilityState;
  figures: ArmFiguresState;
  tickets: TicketBookState;
  visits: SiteVisitsState;
  wan: WanSendsState;
  restoration: WanRestorationState;
  tally: OffSupplyTallyState;
}

/** The run's state at setup. Throws UtrnPlanError for a surge the fleet cannot take. */
export function startUtrnRun(
  config: UtrnConfig,
  spec: ScenarioSpec,
  windows: readonly MaintenanceWindow[],
  run: RunContext,
): UtrnRun {
  const made = madeFromSpec(config, spec, run);
  // In this order: the figures are counted first in it (command sets count none).
  const sets = new CommandSets(config.commandSet, run);
  sets.flagExtended();
  const dcc = new DccAvailability(run, windows);
  countWindows(run, windows);
  const groups = sets.trackedGroups();
  const figures = new ArmFigures(run, sets.arms);
  figures.open(groups);
  const plans = planSurges(config, run);
  for (const plan of plans) figures.countPlan(plan, (m) => sets.armOf(m), run.owned);
  return {
    ...made,
    sets,
    dcc,
    figures,
    tickets: new TicketBook(),
    visits: new SiteVisits(config.siteVisitHours, made.stepHours, figures),
    wan: new WanSends(),
    restoration: new WanRestoration(),
    tally: new OffSupplyTally(groups, 2),
    plans,
  };
}

/** A resumed run's state: the checkpoint's, with the rest made again (UtrnRunState); counts nothing. */
export function resumeUtrnRun(
  config: UtrnConfig,
  spec: ScenarioSpec,
  windows: readonly MaintenanceWindow[],
  state: UtrnRunState,
  run: RunContext,
): UtrnRun {
  const made = madeFromSpec(config, spec, run);
  const sets = new CommandSets(config.commandSet, run);
  const dcc = new DccAvailability(run, windows);
  dcc.restoreState(state.dcc);
  const figures = new ArmFigures(run, sets.arms);
  figures.restoreState(state.figures);
  const visits = new SiteVisits(config.siteVisitHours, made.stepHours, figures);
  visits.restoreState(state.visits);
  const wan = new WanSends();
  wan.restoreState(state.wan);
  const restoration = new WanRestoration();
  restoration.restoreState(state.restoration);
  return {
    ...made,
    sets,
    dcc,
    figures,
    tickets: TicketBook.fromState(state.tickets, run),
    visits,
    wan,
    restoration,
    tally: OffSupplyTally.fromState(state.tally, run.owned, run.fleet.meters),
    plans: planSurges(config, run),
  };
}

export function utrnRunState(s: UtrnRun): UtrnRunState {
  return {
    dcc: s.dcc.saveState(),
    figures: s.figures.saveState(),
    tickets: s.tickets.saveState(),
    visits: s.visits.saveState(),
    wan: s.wan.saveState(),
    restoration: s.restoration.saveState(),
    tally: s.tally.saveState(s.owned),
  };
}

/** What setup and restore make alike from the spec. */
function madeFromSpec(config: UtrnConfig, spec: ScenarioSpec, run: RunContext) {
  return {
    config,
    stepHours: spec.stepMinutes / 60,
    owned: run.owned,
    clock: stepClock(spec.start, spec.stepMinutes),
  };
}

/**
 * The surges' plans, over the whole fleet as built, so every segment has the same plan; each
 * counts and sends its own meters' messages. No surge, no second fleet build.
 */
function planSurges(config: UtrnConfig, run: RunContext): SurgePlan[] {
  const built = config.surges.length > 0 ? fleetAsBuilt(run) : run.fleet;
  return config.surges.map((surge) =>
    planSurge(surge, {
      fleet: built,
      supplier: run.parties.byName(surge.supplier).index,
      seed: run.spec.seed,
      startStep: run.stepAt(surge.day, surge.hour),
      stepHours: run.spec.stepMinutes / 60,
      noWanShare: run.spec.fleet.wan.none,
    }),
  );
}
