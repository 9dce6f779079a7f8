/**
 * A scenario after validation: every default filled in, every share checked, every name
 * resolved. The YAML file a user writes is validated into this by `parseScenario`
 * (scenario-schema.ts); the engine only ever sees this shape.
 */

export interface SupplierSpec {
  name: string;
  /** Share of meters whose registered supplier this is (all suppliers' shares sum to 1). */
  share: number;
  /** Whether a Shared Resource Provider runs its systems (and holds its keys). */
  srp: boolean;
  /** Unit price, pence per kWh. */
  unitPencePerKwh: number;
  /** Standing charge, pence per day. */
  standingChargePencePerDay: number;
  /** DCC credit cover the party has lodged, pence. */
  creditCoverPence: number;
  /** DCC charges per meter per month, pence (for the charges table). */
  dccChargePencePerMeterMonth: number;
  /** Meter points the DCC charges the party for each month; absent or null: its meters in the fleet. */
  meterPoints?: number | null;
  /** Share of this supplier's meters on prepayment; null: the fleet-wide share. */
  prepaymentShare: number | null;
}

export interface NetworkOperatorSpec {
  name: string;
  share: number;
}

export interface FleetSpec {
  meters: number;
  /**
   * Meters per shard: one pool task's meters, and the unit of what couples meters (counter order,
   * ADT thresholds, plug-ins' capacities), so that segments of whole shards add up to the run.
   */
  shardMeters: number;
  /** Shares by fuel; sum to 1. */
  fuel: { electricity: number; gas: number };
  /** Shares by payment mode; sum to 1. */
  paymentMode: { prepayment: number; credit: number };
  /** Shares by WAN class; sum to 1. */
  wan: { good: number; intermittent: number; none: number };
  /** Share of consumers on the priority services register. */
  vulnerableShare: number;
  /** Meter-held schedules: alerts the meter sends to whoever holds its supplier cell. */
  meterSchedules: {
    /** Share of meters with such schedules (plug-ins may set them per meter too). */
    share: number;
    alertsPerDay: number;
    /** How many of the day's alerts carry consumption readings (≤ alertsPerDay). */
    readsPerDay: number;
  };
  suppliers: SupplierSpec[];
  networkOperators: NetworkOperatorSpec[];
  consumption: {
    /** Mean daily consumption across the fleet, kWh. */
    meanKwhPerDay: number;
    /** Spread of per-meter means around it (0 = all equal; 0.5 = ±50 % uniform). */
    spread: number;
  };
  prepayment: {
    /** Credit each prepayment meter starts with: uniform between these, pounds. */
    initialCreditPounds: { min: number; max: number };
    /** Emergency-credit limit, pounds. */
    emergencyCreditPounds: number;
    /** Low-credit alert threshold, pounds. */
    lowCreditPounds: number;
    /** Friendly (non-disablement) hours, local hour of day: [from, to). */
    friendlyHours: { from: number; to: number };
    /** Share of prepayment meters whose calendar holds friendly hours (the rest: none). */
    friendlyHoursShare: number;
  };
  topUp: {
    /** Consumers think about topping up when credit falls below this, pounds. */
    thresholdPounds: number;
    /** Chance per hour that a consumer below the threshold (or off supply) tops up. */
    probabilityPerHour: number;
    /** How much, pounds: uniform between these, whole pounds. */
    amountPounds: { min: number; max: number };
  };
}

export type AlertPolicy = 'none' | 'dcc-schedules' | 'filter-non-critical';

export interface DccSpec {
  /**
   * Alerts to a party that is not the meter's registered supplier: 'none' delivers them;
   * 'dcc-schedules' takes readings from DCC-held schedules (validated against registration data,
   * so they reach the registered supplier only); 'filter-non-critical' drops non-critical ones.
   */
  alertPolicy: AlertPolicy;
  adt: {
    /** Length of an ADT counting period, hours. */
    periodHours: number;
    /** Critical commands a party may send per period before the DCC quarantines the rest. */
    thresholdPerParty: number;
    /** How long a quarantined command waits before it is released (hours); null: deleted, never released. */
    releaseAfterHours: number | null;
  };
  wan: {
    /** Chance that a command to an intermittent-WAN meter is delayed. */
    intermittentDelayShare: number;
    /** How long such a delay lasts, hours. */
    intermittentDelayHours: number;
    /** Chance that a command to an intermittent-WAN meter is lost. */
    intermittentLossShare: number;
  };
}

/** One timeline entry: at `day` (0-based) and `hour`, something happens. */
export interface TimelineEventSpec {
  day: number;
  hour: number;
  /** A core event ('weather-surge', 'dcc-outage', 'supplier-fails') or one a plug-in registered. */
  type: string;
  /** Everything else the event's handler reads (validated by that handler). */
  params: Record<string, unknown>;
}

export interface ScenarioSpec {
  name: string;
  description: string;
  seed: string;
  /** Simulated time of step 0, ISO 8601 UTC. */
  start: string;
  days: number;
  stepMinutes: number;
  fleet: FleetSpec;
  dcc: DccSpec;
  events: TimelineEventSpec[];
  /** Sections that plug-ins own, keyed by plug-in name, validated by them. */
  plugins: Record<string, unknown>;
}
