import type { Prisma } from "@prisma/client";
import type { Db } from "./db-types.server";

/**
 * Order reads for recommendation-click attribution (services/storefront/attribution.server.ts):
 * orders with their note attributes and line properties, where the storefront blocks leave their
 * `_gp_rec` marker. Split out of recommendations.server.ts, which owns the Recommendation table.
 */

export interface AttributionOrder {
  gid: string;
  currencyCode: string;
  createdAt: Date;
  attributes: { key: string; value: string }[];
  lines: {
    gid: string;
    productGid: string | null;
    quantity: number;
    refundedQty: number;
    totalMinor: number;
    properties: { key: string; value: string }[];
  }[];
}

/** Non-cancelled orders created in [from, to) with their lines, for recommendation attribution. */
export async function findOrdersForAttribution(
  db: Db,
  shop: string,
  range: { from: Date; to: Date },
): Promise<AttributionOrder[]> {
  const orders = await db.order.findMany({
    where: { shop, cancelledAt: null, shopifyCreated: { gte: range.from, lt: range.to } },
    select: {
      gid: true,
      currencyCode: true,
      shopifyCreated: true,
      attributes: true,
      lines: {
        select: { gid: true, productGid: true, quantity: true, refundedQty: true, totalMinor: true, properties: true },
      },
    },
    orderBy: { shopifyCreated: "asc" },
  });
  return orders.map((o) => ({
    gid: o.gid,
    currencyCode: o.currencyCode,
    createdAt: o.shopifyCreated,
    attributes: keyValues(o.attributes),
    lines: o.lines.map((l) => ({ ...l, properties: keyValues(l.properties) })),
  }));
}

/** Shopify sends attributes/properties as [{key|name, value}]; tolerate both spellings. */
function keyValues(json: Prisma.JsonValue): { key: string; value: string }[] {
  if (!Array.isArray(json)) return [];
  const out: { key: string; value: string }[] = [];
  for (const entry of json) {
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) continue;
    const e = entry as Record<string, unknown>;
    const key = typeof e.key === "string" ? e.key : typeof e.name === "string" ? e.name : null;
    if (key === null) continue;
    out.push({ key, value: e.value == null ? "" : String(e.value) });
  }
  return out;
}
