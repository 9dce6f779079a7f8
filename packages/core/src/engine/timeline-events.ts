/**
 * The timeline: each event fires at the start of its step and goes to the plug-in that handles
 * its type. The three core event types are handled by a plug-in of the engine's own
 * (`CoreTimeline`), the same way a scenario package handles its events.
 */
import { InvalidArgumentError } from '@gbfleet/gbcs';
import type { PartyTable } from '../parties/party-table.js';
import { stepAt } from '../scenario/scenario-clock.js';
import { CORE_EVENT_TYPES } from '../scenario/scenario-schema.js';
import type { ScenarioSpec, TimelineEventSpec } from '../scenario/scenario-spec.js';
import type { RunContext, ScenarioPlugin } from './scenario-plugin.js';

/**
 * weather-surge (consumption × multiplier for some hours), dcc-outage (the DCC carries no WAN
 * commands for some hours) and supplier-fails (the supplier fails and stops vending).
 */
export class CoreTimeline implements ScenarioPlugin {
  readonly name = 'core';
  readonly eventTypes = CORE_EVENT_TYPES;
  readonly #stepHours: number;
  #surge = { multiplier: 1, untilStep: -1 };

  constructor(stepMinutes: number) {
    this.#stepHours = stepMinutes / 60;
  }

  onEvent(event: TimelineEventSpec, run: RunContext): void {
    const hours = Number(event.params.hours);
    if (event.type === 'weather-surge') {
      this.#surge = {
        multiplier: Number(event.params.multiplier),
        untilStep: run.step + Math.ceil(hours / this.#stepHours),
      };
    } else if (event.type === 'dcc-outage') {
      run.dccOutage?.(hours);
    } else if (event.type === 'supplier-fails') {
      const party = run.parties.byName(String(event.params.supplier));
      party.failedAtStep = run.step;
      party.vending = false;
    }
  }

  checkpoint(): unknown {
    return { ...this.#surge };
  }

  restore(state: unknown): void {
    this.#surge = { ...(state as { multiplier: number; untilStep: number }) };
  }

  /** What consumption is multiplied by during `step`. */
  consumptionMultiplier(step: number): number {
    return step < this.#surge.untilStep ? this.#surge.multiplier : 1;
  }
}

/** Which plug-in handles each event type: the core's, then each plug-in's; a type taken twice is refused. */
export class TimelineHandlers {
  readonly #byType = new Map<string, ScenarioPlugin>();

  constructor(plugins: readonly ScenarioPlugin[]) {
    for (const plugin of plugins) {
      for (const type of plugin.eventTypes ?? []) {
        if (this.#byType.has(type)) {
          throw new InvalidArgumentError(`plug-in ${plugin.name} registers event type ${type}, which is already taken`);
        }
        this.#byType.set(type, plugin);
      }
    }
  }

  /** Refuses a scenario with an event no plug-in handles, before anything runs. */
  checkHandled(events: readonly TimelineEventSpec[]): void {
    for (const event of events) {
      if (!this.#byType.has(event.type)) {
        throw new InvalidArgumentError(`timeline event type ${JSON.stringify(event.type)} has no handler`);
      }
    }
  }

  /** Fires the events that begin at `run.step`, in the order the scenario lists them. */
  fire(events: readonly TimelineEventSpec[], run: RunContext): void {
    for (const event of events) {
      if (run.stepAt(event.day, event.hour) !== run.step) continue;
      this.#byType.get(event.type)?.onEvent?.(event, run);
    }
  }
}

/**
 * The step at which each failing supplier fails (the last supplier-fails event inside the run).
 * The parties row is written before the run starts, so a failure is written as the timeline
 * schedules it: the step set when the event fires would come too late for the row.
 */
export function scheduledFailures(spec: ScenarioSpec, parties: PartyTable, steps: number): Map<number, number> {
  const failures = new Map<number, number>();
  for (const event of spec.events) {
    const at = stepAt(spec, event.day, event.hour);
    if (event.type !== 'supplier-fails' || at >= steps) continue;
    const index = parties.byName(String(event.params.supplier)).index;
    failures.set(index, Math.max(at, failures.get(index) ?? at));
  }
  return failures;
}
