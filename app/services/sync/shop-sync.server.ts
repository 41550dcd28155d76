import type { PrismaClient, SyncRun } from "@prisma/client";
import { addOrphanChildren, stageChildren, takeStagedChildren, takeStagedChunk, type StagedChild } from "~/models/bulk-staging.server";
import { addProductCollections, existingProductGids, upsertProducts, upsertVariants } from "~/models/catalog.server";
import { upsertCustomers } from "~/models/customers.server";
import { BATCH_TX_OPTIONS } from "~/models/db-types.server";
import { existingOrderGids, upsertOrderLines, upsertOrders } from "~/models/orders.server";
import {
  checkpointSyncRun,
  createSyncRun,
  finishSyncRun,
  getLatestSyncRun,
  getSyncRun,
  getWatermark,
  SYNC_RESOURCES,
  updateSyncRun,
  type SyncResource,
} from "~/models/sync-runs.server";
import type { AdminClient } from "~/shopify/admin-client.server";
import {
  BulkDownloadInterruptedError,
  BulkOperationFailedError,
  openBulkResult,
  readLines,
  startBulkQuery,
  TruncatedBulkFileError,
  waitForBulkOperation,
} from "~/shopify/bulk.server";
import {
  ACCESS_SCOPES_QUERY,
  BULK_CUSTOMERS_QUERY,
  BULK_CUSTOMERS_WITHOUT_PII_QUERY,
  BULK_ORDERS_QUERY,
  BULK_ORDERS_WITHOUT_PII_QUERY,
  BULK_PRODUCTS_QUERY,
  ORDER_LINE_ITEMS_PAGE_QUERY,
  RECONCILE_CUSTOMERS_QUERY,
  RECONCILE_CUSTOMERS_WITHOUT_PII_QUERY,
  RECONCILE_ORDERS_QUERY,
  RECONCILE_ORDERS_WITHOUT_PII_QUERY,
  RECONCILE_PRODUCTS_QUERY,
} from "~/shopify/documents/sync";
import { ShopifyGraphqlError } from "~/shopify/errors.server";
import { recordAccessGap } from "~/models/shops.server";
import { ensureShop } from "~/models/sync-runs.server";
import {
  customerFromGraphql,
  gidType,
  lineFromGraphql,
  orderFromGraphql,
  productFromGraphql,
  variantFromGraphql,
  type CustomerRecord,
  type OrderRecord,
  type ProductRecord,
} from "~/shopify/records.server";

/**
 * The sync: initial import through bulk operations, crash-resume, and periodic reconciliation.
 *
 * Bulk import streams the JSONL result and reassembles each root object (product, customer,
 * order) from its own line plus its child lines (`__parentId`), wherever in the file Shopify put
 * them (ungrouped output, see {@link importJsonl}). Records are
 * upserted in batches; each batch's rows and the run's `linesProcessed` commit in one transaction,
 * so a crash loses at most one uncommitted batch and {@link resumeSync} continues at exactly the
 * next unprocessed line.
 */

export interface SyncDeps {
  prisma: PrismaClient;
  client: AdminClient;
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Fetch used to download bulk result files (default global fetch). */
  fetch?: typeof globalThis.fetch;
  /** Extra origins bulk files may come from (default: Shopify's storage, plus the stand-in the client talks to). */
  bulkHosts?: string[];
  /** Root records per transaction (default 500). */
  batchSize?: number;
  /** Bulk polling: first interval in ms (default 1000, doubling to 15 s). */
  pollIntervalMs?: number;
  /** Called after every committed batch (progress UIs, tests simulating a crash). */
  onBatch?: (info: { resource: SyncResource; runId: string; linesProcessed: number; linesTotal: number | null }) => void | Promise<void>;
}

export interface ResourceSyncResult {
  resource: SyncResource;
  runId: string;
  status: "COMPLETED" | "FAILED";
  linesProcessed: number;
  rowsUpserted: number;
  error: string | null;
  /** The run failed because Shopify denied a field (bulk errorCode ACCESS_DENIED). */
  accessDenied?: boolean;
}

type AnyRecord = ProductRecord | CustomerRecord | OrderRecord;

interface ResourceSpec {
  bulkQuery: string;
  /** The same export without protected customer fields, run when `bulkQuery` ends ACCESS_DENIED. */
  bulkQueryWithoutPii?: string;
  /** Builds the record from a root line and its children lines. */
  assemble(root: Record<string, unknown>, children: Record<string, unknown>[]): AnyRecord;
  upsert(prisma: PrismaClient, shop: string, records: AnyRecord[]): Promise<{ written: number }>;
  /** Writes child lines onto parents already stored; returns how many had no stored parent. */
  attach(prisma: PrismaClient, shop: string, children: StagedChild[]): Promise<{ orphans: number }>;
}

const SPECS: Record<SyncResource, ResourceSpec> = {
  products: {
    bulkQuery: BULK_PRODUCTS_QUERY,
    assemble(root, children) {
      const variants = children.filter((c) => gidType(c.id) === "ProductVariant");
      const collections = children.filter((c) => gidType(c.id) === "Collection");
      // Not "complete": with ungrouped output more children may follow in a later batch, and a
      // cut-off file must not delete stored variants. Removals arrive through products/update
      // webhooks and reconcile pages, which carry full lists.
      return productFromGraphql(root, variants, collections, false);
    },
    async upsert(prisma, shop, records) {
      // Collections are added, never replaced, for the same reason as variants.
      const products = records as ProductRecord[];
      const result = await upsertProducts(prisma, shop, products.map((p) => ({ ...p, collections: undefined })));
      await addProductCollections(prisma, shop, products.flatMap((p) => (p.collections ?? []).map((title) => ({ productGid: p.gid, title }))));
      return result;
    },
    async attach(prisma, shop, children) {
      const stored = await existingProductGids(prisma, shop, [...new Set(children.map((c) => c.parentGid))]);
      const placed = children.filter((c) => stored.has(c.parentGid));
      await upsertVariants(
        prisma,
        shop,
        placed.filter((c) => gidType(c.data.id) === "ProductVariant").map((c) => variantFromGraphql(c.data, c.parentGid)),
      );
      await addProductCollections(
        prisma,
        shop,
        placed.filter((c) => gidType(c.data.id) === "Collection").map((c) => ({ productGid: c.parentGid, title: String(c.data.title) })),
      );
      return { orphans: children.length - placed.length };
    },
  },
  customers: {
    bulkQuery: BULK_CUSTOMERS_QUERY,
    bulkQueryWithoutPii: BULK_CUSTOMERS_WITHOUT_PII_QUERY,
    assemble: (root) => customerFromGraphql(root),
    upsert: (prisma, shop, records) => upsertCustomers(prisma, shop, records as CustomerRecord[]),
    // The customers export has no nested connection: any child line is unexpected.
    attach: async (_prisma, _shop, children) => ({ orphans: children.length }),
  },
  orders: {
    bulkQuery: BULK_ORDERS_QUERY,
    bulkQueryWithoutPii: BULK_ORDERS_WITHOUT_PII_QUERY,
    // Additive for the same reason as products; order edits arrive with orders/updated.
    assemble: (root, children) => orderFromGraphql(root, children.filter((c) => gidType(c.id) === "LineItem"), false),
    upsert: (prisma, shop, records) => upsertOrders(prisma, shop, records as OrderRecord[]),
    async attach(prisma, shop, children) {
      const stored = await existingOrderGids(prisma, shop, [...new Set(children.map((c) => c.parentGid))]);
      const placed = children.filter((c) => stored.has(c.parentGid) && gidType(c.data.id) === "LineItem");
      await upsertOrderLines(prisma, shop, placed.map((c) => ({ ...lineFromGraphql(c.data), orderGid: c.parentGid })));
      return { orphans: children.length - placed.length };
    },
  },
};

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function now(deps: SyncDeps): Date {
  return deps.clock ? deps.clock() : new Date();
}

/** Sync errors are stored and shown to the merchant: messages carry no PII by construction. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Full initial import: products → customers → orders, each through a bulk operation. */
export async function runInitialSync(deps: SyncDeps, shop: string): Promise<ResourceSyncResult[]> {
  const results: ResourceSyncResult[] = [];
  for (const resource of SYNC_RESOURCES) results.push(await runBulkSync(deps, shop, resource));
  return results;
}

/**
 * Starts a bulk operation for one resource and imports its result. Never throws for sync failures: the run records them.
 *
 * Degrades instead of failing when Shopify withholds access (docs/shopify/sync-and-auth.md,
 * "Protected customer data and the 60-day order window"): a bulk query that ends ACCESS_DENIED
 * (protected customer fields not approved) is run again without those fields and the shop's
 * `protected_customer_data` gap is recorded; an orders sync records `read_all_orders` when the
 * shop has not granted that scope (Shopify then exports only the last 60 days).
 */
export async function runBulkSync(deps: SyncDeps, shop: string, resource: SyncResource): Promise<ResourceSyncResult> {
  const spec = SPECS[resource];
  if (resource === "orders") await recordOrderHistoryAccess(deps, shop);
  const full = await runBulkQuery(deps, shop, resource, spec.bulkQuery);
  if (!spec.bulkQueryWithoutPii) return full;
  if (!full.accessDenied) {
    if (full.status === "COMPLETED") await recordAccessGap(deps.prisma, shop, "protected_customer_data", false);
    return full;
  }
  await recordAccessGap(deps.prisma, shop, "protected_customer_data", true);
  console.warn(`Bulk ${resource} sync for ${shop}: protected customer fields not approved (ACCESS_DENIED); importing without them`);
  return runBulkQuery(deps, shop, resource, spec.bulkQueryWithoutPii);
}

/** `read_all_orders` is granted only after Shopify approved it; without it orders older than 60 days are invisible. */
async function recordOrderHistoryAccess(deps: SyncDeps, shop: string): Promise<void> {
  await ensureShop(deps.prisma, shop);
  try {
    const data = await deps.client.request<{ currentAppInstallation: { accessScopes: { handle: string }[] } | null }>(ACCESS_SCOPES_QUERY);
    const handles = new Set((data.currentAppInstallation?.accessScopes ?? []).map((s) => s.handle));
    await recordAccessGap(deps.prisma, shop, "read_all_orders", !handles.has("read_all_orders"));
  } catch (error) {
    // Knowing the gap is worth a banner, not a failed sync: the orders export itself still runs.
    console.warn(`Access scopes for ${shop} could not be read: ${describe(error)}`);
  }
}

function isAccessDenied(error: unknown): boolean {
  return error instanceof BulkOperationFailedError && error.errorCode === "ACCESS_DENIED";
}

async function runBulkQuery(deps: SyncDeps, shop: string, resource: SyncResource, query: string): Promise<ResourceSyncResult> {
  const run = await createSyncRun(deps.prisma, shop, { resource, kind: "BULK", startedAt: now(deps) });
  try {
    const op = await startBulkQuery(deps.client, query, { sleep: deps.sleep ?? defaultSleep });
    await updateSyncRun(deps.prisma, shop, run.id, { bulkOperationId: op.id, status: "RUNNING" });
  } catch (error) {
    return fail(deps, shop, run, resource, error);
  }
  return continueRun(deps, shop, (await getSyncRun(deps.prisma, shop, run.id))!, resource);
}

/**
 * Continues an interrupted initial sync: for each resource whose latest bulk run did not succeed,
 * resume that run (poll its bulk operation if needed, then stream from the first uncommitted
 * line) — or start one if there is none. Resources already synced are left alone.
 */
export async function resumeSync(deps: SyncDeps, shop: string): Promise<ResourceSyncResult[]> {
  const results: ResourceSyncResult[] = [];
  for (const resource of SYNC_RESOURCES) {
    const latest = await getLatestSyncRun(deps.prisma, shop, resource, "BULK");
    if (latest?.status === "COMPLETED") continue;
    if (latest?.bulkOperationId) {
      const resumed = await continueRun(deps, shop, latest, resource);
      // Interrupted between an ACCESS_DENIED export and its fallback: run the resource again (with the fallback).
      results.push(resumed.accessDenied ? await runBulkSync(deps, shop, resource) : resumed);
    } else results.push(await runBulkSync(deps, shop, resource));
  }
  return results;
}

async function continueRun(deps: SyncDeps, shop: string, run: SyncRun, resource: SyncResource): Promise<ResourceSyncResult> {
  try {
    let url = run.resultUrl;
    let linesTotal = run.linesTotal;
    // linesTotal is set together with resultUrl once the operation completed (url stays null
    // when it matched nothing), so a run without it still has to wait for Shopify.
    if (!url && run.linesTotal === null) {
      await updateSyncRun(deps.prisma, shop, run.id, { status: "RUNNING", error: null });
      const op = await waitForBulkOperation(deps.client, run.bulkOperationId!, {
        sleep: deps.sleep ?? defaultSleep,
        initialIntervalMs: deps.pollIntervalMs,
      });
      url = op.url;
      linesTotal = op.objectCount;
      await updateSyncRun(deps.prisma, shop, run.id, { resultUrl: op.url, linesTotal: op.objectCount });
    }
    await updateSyncRun(deps.prisma, shop, run.id, { status: "IMPORTING", error: null, finishedAt: null });
    // A bulk query that matched nothing completes with url = null.
    if (url) await importWithRetries(deps, shop, { ...run, resultUrl: url, linesTotal }, resource, url);
    await finishSyncRun(deps.prisma, shop, run.id, { status: "COMPLETED", finishedAt: now(deps) });
    const done = (await getSyncRun(deps.prisma, shop, run.id))!;
    return { resource, runId: run.id, status: "COMPLETED", linesProcessed: done.linesProcessed, rowsUpserted: done.rowsUpserted, error: null };
  } catch (error) {
    return fail(deps, shop, run, resource, error);
  }
}

async function fail(deps: SyncDeps, shop: string, run: SyncRun, resource: SyncResource, error: unknown): Promise<ResourceSyncResult> {
  const message = describe(error);
  await finishSyncRun(deps.prisma, shop, run.id, { status: "FAILED", error: message, finishedAt: now(deps) });
  const done = (await getSyncRun(deps.prisma, shop, run.id))!;
  return {
    resource,
    runId: run.id,
    status: "FAILED",
    linesProcessed: done.linesProcessed,
    rowsUpserted: done.rowsUpserted,
    error: message,
    accessDenied: isAccessDenied(error),
  };
}

/**
 * Imports the file, re-opening it after a broken download and continuing from the committed
 * checkpoint. Retries are unlimited while each attempt commits more lines, and bounded (3) when
 * attempts stop making progress — a slow consumer can outlive a server's idle timeout near the
 * end of a large file, which is no reason to fail a sync that is 99% done.
 */
async function importWithRetries(deps: SyncDeps, shop: string, run: SyncRun, resource: SyncResource, url: string): Promise<void> {
  let stalled = 0;
  for (;;) {
    const before = run.linesProcessed;
    try {
      return await importJsonl(deps, shop, run, resource, url);
    } catch (error) {
      if (!(error instanceof BulkDownloadInterruptedError)) throw error;
      stalled = run.linesProcessed > before ? 0 : stalled + 1;
      if (stalled >= 3) throw error;
      await (deps.sleep ?? defaultSleep)(500 * 2 ** stalled);
    }
  }
}

/** The stand-in serves bulk files itself (demo and tests); real Shopify never talks to it. */
function standInOrigin(client: AdminClient): string[] {
  return client.standInBase ? [new URL(client.standInBase).origin] : [];
}

function maxUpdated(records: AnyRecord[]): Date | null {
  let max = "";
  for (const r of records) if (r.shopifyUpdated > max) max = r.shopifyUpdated;
  return max ? new Date(max) : null;
}

/**
 * Streams the JSONL file, skipping the run's committed lines, and upserts root records in
 * batches. In 2026-10 `groupObjects` defaults to false and Shopify does not promise that a child
 * line follows its parent (its documented example has a variant of the first product after four
 * other products — docs/shopify/sync-and-auth.md). So one batch of roots is held in memory;
 * children of those roots attach in memory, every other child line is staged in the database
 * with the batch's checkpoint (`models/bulk-staging.server.ts`). A staged child is attached when
 * its parent's batch is written or, for a child that came after its parent, once the whole file
 * has been read; children that never meet a parent are counted on the run (`orphanChildren`).
 */
async function importJsonl(deps: SyncDeps, shop: string, run: SyncRun, resource: SyncResource, url: string): Promise<void> {
  const spec = SPECS[resource];
  const batchSize = deps.batchSize ?? 500;
  const skip = run.linesProcessed;
  const body = await openBulkResult(url, { fetch: deps.fetch, allowedOrigins: [...(deps.bulkHosts ?? []), ...standInOrigin(deps.client)] });

  /** Roots of the open batch, by id, with the child lines seen while the batch was open. */
  let roots = new Map<string, { root: Record<string, unknown>; children: Record<string, unknown>[] }>();
  /** Child lines whose parent is not in the open batch: staged when the batch commits. */
  let unplaced: StagedChild[] = [];
  /** Last line whose content is held in `roots`/`unplaced` (or already committed). */
  let readThrough = skip;
  let lastLine = 0;

  const flush = async () => {
    if (readThrough === run.linesProcessed && roots.size === 0 && unplaced.length === 0) return;
    const open = roots;
    const staged = unplaced;
    const linesProcessed = readThrough;
    let records: AnyRecord[] = [];
    await deps.prisma.$transaction(async (tx) => {
      const db = tx as PrismaClient;
      // Children staged before their parent arrived come first: they are earlier in the file.
      const early = new Map<string, Record<string, unknown>[]>();
      for (const c of await takeStagedChildren(db, shop, run.id, [...open.keys()])) {
        early.set(c.parentGid, [...(early.get(c.parentGid) ?? []), c.data]);
      }
      records = [...open.values()].map(({ root, children }) => spec.assemble(root, [...(early.get(String(root.id)) ?? []), ...children]));
      const { written } = await spec.upsert(db, shop, records);
      await stageChildren(db, shop, run.id, staged);
      await checkpointSyncRun(tx, shop, run.id, { linesProcessed, rowsUpserted: written, watermark: maxUpdated(records) });
    }, BATCH_TX_OPTIONS);
    run.linesProcessed = linesProcessed;
    roots = new Map();
    unplaced = [];
    await deps.onBatch?.({ resource, runId: run.id, linesProcessed, linesTotal: run.linesTotal });
  };

  try {
    for await (const line of readLines(body)) {
      lastLine = line.number;
      if (line.number <= skip) continue;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line.text);
      } catch {
        if (!line.terminated) throw new TruncatedBulkFileError(line.number - 1, `line ${line.number} is cut off`);
        throw new Error(`Bulk result line ${line.number} is not valid JSON`);
      }
      if (!line.terminated && line.number < (run.linesTotal ?? 0)) {
        throw new TruncatedBulkFileError(line.number - 1, `file ends without a newline after line ${line.number}`);
      }
      if (obj.__parentId === undefined) {
        // Batches close at a root line, so grouped output never stages anything.
        if (roots.size >= batchSize) await flush();
        roots.set(String(obj.id), { root: obj, children: [] });
      } else {
        const parentId = String(obj.__parentId);
        const open = roots.get(parentId);
        if (open) open.children.push(obj);
        else unplaced.push({ parentGid: parentId, line: line.number, data: obj });
      }
      readThrough = line.number;
      // Many children far from their parents must not grow memory either.
      if (unplaced.length >= batchSize * 4) await flush();
    }
    if (run.linesTotal !== null && lastLine < run.linesTotal) {
      throw new TruncatedBulkFileError(lastLine, `expected ${run.linesTotal} lines, got ${lastLine}`);
    }
    await flush();
    await attachLateChildren(deps, shop, run, spec);
  } catch (error) {
    if (error instanceof TruncatedBulkFileError || error instanceof BulkDownloadInterruptedError) {
      // Every line read before the cut is whole: keep it (roots written, children staged), so
      // nothing already read is lost and a re-opened download continues after it.
      await flush();
    }
    throw error;
  }
}

/**
 * After the last line: children still staged belong to parents written earlier in the file (or
 * stored before), or to no parent at all. Attached in chunks, each chunk in one transaction.
 */
async function attachLateChildren(deps: SyncDeps, shop: string, run: SyncRun, spec: ResourceSpec): Promise<void> {
  let orphans = 0;
  for (;;) {
    const done = await deps.prisma.$transaction(async (tx) => {
      const db = tx as PrismaClient;
      const chunk = await takeStagedChunk(db, shop, run.id, 2_000);
      if (chunk.length === 0) return true;
      const { orphans: missing } = await spec.attach(db, shop, chunk);
      await addOrphanChildren(db, shop, run.id, missing);
      orphans += missing;
      return false;
    }, BATCH_TX_OPTIONS);
    if (done) break;
  }
  // Counts only: child lines can carry customer data.
  if (orphans > 0) console.warn(`Bulk ${run.resource} import for ${shop}: ${orphans} child line(s) without a parent in the file`);
}

// ---------------------------------------------------------------------------------------------
// Reconciliation

interface PageSpec {
  document: string;
  /** The same page without protected customer fields, used once `document` answered ACCESS_DENIED. */
  documentWithoutPii?: string;
  connection: string;
  toRecords(client: AdminClient, nodes: Record<string, unknown>[]): Promise<AnyRecord[]>;
}

type Page = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Record<string, unknown>[] };

const PAGES: Record<SyncResource, PageSpec> = {
  products: {
    document: RECONCILE_PRODUCTS_QUERY,
    connection: "products",
    async toRecords(_client, nodes) {
      return nodes.map((n) => {
        const variants = ((n.variants as { nodes: unknown[] } | undefined)?.nodes ?? []) as Record<string, unknown>[];
        const collections = ((n.collections as { nodes: unknown[] } | undefined)?.nodes ?? []) as Record<string, unknown>[];
        // Variants beyond the first page are kept as stored rather than deleted.
        return productFromGraphql(n, variants, collections, variants.length < 30);
      });
    },
  },
  customers: {
    document: RECONCILE_CUSTOMERS_QUERY,
    documentWithoutPii: RECONCILE_CUSTOMERS_WITHOUT_PII_QUERY,
    connection: "customers",
    toRecords: async (_client, nodes) => nodes.map(customerFromGraphql),
  },
  orders: {
    document: RECONCILE_ORDERS_QUERY,
    documentWithoutPii: RECONCILE_ORDERS_WITHOUT_PII_QUERY,
    connection: "orders",
    async toRecords(client, nodes) {
      const records: OrderRecord[] = [];
      for (const n of nodes) {
        const first = n.lineItems as Page;
        const lines = [...first.nodes];
        let info = first.pageInfo;
        while (info.hasNextPage) {
          const more = await client.request<{ order: { lineItems: Page } | null }>(ORDER_LINE_ITEMS_PAGE_QUERY, { id: n.id, after: info.endCursor });
          if (!more.order) break;
          lines.push(...more.order.lineItems.nodes);
          info = more.order.lineItems.pageInfo;
        }
        records.push(orderFromGraphql(n, lines, true));
      }
      return records;
    },
  },
};

/**
 * Catch-up pass for webhooks Shopify dropped: for each resource, pages through everything updated
 * since the last successful sync's watermark and upserts it (conditional upserts make replays
 * harmless). The search uses `>=` because `updated_at` search is second-granular and two updates
 * in the watermark's second must not be missed.
 */
export async function reconcile(deps: SyncDeps, shop: string): Promise<ResourceSyncResult[]> {
  const results: ResourceSyncResult[] = [];
  for (const resource of SYNC_RESOURCES) results.push(await reconcileResource(deps, shop, resource));
  return results;
}

export async function reconcileResource(deps: SyncDeps, shop: string, resource: SyncResource): Promise<ResourceSyncResult> {
  const since = await getWatermark(deps.prisma, shop, resource);
  const run = await createSyncRun(deps.prisma, shop, { resource, kind: "RECONCILE", status: "IMPORTING", startedAt: now(deps) });
  const spec = PAGES[resource];
  const search = since ? `updated_at:>='${since.toISOString()}'` : "";
  try {
    let after: string | null = null;
    let processed = 0;
    let document = spec.document;
    for (;;) {
      let data: Record<string, Page>;
      try {
        data = await deps.client.request<Record<string, Page>>(document, { query: search, after });
      } catch (error) {
        // Protected customer fields not approved: Shopify answers null + ACCESS_DENIED for them.
        if (!spec.documentWithoutPii || document === spec.documentWithoutPii || !onlyAccessDenied(error)) throw error;
        await recordAccessGap(deps.prisma, shop, "protected_customer_data", true);
        document = spec.documentWithoutPii;
        continue;
      }
      const page: Page = data[spec.connection];
      const records = await spec.toRecords(deps.client, page.nodes);
      processed += page.nodes.length;
      const linesProcessed = processed;
      await deps.prisma.$transaction(async (tx) => {
        const { written } = await SPECS[resource].upsert(tx as PrismaClient, shop, records);
        await checkpointSyncRun(tx, shop, run.id, {
          linesProcessed,
          rowsUpserted: written,
          // An empty pass keeps the previous watermark so the next pass starts from the same point.
          watermark: maxUpdated(records) ?? since,
        });
      }, BATCH_TX_OPTIONS);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    if (processed === 0 && since) {
      await checkpointSyncRun(deps.prisma, shop, run.id, { linesProcessed: 0, rowsUpserted: 0, watermark: since });
    }
    await finishSyncRun(deps.prisma, shop, run.id, { status: "COMPLETED", finishedAt: now(deps) });
    const done = (await getSyncRun(deps.prisma, shop, run.id))!;
    return { resource, runId: run.id, status: "COMPLETED", linesProcessed: done.linesProcessed, rowsUpserted: done.rowsUpserted, error: null };
  } catch (error) {
    return fail(deps, shop, run, resource, error);
  }
}

/** Every GraphQL error is an ACCESS_DENIED (a redacted field), nothing else went wrong. */
function onlyAccessDenied(error: unknown): boolean {
  return error instanceof ShopifyGraphqlError && error.errors.length > 0 && error.errors.every((e) => e.code === "ACCESS_DENIED");
}

export { BulkOperationFailedError, TruncatedBulkFileError };
