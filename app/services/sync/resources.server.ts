import type { PrismaClient } from "@prisma/client";
import type { StagedChild } from "~/models/bulk-staging.server";
import { addProductCollections, existingProductGids, upsertProducts, upsertVariants } from "~/models/catalog.server";
import { upsertCustomers } from "~/models/customers.server";
import { existingOrderGids, upsertOrderLines, upsertOrders } from "~/models/orders.server";
import type { SyncResource } from "~/models/sync-runs.server";
import {
  BULK_CUSTOMERS_QUERY,
  BULK_CUSTOMERS_WITHOUT_PII_QUERY,
  BULK_ORDERS_QUERY,
  BULK_ORDERS_WITHOUT_PII_QUERY,
  BULK_PRODUCTS_QUERY,
} from "~/shopify/documents/sync";
import { customerFromGraphql, type CustomerRecord } from "~/shopify/records/customers";
import { lineFromGraphql, orderFromGraphql, type OrderRecord } from "~/shopify/records/orders";
import { productFromGraphql, variantFromGraphql, type ProductRecord } from "~/shopify/records/products";
import { gidType } from "~/shopify/records/scalars";

/** Per resource: its bulk export, how a root line and its children become a record, and how records are stored. */

export type AnyRecord = ProductRecord | CustomerRecord | OrderRecord;

export interface ResourceSpec {
  bulkQuery: string;
  /** The same export without protected customer fields, run when `bulkQuery` ends ACCESS_DENIED. */
  bulkQueryWithoutPii?: string;
  /** Builds the record from a root line and its children lines. */
  assemble(root: Record<string, unknown>, children: Record<string, unknown>[]): AnyRecord;
  upsert(prisma: PrismaClient, shop: string, records: AnyRecord[]): Promise<{ written: number }>;
  /** Writes child lines onto parents already stored; returns how many had no stored parent. */
  attach(prisma: PrismaClient, shop: string, children: StagedChild[]): Promise<{ orphans: number }>;
}

export const SPECS: Record<SyncResource, ResourceSpec> = {
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
      const result = await upsertProducts(
        prisma,
        shop,
        products.map((p) => ({ ...p, collections: undefined })),
      );
      await addProductCollections(
        prisma,
        shop,
        products.flatMap((p) => (p.collections ?? []).map((title) => ({ productGid: p.gid, title }))),
      );
      return result;
    },
    async attach(prisma, shop, children) {
      const stored = await existingProductGids(prisma, shop, [...new Set(children.map((c) => c.parentGid))]);
      const placed = children.filter((c) => stored.has(c.parentGid));
      await upsertVariants(
        prisma,
        shop,
        placed
          .filter((c) => gidType(c.data.id) === "ProductVariant")
          .map((c) => variantFromGraphql(c.data, c.parentGid)),
      );
      await addProductCollections(
        prisma,
        shop,
        placed
          .filter((c) => gidType(c.data.id) === "Collection")
          .map((c) => ({ productGid: c.parentGid, title: String(c.data.title) })),
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
    assemble: (root, children) =>
      orderFromGraphql(
        root,
        children.filter((c) => gidType(c.id) === "LineItem"),
        false,
      ),
    upsert: (prisma, shop, records) => upsertOrders(prisma, shop, records as OrderRecord[]),
    async attach(prisma, shop, children) {
      const stored = await existingOrderGids(prisma, shop, [...new Set(children.map((c) => c.parentGid))]);
      const placed = children.filter((c) => stored.has(c.parentGid) && gidType(c.data.id) === "LineItem");
      await upsertOrderLines(
        prisma,
        shop,
        placed.map((c) => ({ ...lineFromGraphql(c.data), orderGid: c.parentGid })),
      );
      return { orphans: children.length - placed.length };
    },
  },
};

/** The newest Shopify `updatedAt` among records: the watermark reconcile continues from. */
export function maxUpdated(records: AnyRecord[]): Date | null {
  let max = "";
  for (const r of records) if (r.shopifyUpdated > max) max = r.shopifyUpdated;
  return max ? new Date(max) : null;
}
