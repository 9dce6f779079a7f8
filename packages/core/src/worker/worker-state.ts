/**
 * What a crypto worker holds for its whole life, built once from `WorkerInit`: parsed KeyObjects
 * for the few parties (never one per device: a KeyObject costs ~10 KB), views on the shared
 * per-device arrays, and the shared store of devices' Z, derived only for devices that need one.
 */
import type { KeyObject } from 'node:crypto';
import {
  type AffinePoint,
  type BatchCheckCrypto,
  type CryptoKernel,
  cellOfMessageCode,
  chooseCryptoKernel,
  type DeviceCheckContext,
  type KernelKeys,
  MacSecretStore,
  pointFromSec1,
  privateKeyFromScalar,
  publicKeyFromSec1,
  publicSec1FromScalar,
} from '@gbfleet/gbcs';
import { type FleetState, fleetFromBuffers } from '../fleet/fleet-state.js';
import type { WorkerInit } from '../worker-protocol.js';

export interface WorkerState {
  init: WorkerInit;
  senders: Array<{ eui: bigint; dsKey: KeyObject }>;
  /** The kernel, with the senders' DS keys (by sender index) and the trusted parties' (by party index) in it. */
  kernel: CryptoKernel;
  signerKeys: KernelKeys;
  checkCrypto: BatchCheckCrypto;
  trusted: Array<{ eui: bigint; dsPublicKey: KeyObject }>;
  supplierCell: Uint8Array;
  supplierCellCounter: BigUint64Array;
  macSecrets: MacSecretStore;
  acbKaPublic: AffinePoint;
  checkContext: DeviceCheckContext;
  /** Engine runs: the shared fleet. */
  fleet: FleetState | undefined;
}

export function createWorkerState(init: WorkerInit): WorkerState {
  const acbSec1 = publicSec1FromScalar(BigInt(`0x${init.acb.kaScalarHex}`));
  const acbKaPublic = pointFromSec1(acbSec1);
  const fleet = init.fleet ? fleetFromBuffers(init.fleet) : undefined;
  const kernel = chooseCryptoKernel(init.crypto).kernel;
  const state: WorkerState = {
    init,
    senders: init.senders.map((s) => ({ eui: s.eui, dsKey: privateKeyFromScalar(BigInt(`0x${s.dsScalarHex}`)) })),
    kernel,
    signerKeys: kernel.signers(init.senders.map((s) => BigInt(`0x${s.dsScalarHex}`))),
    checkCrypto: {
      kernel,
      verifiers: kernel.verifiers(
        init.trustedParties.map((p) => p.dsPublicSec1),
        { fixedBase: init.fixedBaseVerify },
      ),
    },
    trusted: init.trustedParties.map((p) => ({ eui: p.eui, dsPublicKey: publicKeyFromSec1(p.dsPublicSec1) })),
    supplierCell: fleet ? fleet.columns.supplierCell : new Uint8Array(init.supplierCell),
    supplierCellCounter: fleet ? fleet.columns.supplierCellCounter : new BigUint64Array(init.supplierCellCounter),
    macSecrets: new MacSecretStore(init.macSecrets, init.seed, acbKaPublic, kernel.name),
    acbKaPublic,
    checkContext: undefined as unknown as DeviceCheckContext,
    fleet,
  };
  if (fleet) {
    state.checkContext = fleetCheckContext(state, fleet);
    return state;
  }
  state.checkContext = {
    deviceEui: (device) => init.deviceEuiBase + BigInt(device),
    macSecret: (device) => deviceMacSecret(state, device),
    trustedOriginator: (device, originator) => {
      const index = state.supplierCell[device] as number;
      const party = state.trusted[index];
      return party && party.eui === originator ? { dsPublicKey: party.dsPublicKey, cell: 0, party: index } : undefined;
    },
    lastCounter: (device) => state.supplierCellCounter[device] as bigint,
    setLastCounter: (device, _cell, counter) => {
      state.supplierCellCounter[device] = counter;
    },
  };
  return state;
}

/** Z for a device's MAC, derived first if no worker has yet. */
export function deviceMacSecret(state: WorkerState, device: number): Uint8Array {
  return state.macSecrets.secretOf(device);
}

/** The check context of an engine run: all three trust-anchor cells, from the shared fleet. */
function fleetCheckContext(state: WorkerState, fleet: FleetState): DeviceCheckContext {
  const c = fleet.columns;
  const cells = [c.supplierCell, c.networkOperatorCell, c.acbCell] as const;
  const counters = [c.supplierCellCounter, c.networkOperatorCellCounter, c.acbCellCounter] as const;
  return {
    deviceEui: (device) => state.init.deviceEuiBase + BigInt(device),
    macSecret: (device) => deviceMacSecret(state, device),
    trustedOriginator: (device, originator, messageCode) => {
      const cell = cellOfMessageCode(messageCode);
      const index = (cells[cell] as Uint8Array)[device] as number;
      const party = state.trusted[index];
      return party && party.eui === originator ? { dsPublicKey: party.dsPublicKey, cell, party: index } : undefined;
    },
    lastCounter: (device, cell) => (counters[cell] as BigUint64Array)[device] as bigint,
    setLastCounter: (device, cell, counter) => {
      (counters[cell] as BigUint64Array)[device] = counter;
    },
  };
}
