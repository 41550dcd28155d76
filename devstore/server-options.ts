import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultConfig } from "./faults.js";
import type { DsShop } from "./model.js";
import type { Clock, DevStoreRuntime } from "./runtime.js";
import type { WebhookDispatcher } from "./webhooks.js";

/** The stand-in's options and the handles it returns (server.ts re-exports them). */

/** Callback the data generator registers to add orders over time for the demo (`POST …/simulate`). */
export type Simulator = (
  shop: DsShop,
  params: Record<string, unknown>,
  env: { clock: Clock },
) => unknown | Promise<unknown>;

let registeredSimulator: Simulator | null = null;

/** The simulator registered last (null when none). */
export function currentSimulator(): Simulator | null {
  return registeredSimulator;
}

/** Registers the simulator used by every stand-in started afterwards without `opts.simulate`. */
export function registerSimulator(fn: Simulator | null): void {
  registeredSimulator = fn;
}

export interface DevStoreOptions {
  port?: number;
  host?: string;
  apiKey: string;
  apiSecret: string;
  clock?: Clock;
  faults?: Partial<FaultConfig>;
  shops?: DsShop[];
  /**
   * Scopes granted by token exchange. Without `read_all_orders` every `orders` read (queries,
   * bulk, by id) sees only the last 60 days (devstore/access.ts).
   */
  scopes?: string;
  /**
   * Level 2 protected customer fields (name, email, phone, address) approved (default true, as
   * on a development store). False → those fields answer null with Shopify's ACCESS_DENIED error,
   * and a bulk query selecting them fails with errorCode ACCESS_DENIED (devstore/access.ts).
   */
  protectedCustomerFields?: boolean;
  simulate?: Simulator;
  /** Deliver webhooks as events happen (default true); false → only `deliverPending()`. */
  autoDeliverWebhooks?: boolean;
  webhookMaxAttempts?: number;
  /** Keep finished bulk operations reported as RUNNING for this many clock ms (poll-loop tests). */
  bulkMinDurationMs?: number;
  bulkDir?: string;
  /**
   * Lifetime of expiring offline access tokens (token exchange / refresh with `expiring=1`).
   * Shopify issues 3600 s (https://shopify.dev/changelog/offline-access-tokens-now-support-expiry-and-refresh);
   * the demo and tests set it short (DEMO_OFFLINE_TOKEN_TTL_SECONDS) so refreshes really happen.
   */
  offlineTokenTtlSeconds?: number;
  /**
   * Shopify Flow triggers the app has deployed (`flow_trigger` extensions): handle → the property
   * names its payload may carry. `flowTriggerReceive` refuses any other handle, as Shopify does.
   */
  flowTriggers?: Record<string, readonly string[]>;
}

export interface DevStoreHandler {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  runtime: DevStoreRuntime;
  shops: Map<string, DsShop>;
  addShop(shop: DsShop): DsShop;
  faults: FaultConfig;
  deliverPending(): Promise<void>;
  /** Resolves when no bulk operation is running. */
  bulkIdle(): Promise<void>;
  /** How many offline tokens were refreshed (grant_type=refresh_token). */
  tokenRefreshes(): number;
  webhookLog: WebhookDispatcher["log"];
  setBaseUrl(url: string): void;
  close(): void;
}

export interface DevStore extends Omit<DevStoreHandler, "handle" | "setBaseUrl" | "close"> {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What an app approved for everything it asks for holds; `read_all_orders` lifts the 60-day order window. */
export const DEFAULT_SCOPES =
  "read_products,write_products,read_customers,write_customers,read_orders,write_orders,read_all_orders,read_discounts,write_discounts";
