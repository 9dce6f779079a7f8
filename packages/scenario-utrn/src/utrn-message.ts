/**
 * A supplier's message on its way to a meter — from the surge, a re-send after the WAN lost it, or
 * a site visit's — with the step it was due, from which its resolution time counts. However it
 * travels (WAN, UTRN, engineer), it is the same request and argument.
 */
import type { ServiceRequestKind } from '@gbfleet/gbcs';

export interface Message {
  meter: number;
  /** Party index of the supplier that sends it. */
  supplier: number;
  kind: ServiceRequestKind;
  argument: number;
  /** Step the message was due: resolution time counts from here. */
  plannedAt: number;
}
