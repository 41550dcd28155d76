/**
 * Field resolvers that map the stand-in's records onto Admin schema types. Fields whose record
 * property already has the schema's name and shape need no entry: the executor reads them
 * directly. Entries here cover renamed fields, references (GID → record), MoneyBag/MoneyV2 views
 * and nested connections.
 */
import { createHash } from "node:crypto";
import { slugify } from "../../../app/analytics/slug";
import type {
  DsCustomer,
  DsLineItem,
  DsMetafield,
  DsOrder,
  DsProduct,
  DsRefund,
  DsShop,
  DsVariant,
} from "../../model.js";
import { gidNumber, gidType } from "../../shop.js";
import type { GraphqlContext } from "../../runtime.js";
import { paginate, timeValue, type ConnectionArgs } from "../connection.js";
import { money, moneyBag } from "../money.js";
import { findNode } from "../lookup.js";
import { memo, type ResolverMap } from "./types.js";
import { visibleOrders } from "./lists.js";

/** A metafield as resolved under its owner (the owner is needed for `owner`/`ownerType`). */
export interface MetafieldView extends DsMetafield {
  __ownerId: string;
}

/** Connection over any list of records with GIDs, honouring bulk mode (no page limits). */
export function subConnection<T>(ctx: GraphqlContext, items: T[], args: ConnectionArgs, idOf: (item: T) => string) {
  return paginate(items, { ...args, sortKey: null }, idOf, undefined, Boolean(ctx.bulk));
}

function metafieldViews(ownerId: string, metafields: DsMetafield[]): MetafieldView[] {
  return metafields.map((m) => ({ ...m, __ownerId: ownerId }));
}

/**
 * `metafield(namespace:, key:)`; Shopify resolves an omitted namespace to the calling app's
 * reserved namespace, which the stand-in spells "$app".
 */
function findMetafield(
  owner: { id: string; metafields: DsMetafield[] },
  args: { namespace?: string | null; key: string },
) {
  const namespace = args.namespace ?? "$app";
  const found = owner.metafields.find((m) => m.namespace === namespace && m.key === args.key);
  return found ? { ...found, __ownerId: owner.id } : null;
}

function metafieldsConnection(
  ctx: GraphqlContext,
  owner: { id: string; metafields: DsMetafield[] },
  args: ConnectionArgs & { namespace?: string | null; keys?: string[] | null },
) {
  const list = metafieldViews(owner.id, owner.metafields).filter(
    (m) =>
      (!args.namespace || m.namespace === args.namespace) &&
      (!args.keys || args.keys.includes(`${m.namespace}.${m.key}`)),
  );
  return subConnection(ctx, list, args, (m) => m.id);
}

const hasMetafields = {
  metafield: (owner: { id: string; metafields: DsMetafield[] }, args: { namespace?: string | null; key: string }) =>
    findMetafield(owner, args),
  metafields: (owner: { id: string; metafields: DsMetafield[] }, args: ConnectionArgs, ctx: GraphqlContext) =>
    metafieldsConnection(ctx, owner, args),
};

/** Collections are labels in the model; give each a stable synthetic GID derived from its title. */
function collectionView(title: string) {
  const n = parseInt(createHash("sha1").update(title).digest("hex").slice(0, 8), 16);
  const handle = slugify(title);
  return { id: `gid://shopify/Collection/${n}`, title, handle };
}

/** Per-request customer → (order count, amount spent) index, built in one pass over orders. */
function customerTotals(ctx: GraphqlContext): Map<string, { count: number; spent: number }> {
  return memo(ctx, "customerTotals", () => {
    const totals = new Map<string, { count: number; spent: number }>();
    for (const o of ctx.shop.orders.values()) {
      if (!o.customerId) continue;
      const t = totals.get(o.customerId) ?? { count: 0, spent: 0 };
      t.count += 1;
      if (!o.cancelledAt) t.spent += Number(o.total) - o.refunds.reduce((s, r) => s + Number(r.totalRefunded), 0);
      totals.set(o.customerId, t);
    }
    return totals;
  });
}

function onlineStoreUrl(shop: DsShop, p: DsProduct): string | null {
  return p.status === "ACTIVE" && p.publishedAt ? `https://${shop.domain}/products/${p.handle}` : null;
}

interface RefundView extends DsRefund {
  __order: DsOrder;
}

interface LineItemView extends DsLineItem {
  __currency?: string;
  /** Units of this line refunded across the order's refunds (Shopify's currentQuantity excludes them). */
  __refunded?: number;
}

function lineItemViews(order: DsOrder): LineItemView[] {
  const refunded = new Map<string, number>();
  for (const r of order.refunds)
    for (const rl of r.lines) refunded.set(rl.lineItemId, (refunded.get(rl.lineItemId) ?? 0) + rl.quantity);
  return order.lineItems.map((l) => ({ ...l, __currency: order.currencyCode, __refunded: refunded.get(l.id) ?? 0 }));
}

export const RECORD_RESOLVERS: ResolverMap = {
  Shop: {
    id: () => "gid://shopify/Shop/1",
    name: (_s, _a, ctx) => ctx.shop.name,
    myshopifyDomain: (_s, _a, ctx) => ctx.shop.domain,
    currencyCode: (_s, _a, ctx) => ctx.shop.currencyCode,
    ianaTimezone: (_s, _a, ctx) => ctx.shop.ianaTimezone,
    email: (_s, _a, ctx) => `owner@${ctx.shop.domain}`,
    contactEmail: (_s, _a, ctx) => `owner@${ctx.shop.domain}`,
    url: (_s, _a, ctx) => `https://${ctx.shop.domain}`,
    primaryDomain: (_s, _a, ctx) => ({
      id: "gid://shopify/Domain/1",
      host: ctx.shop.domain,
      url: `https://${ctx.shop.domain}`,
      sslEnabled: true,
    }),
    enabledPresentmentCurrencies: (_s, _a, ctx) => [ctx.shop.currencyCode],
    plan: () => ({
      displayName: "Development",
      partnerDevelopment: true,
      shopifyPlus: false,
      publicDisplayName: "Development",
    }),
    metafield: () => null,
  },
  Product: {
    ...hasMetafields,
    descriptionHtml: (p: DsProduct) => p.descriptionHtml,
    description: (p: DsProduct) => p.descriptionHtml.replace(/<[^>]*>/g, ""),
    legacyResourceId: (p: DsProduct) => String(gidNumber(p.id)),
    onlineStoreUrl: (p: DsProduct, _a, ctx) => onlineStoreUrl(ctx.shop, p),
    totalInventory: (p: DsProduct, _a, ctx) =>
      p.variantIds.reduce((sum, id) => sum + (ctx.shop.variants.get(id)?.inventoryQuantity ?? 0), 0),
    variants: (p: DsProduct, args, ctx) =>
      subConnection(
        ctx,
        p.variantIds.map((id) => ctx.shop.variants.get(id)).filter((v): v is DsVariant => !!v),
        args,
        (v) => v.id,
      ),
    collections: (p: DsProduct, args, ctx) => subConnection(ctx, p.collections.map(collectionView), args, (c) => c.id),
    hasOnlyDefaultVariant: (p: DsProduct) => p.variantIds.length === 1,
    variantsCount: (p: DsProduct) => ({ count: p.variantIds.length, precision: "EXACT" }),
  },
  ProductVariant: {
    ...hasMetafields,
    metafields: (_v, args, ctx) => subConnection(ctx, [] as { id: string }[], args, (m) => m.id),
    metafield: () => null,
    legacyResourceId: (v: DsVariant) => String(gidNumber(v.id)),
    product: (v: DsVariant, _a, ctx) => ctx.shop.products.get(v.productId) ?? null,
    displayName: (v: DsVariant, _a, ctx) => `${ctx.shop.products.get(v.productId)?.title ?? ""} - ${v.title}`,
    inventoryItem: (v: DsVariant) => ({ __typename: "InventoryItem", id: v.inventoryItemId, __variant: v }),
    availableForSale: (v: DsVariant) => v.inventoryPolicy === "CONTINUE" || v.inventoryQuantity > 0,
  },
  InventoryItem: {
    unitCost: (i: { __variant: DsVariant }) => i.__variant.unitCost,
    sku: (i: { __variant: DsVariant }) => i.__variant.sku,
    tracked: () => true,
    legacyResourceId: (i: { id: string }) => String(gidNumber(i.id)),
    variant: (i: { __variant: DsVariant }) => i.__variant,
  },
  Customer: {
    ...hasMetafields,
    legacyResourceId: (c: DsCustomer) => String(gidNumber(c.id)),
    displayName: (c: DsCustomer) => [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || "",
    emailMarketingConsent: (c: DsCustomer) => ({
      marketingState: c.marketingState,
      marketingOptInLevel: null,
      consentUpdatedAt: null,
    }),
    numberOfOrders: (c: DsCustomer, _a, ctx) => String(customerTotals(ctx).get(c.id)?.count ?? 0),
    amountSpent: (c: DsCustomer, _a, ctx) =>
      money((customerTotals(ctx).get(c.id)?.spent ?? 0).toFixed(2), ctx.shop.currencyCode),
    orders: (c: DsCustomer, args, ctx) =>
      subConnection(
        ctx,
        visibleOrders(ctx.runtime, ctx.shop.orders.values()).filter((o) => o.customerId === c.id),
        args,
        (o) => o.id,
      ),
    defaultEmailAddress: (c: DsCustomer) =>
      c.email ? { emailAddress: c.email, marketingState: c.marketingState, marketingOptInLevel: null } : null,
    state: () => "ENABLED",
  },
  Order: {
    legacyResourceId: (o: DsOrder) => String(gidNumber(o.id)),
    customer: (o: DsOrder, _a, ctx) => (o.customerId ? (ctx.shop.customers.get(o.customerId) ?? null) : null),
    displayFinancialStatus: (o: DsOrder) => o.financialStatus,
    subtotalPriceSet: (o: DsOrder) => moneyBag(o.subtotal, o.currencyCode),
    currentSubtotalPriceSet: (o: DsOrder) => moneyBag(o.subtotal, o.currencyCode),
    totalPriceSet: (o: DsOrder) => moneyBag(o.total, o.currencyCode),
    currentTotalPriceSet: (o: DsOrder) => moneyBag(o.total, o.currencyCode),
    totalDiscountsSet: (o: DsOrder) => moneyBag(o.totalDiscounts, o.currencyCode),
    currentTotalDiscountsSet: (o: DsOrder) => moneyBag(o.totalDiscounts, o.currencyCode),
    totalShippingPriceSet: (o: DsOrder) => moneyBag(o.totalShipping, o.currencyCode),
    totalTaxSet: (o: DsOrder) => moneyBag(o.totalTax, o.currencyCode),
    totalRefundedSet: (o: DsOrder) =>
      moneyBag(o.refunds.reduce((s, r) => s + Number(r.totalRefunded), 0).toFixed(2), o.currencyCode),
    discountCode: (o: DsOrder) => o.discountCodes[0] ?? null,
    tags: (o: DsOrder) => o.tags ?? [],
    cancelled: (o: DsOrder) => o.cancelledAt !== null,
    test: () => false,
    lineItems: (o: DsOrder, args, ctx) => subConnection(ctx, lineItemViews(o), args, (l) => l.id),
    refunds: (o: DsOrder, args: { first?: number | null }) => {
      const views: RefundView[] = o.refunds.map((r) => ({ ...r, __order: o }));
      return args.first != null ? views.slice(0, args.first) : views;
    },
    metafield: () => null,
  },
  LineItem: {
    variant: (l: DsLineItem, _a, ctx) => (l.variantId ? (ctx.shop.variants.get(l.variantId) ?? null) : null),
    product: (l: DsLineItem, _a, ctx) => (l.productId ? (ctx.shop.products.get(l.productId) ?? null) : null),
    originalUnitPriceSet: (l: LineItemView, _a, ctx) =>
      moneyBag(l.originalUnitPrice, l.__currency ?? ctx.shop.currencyCode),
    discountedUnitPriceSet: (l: LineItemView, _a, ctx) =>
      moneyBag((Number(l.discountedTotal) / Math.max(1, l.quantity)).toFixed(2), l.__currency ?? ctx.shop.currencyCode),
    originalTotalSet: (l: LineItemView, _a, ctx) =>
      moneyBag((Number(l.originalUnitPrice) * l.quantity).toFixed(2), l.__currency ?? ctx.shop.currencyCode),
    discountedTotalSet: (l: LineItemView, _a, ctx) =>
      moneyBag(l.discountedTotal, l.__currency ?? ctx.shop.currencyCode),
    currentQuantity: (l: LineItemView) => Math.max(0, l.quantity - (l.__refunded ?? 0)),
    title: (l: DsLineItem) => l.name,
    variantTitle: (l: DsLineItem, _a, ctx) =>
      l.variantId ? (ctx.shop.variants.get(l.variantId)?.title ?? null) : null,
    vendor: (l: DsLineItem, _a, ctx) => (l.productId ? (ctx.shop.products.get(l.productId)?.vendor ?? null) : null),
  },
  Refund: {
    legacyResourceId: (r: RefundView) => String(gidNumber(r.id)),
    totalRefundedSet: (r: RefundView) => moneyBag(r.totalRefunded, r.__order.currencyCode),
    refundLineItems: (r: RefundView, args, ctx) =>
      subConnection(
        ctx,
        r.lines.map((line) => ({
          id: null,
          __key: line.lineItemId,
          quantity: line.quantity,
          lineItem: {
            ...r.__order.lineItems.find((l) => l.id === line.lineItemId),
            __currency: r.__order.currencyCode,
          },
          subtotalSet: moneyBag(line.subtotal, r.__order.currencyCode),
          priceSet: moneyBag(
            line.quantity ? (Number(line.subtotal) / line.quantity).toFixed(2) : "0.00",
            r.__order.currencyCode,
          ),
          restocked: false,
        })),
        args,
        (x) => x.__key,
      ),
  },
  Metafield: {
    owner: (m: MetafieldView, _a, ctx) => findNode(ctx.shop, m.__ownerId),
    ownerType: (m: MetafieldView) => (gidType(m.__ownerId) ?? "SHOP").replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase(),
    compareDigest: (m: MetafieldView) => createHash("sha256").update(`${m.updatedAt}:${m.value}`).digest("hex"),
    jsonValue: (m: MetafieldView) => {
      try {
        return JSON.parse(m.value);
      } catch {
        return m.value;
      }
    },
    legacyResourceId: (m: MetafieldView) => String(gidNumber(m.id)),
  },
  Collection: {
    legacyResourceId: (c: { id: string }) => String(gidNumber(c.id)),
  },
};

/** Sort helper reused by views that order by time. */
export const byCreatedAt = (a: { createdAt: string }, b: { createdAt: string }) =>
  timeValue(a.createdAt) - timeValue(b.createdAt);
