/**
 * The UTRN plug-in for one run. Each step, on the main thread: WAN restorations and maintenance
 * windows take effect; site visits fall due; the surge's messages of the step are routed — over
 * the WAN, or as a code the consumer types when the meter has no WAN (or the DCC is down, or the
 * WAN lost it), or to a site visit when the meter's command set cannot carry it; consumers sit at
 * their keypads. After the step it reads what the meters made of each entry and settles codes.
 * The state is a UtrnRun (utrn-run.ts), made at setup or from a checkpoint; this module only
 * orders the work.
 */
import type { RunContext, ScenarioPlugin, ScenarioSpec, StepRecords, TimelineEventSpec } from '@gbfleet/core';
import { unresolvedByArm } from './arm-figures.js';
import { readEntries, sit } from './keypad.js';
import { planMaintenance } from './maintenance-windows.js';
import { routeSurges, wanLosses } from './routing.js';
import { EVENT_RESOLUTION, UTRN_EVENT_TYPES, type UtrnConfig } from './utrn-config.js';
import { FIGURE } from './utrn-figures.js';
import { resumeUtrnRun, startUtrnRun, type UtrnRun, type UtrnRunState, utrnRunState } from './utrn-run.js';

export function createUtrnPlugin(config: UtrnConfig, spec: ScenarioSpec): ScenarioPlugin {
  // DP092 breaches in the file are scenario errors: found here, before anything runs.
  const windows = planMaintenance(config, spec);
  let state: UtrnRun | undefined;
  const current = () => state as UtrnRun;
  return {
    name: 'utrn',
    eventTypes: UTRN_EVENT_TYPES,
    setup(run) {
      state = startUtrnRun(config, spec, windows, run);
    },
    checkpoint: () => utrnRunState(current()),
    restore(saved, run) {
      state = resumeUtrnRun(config, spec, windows, saved as UtrnRunState, run);
    },
    onEvent: (event, run) => onEvent(current(), event, run),
    beforeStep: (run) => beforeStep(current(), run),
    afterStep: (run, records) => afterStep(current(), run, records),
  };
}

/** `no-wan-resolution`: incidents are raised for the event's share of meters without WAN. */
function onEvent(s: UtrnRun, event: TimelineEventSpec, run: RunContext): void {
  if (event.type !== EVENT_RESOLUTION) return;
  const index = run.spec.events.indexOf(event);
  const resolution = s.config.resolutions.find((r) => r.event === index);
  if (resolution) run.count(FIGURE.incidentsRaised, s.restoration.raise(resolution, run));
}

function beforeStep(s: UtrnRun, run: RunContext): void {
  s.wan.startStep();
  const restored = s.restoration.restoreDue(run);
  if (restored.length > 0) run.count(FIGURE.incidentsResolved, restored.length);
  s.dcc.applyMaintenance(run);
  s.visits.makeDue(run, s.wan);
  s.wan.sendResends(run);
  routeSurges(s, run);
  for (const t of s.tickets.takeDue(run.step)) sit(s, run, t);
}

function afterStep(s: UtrnRun, run: RunContext, records: StepRecords): void {
  wanLosses(s, run, records);
  readEntries(s, run, records);
  s.tally.observe(records.supply, s.stepHours);
  if (run.step === run.steps - 1) {
    s.tally.finish(run.steps, s.stepHours);
    s.figures.finish(s.tally, unresolvedByArm(s.tickets.openTickets(), s.visits.open()), s.restoration);
  }
}
