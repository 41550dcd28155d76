/**
 * App-facing state the stand-in keeps per shop beyond the catalogue: metafield definitions,
 * customer segments and Flow trigger runs. Created on first use, so shops built by any factory
 * (generator, CSV load, tests) carry it without a constructor change.
 */
import type { DsShop } from "./model.js";

export interface DsMetafieldDefinition {
  id: string;
  name: string;
  namespace: string;
  key: string;
  ownerType: string;
  type: string;
  description: string | null;
  access: { admin: string; storefront: string };
  createdAt: string;
}

export interface DsSegment {
  id: string;
  name: string;
  query: string;
  creationDate: string;
  lastEditDate: string;
}

/** One accepted `flowTriggerReceive` call: what Shopify Flow would start a workflow with. */
export interface DsFlowTriggerRun {
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: string;
}

export interface DsAppState {
  metafieldDefinitions: DsMetafieldDefinition[];
  segments: Map<string, DsSegment>;
  flowTriggerRuns: DsFlowTriggerRun[];
}

const STATE = new WeakMap<DsShop, DsAppState>();

export function appState(shop: DsShop): DsAppState {
  let state = STATE.get(shop);
  if (!state) {
    state = { metafieldDefinitions: [], segments: new Map(), flowTriggerRuns: [] };
    STATE.set(shop, state);
  }
  return state;
}
