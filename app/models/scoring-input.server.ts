import { netOrderMinor } from "../analytics/money";
import type { Order, ProductInfo } from "../analytics/types";
import type { Db } from "./db-types.server";

/**
 * Read model for the analytics engine: a shop's completed orders and catalogue in the engine's
 * plain shapes. Products are keyed by product GID (recommendations are per product, and that is
 * what storefront metafields reference); a line without a product falls back to its SKU or name.
 */

/**
 * Orders created before `before`, excluding cancelled/voided ones and fully refunded lines; order
 * value net of refunds (app/analytics/money.ts — the offline scorer uses the same definition).
 */
export async function listOrdersForScoring(prisma: Db, shop: string, before: Date): Promise<Order[]> {
  return scoringOrders(prisma, shop, before);
}

/**
 * One customer's orders as the scoring run sees them (same filter and mapping): what a
 * one-customer rescore and the customer page's facts are computed from, so neither can count an
 * order the models did not (D36).
 */
export async function listCustomerOrdersForScoring(
  prisma: Db,
  shop: string,
  customerGid: string,
  before: Date,
): Promise<Order[]> {
  return scoringOrders(prisma, shop, before, customerGid);
}

async function scoringOrders(prisma: Db, shop: string, before: Date, customerGid?: string): Promise<Order[]> {
  const rows = await prisma.order.findMany({
    where: {
      shop,
      shopifyCreated: { lt: before },
      cancelledAt: null,
      financialStatus: { notIn: ["VOIDED"] },
      customerGid: customerGid ?? { not: null },
    },
    select: {
      gid: true,
      customerGid: true,
      shopifyCreated: true,
      totalMinor: true,
      refundedMinor: true,
      lines: {
        select: { productGid: true, sku: true, name: true, quantity: true, refundedQty: true, totalMinor: true },
      },
    },
    orderBy: { shopifyCreated: "asc" },
  });
  const orders: Order[] = [];
  for (const row of rows) {
    const lines = row.lines
      .filter((l) => l.quantity - l.refundedQty > 0)
      .map((l) => ({
        sku: l.productGid ?? l.sku ?? l.name,
        quantity: l.quantity - l.refundedQty,
        amountMinor: l.totalMinor,
      }));
    if (lines.length === 0) continue;
    orders.push({
      id: row.gid,
      customer: row.customerGid!,
      at: row.shopifyCreated.getTime(),
      lines,
      totalMinor: netOrderMinor(row.totalMinor, row.refundedMinor),
    });
  }
  return orders;
}

/** The catalogue as the engine's filters and content model see it (one entry per product). */
export async function listProductsForScoring(prisma: Db, shop: string): Promise<ProductInfo[]> {
  const products = await prisma.product.findMany({
    where: { shop, deletedAt: null },
    include: { variants: { select: { priceMinor: true, costMinor: true, inventoryQty: true, inventoryPolicy: true } } },
  });
  return products.map((p) => {
    const prices = p.variants.map((v) => v.priceMinor);
    const cheapest = p.variants.reduce<(typeof p.variants)[number] | undefined>(
      (best, v) => (!best || v.priceMinor < best.priceMinor ? v : best),
      undefined,
    );
    return {
      sku: p.gid,
      title: p.title,
      productType: p.productType,
      vendor: p.vendor,
      tags: p.tags,
      collections: p.collections,
      priceMinor: prices.length ? Math.max(...prices) : 0,
      costMinor: cheapest?.costMinor ?? null,
      inventory: p.variants.reduce((sum, v) => sum + Math.max(0, v.inventoryQty), 0),
      continueSelling: p.variants.some((v) => v.inventoryPolicy === "CONTINUE"),
      status: p.status as ProductInfo["status"],
      published: p.publishedAt !== null,
      giftCard: p.isGiftCard,
    };
  });
}
