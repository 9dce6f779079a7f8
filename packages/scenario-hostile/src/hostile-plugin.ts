/**
 * The plug-in for one run: hostile parties among ordinary traffic. It declares the attacker and
 * the former supplier, revokes the former supplier's certificate at its time, hands the chosen
 * meters from one network operator to the other, keeps the receipts of the UTRNs that meters
 * picked for 'utrn-replay' accept, and at each attack's step sends that attack to the owned
 * meters it picks and fits. Its only state between steps is those receipts.
 */
import {
  type CommandRequest,
  type PartyDeclaration,
  type RunContext,
  type ScenarioPlugin,
  UTRN_COUNTER_SHIFT,
  UTRN_STATUSES,
  WanClass,
} from '@gbfleet/core';
import { ServiceRequest } from '@gbfleet/gbcs';
import { ATTACK_MATRIX, type AttackContext, type Receipt } from './attack-matrix.js';
import type { HostileConfig } from './hostile-config.js';
import { TargetSample } from './target-sample.js';

/** The summary figure: every hostile command sent (to this process's meters). */
export const SENT_FIGURE = 'hostile commands sent';

const ACCEPTED_UTRN = UTRN_STATUSES.indexOf('accepted');

/** What `checkpoint` returns: the receipts, as [meter, supplier, pence, counter] rows. */
export interface HostileCheckpoint {
  receipts: Array<[number, number, number, bigint]>;
}

export interface HostilePlugin extends ScenarioPlugin {
  /** Receipts kept so far (for tests). */
  receipts(): ReadonlyMap<number, Receipt>;
}

export function createHostilePlugin(seed: string, config: HostileConfig): HostilePlugin {
  const sample = new TargetSample(seed);
  const replay = config.attacks.find((a) => a.type === 'utrn-replay');
  const handoverShare = config.attacks.find((a) => a.type === 'old-network-operator')?.share ?? 0;
  let receipts = new Map<number, Receipt>();
  let parties: Omit<AttackContext, 'columns' | 'meters' | 'receipts'> | null = null;

  const partiesOf = (run: RunContext) => ({
    attacker: run.parties.byName(config.attacker).index,
    formerSupplier: config.formerSupplier ? run.parties.byName(config.formerSupplier.name).index : -1,
    oldOperator: config.networkHandover ? run.parties.byName(config.networkHandover.from).index : -1,
    newOperator: config.networkHandover ? run.parties.byName(config.networkHandover.to).index : -1,
  });

  const contextOf = (run: RunContext): AttackContext => {
    parties ??= partiesOf(run);
    return { ...parties, columns: run.fleet.columns, meters: run.fleet.meters, receipts };
  };

  /** The old operator hands over the meters picked for 'old-network-operator' (an ordinary command). */
  const handOver = (run: RunContext, x: AttackContext) => {
    const c = x.columns;
    for (let m = run.owned.lo; m < run.owned.hi; m++) {
      if (!sample.targets('old-network-operator', handoverShare, m)) continue;
      if (c.wanClass[m] !== WanClass.Good || c.networkOperatorCell[m] !== x.oldOperator) continue;
      run.send({
        sender: x.oldOperator,
        meter: m,
        kind: ServiceRequest.UpdateNetworkOperatorCredentials,
        argument: x.newOperator,
      });
    }
  };

  return {
    name: 'hostile',
    parties(): PartyDeclaration[] {
      const out: PartyDeclaration[] = [{ name: config.attacker, role: 'supplier' }];
      if (config.formerSupplier) out.push({ name: config.formerSupplier.name, role: 'supplier' });
      return out;
    },
    setup(run) {
      parties = partiesOf(run);
      if (config.formerSupplier)
        run.parties.at(parties.formerSupplier).revokedAtStep = config.formerSupplier.revokedAtStep;
    },
    restore(state, run) {
      // The parties (revocation included) come back as they were; the receipts from the checkpoint.
      parties = partiesOf(run);
      const rows = (state as HostileCheckpoint).receipts;
      receipts = new Map(rows.map(([meter, supplier, pence, counter]) => [meter, { supplier, pence, counter }]));
    },
    checkpoint(): HostileCheckpoint {
      return { receipts: [...receipts].map(([m, r]) => [m, r.supplier, r.pence, r.counter]) };
    },
    receipts: () => receipts,
    beforeStep(run) {
      const x = contextOf(run);
      if (config.networkHandover && run.step === config.networkHandover.step) handOver(run, x);
      for (const attack of config.attacks) {
        if (attack.step !== run.step) continue;
        const row = ATTACK_MATRIX[attack.type];
        let sent = 0;
        for (let m = run.owned.lo; m < run.owned.hi; m++) {
          if (!sample.targets(attack.type, attack.share, m) || !row.fits(m, x)) continue;
          for (const command of row.commands(m, x)) {
            run.send({ ...command, attack: attack.type } satisfies CommandRequest);
            sent++;
          }
        }
        if (sent > 0) run.count(SENT_FIGURE, sent);
      }
    },
    afterStep(run, records) {
      // A receipt per accepted top-up code, for the meters 'utrn-replay' will pick (while it is to come).
      const utrn = records.utrn;
      if (!replay || !utrn || run.step >= replay.step) return;
      const highest = run.fleet.columns.utrnHighest;
      for (let i = 0; i < utrn.length; i++) {
        const m = utrn.meter[i] as number;
        if (utrn.status[i] !== ACCEPTED_UTRN || (utrn.valuePence[i] as number) === 0) continue;
        if (!sample.targets('utrn-replay', replay.share, m)) continue;
        // The meter's highest accepted counter is this code's: the engine issues them in order.
        receipts.set(m, {
          supplier: utrn.supplier[i] as number,
          pence: utrn.valuePence[i] as number,
          counter: BigInt(highest[m] as number) << UTRN_COUNTER_SHIFT,
        });
      }
    },
  };
}
