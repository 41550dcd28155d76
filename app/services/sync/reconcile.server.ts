import type { PrismaClient } from "@prisma/client";
import { BATCH_TX_OPTIONS } from "~/models/db-types.server";
import { recordAccessGap } from "~/models/shops.server";
import {
  checkpointSyncRun,
  createSyncRun,
  finishSyncRun,
  getSyncRun,
  getWatermark,
  SYNC_RESOURCES,
  type SyncResource,
} from "~/models/sync-runs.server";
import type { AdminClient } from "~/shopify/admin-client.server";
import {
  ORDER_LINE_ITEMS_PAGE_QUERY,
  RECONCILE_CUSTOMERS_QUERY,
  RECONCILE_CUSTOMERS_WITHOUT_PII_QUERY,
  RECONCILE_ORDERS_QUERY,
  RECONCILE_ORDERS_WITHOUT_PII_QUERY,
  RECONCILE_PRODUCTS_QUERY,
} from "~/shopify/documents/sync";
import { ShopifyGraphqlError } from "~/shopify/errors.server";
import { customerFromGraphql } from "~/shopify/records/customers";
import { orderFromGraphql, type OrderRecord } from "~/shopify/records/orders";
import { productFromGraphql } from "~/shopify/records/products";
import { maxUpdated, SPECS, type AnyRecord } from "./resources.server";
import { fail, now, type ResourceSyncResult, type SyncDeps } from "./run-state.server";

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
        const collections = ((n.collections as { nodes: unknown[] } | undefined)?.nodes ?? []) as Record<
          string,
          unknown
        >[];
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
          const more = await client.request<{ order: { lineItems: Page } | null }>(ORDER_LINE_ITEMS_PAGE_QUERY, {
            id: n.id,
            after: info.endCursor,
          });
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

export async function reconcileResource(
  deps: SyncDeps,
  shop: string,
  resource: SyncResource,
): Promise<ResourceSyncResult> {
  const since = await getWatermark(deps.prisma, shop, resource);
  const run = await createSyncRun(deps.prisma, shop, {
    resource,
    kind: "RECONCILE",
    status: "IMPORTING",
    startedAt: now(deps),
  });
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
    return {
      resource,
      runId: run.id,
      status: "COMPLETED",
      linesProcessed: done.linesProcessed,
      rowsUpserted: done.rowsUpserted,
      error: null,
    };
  } catch (error) {
    return fail(deps, shop, run, resource, error);
  }
}

/** Every GraphQL error is an ACCESS_DENIED (a redacted field), nothing else went wrong. */
function onlyAccessDenied(error: unknown): boolean {
  return (
    error instanceof ShopifyGraphqlError &&
    error.errors.length > 0 &&
    error.errors.every((e) => e.code === "ACCESS_DENIED")
  );
}
