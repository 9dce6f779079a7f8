/**
 * Everything one UTRN run holds between steps, made by the plug-in's `setup` once the fleet and
 * parties exist: each own meter's command set, when the DCC is down, the figures, the codes in
 * flight, the site visits and WAN messages pending, the no-WAN incidents, the off-supply spells
 * and the surges' plans (of the whole fleet, the same in every segment). Routing (routing.ts) and the keypad (keypad.ts) are functions of this state.
 */
import type { RunContext, ScenarioSpec } from '@gbfleet/core';
import { ArmFigures } from './arm-figures.js';
import { CommandSets } from './command-sets.js';
import { type StepClock, stepClock } from './consumer-model.js';
import { DccAvailability } from './dcc-availability.js';
import { fleetAsBuilt } from './fleet-as-built.js';
import type { MaintenanceWindow } from './maintenance-windows.js';
import { OffSupplyTally } from './off-supply-tally.js';
import { SiteVisits } from './site-visits.js';
import { planSurge, type SurgePlan } from './surge-plan.js';
import { TicketBook } from './ticket-book.js';
import type { UtrnConfig } from './utrn-config.js';
import { WanRestoration } from './wan-restoration.js';
import { WanSends } from './wan-sends.js';

export interface UtrnRun {
  readonly config: UtrnConfig;
  readonly stepHours: number;
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

/** The run's state at setup. Throws UtrnPlanError for a surge the fleet cannot take. */
export function startUtrnRun(
  config: UtrnConfig,
  spec: ScenarioSpec,
  windows: readonly MaintenanceWindow[],
  run: RunContext,
): UtrnRun {
  const stepHours = spec.stepMinutes / 60;
  // In this order: the figures are counted first in it (command sets count none).
  const sets = new CommandSets(config.commandSet, run);
  const dcc = new DccAvailability(run, windows);
  const groups = sets.trackedGroups();
  const figures = new ArmFigures(run, sets.arms, groups);
  // Planned over the whole fleet as built, so every segment has the same plan; each counts and
  // sends its own meters' messages. No surge, no second fleet build.
  const built = config.surges.length > 0 ? fleetAsBuilt(run) : run.fleet;
  const plans = config.surges.map((surge) =>
    planSurge(surge, {
      fleet: built,
      supplier: run.parties.byName(surge.supplier).index,
      seed: run.spec.seed,
      startStep: run.stepAt(surge.day, surge.hour),
      stepHours,
      noWanShare: run.spec.fleet.wan.none,
    }),
  );
  for (const plan of plans) figures.countPlan(plan, (m) => sets.armOf(m), run.owned);
  return {
    config,
    stepHours,
    clock: stepClock(spec.start, spec.stepMinutes),
    sets,
    dcc,
    figures,
    tickets: new TicketBook(),
    visits: new SiteVisits(config.siteVisitHours, stepHours, figures),
    wan: new WanSends(),
    restoration: new WanRestoration(),
    tally: new OffSupplyTally(groups, 2),
    plans,
  };
}
