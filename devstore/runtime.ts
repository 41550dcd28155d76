/**
 * What one running stand-in shares between its HTTP layer, executor, bulk runner and webhook
 * dispatcher. Kept as interfaces so modules depend on the shape, not on each other.
 */
import type { DsShop, DsBulkOperation } from "./model.js";
import type { Faults } from "./faults.js";
import type { AccessConfig } from "./access.js";

/** Milliseconds since the epoch; injectable so tests control throttle restore and webhook retries. */
export type Clock = () => number;

export interface WebhookSink {
  /** Queues a delivery of `topic` (REST-style, e.g. "orders/create") to the shop's subscribers. */
  emit(shop: DsShop, topic: string, payload: unknown): void;
}

export interface BulkRunner {
  runQuery(
    shop: DsShop,
    query: string,
    groupObjects: boolean,
  ): { op: DsBulkOperation | null; userErrors: BulkUserError[] };
  runMutation(
    shop: DsShop,
    mutation: string,
    stagedUploadPath: string,
  ): { op: DsBulkOperation | null; userErrors: BulkUserError[] };
  cancel(
    shop: DsShop,
    id: string,
  ): { op: DsBulkOperation | null; userErrors: { field: string[] | null; message: string }[] };
  /** Lets a poll observe progress (CREATED → RUNNING → COMPLETED) without timers. */
  observe(shop: DsShop, op: DsBulkOperation): DsBulkOperation;
}

export interface BulkUserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

export interface DevStoreRuntime {
  apiKey: string;
  apiSecret: string;
  clock: Clock;
  faults: Faults;
  /** Base URL of the HTTP server ("http://127.0.0.1:PORT"), known once it listens. */
  baseUrl(): string;
  webhooks: WebhookSink;
  bulk: BulkRunner;
  /** Staged uploads (bulk mutation variables) kept in memory by path. */
  stagedUploads: Map<string, Buffer>;
  /** Deployed Flow triggers: handle → allowed payload property names. */
  flowTriggers: Map<string, Set<string>>;
  /** Granted scopes and protected-customer-field approval (live: the control API changes it). */
  access: AccessConfig;
}

/** Per-request context handed to every resolver. */
export interface GraphqlContext {
  shop: DsShop;
  runtime: DevStoreRuntime;
  /** Set while executing a bulk query: connections need no first/last and the root page is given. */
  bulk?: { rootItems: unknown[] };
  /** Memo for per-request aggregates (e.g. orders per customer). */
  memo: Map<string, unknown>;
}
