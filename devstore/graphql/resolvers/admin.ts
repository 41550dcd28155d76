/**
 * Resolvers for discounts, bulk operations and webhook subscriptions — the records an app writes
 * rather than syncs.
 */
import type { DsBulkOperation, DsDiscount, DsDiscountCode, DsWebhookSubscription } from "../../model.js";
import { gidNumber } from "../../shop.js";
import { API_VERSION } from "../../schema.js";
import type { GraphqlContext } from "../../runtime.js";
import { money } from "../money.js";
import { subConnection } from "./records.js";
import type { ResolverMap } from "./types.js";

/** Discount status as Shopify derives it from the active period at read time. */
export function discountStatus(d: DsDiscount, now: number): DsDiscount["status"] {
  if (d.status === "EXPIRED") return "EXPIRED";
  if (Date.parse(d.startsAt) > now) return "SCHEDULED";
  if (d.endsAt && Date.parse(d.endsAt) <= now) return "EXPIRED";
  return "ACTIVE";
}

function codesOf(ctx: GraphqlContext, d: DsDiscount): DsDiscountCode[] {
  return d.codeIds.map((id) => ctx.shop.discountCodes.get(id)).filter((c): c is DsDiscountCode => !!c);
}

/** The `codeDiscount` union member for a DsDiscount. */
function codeDiscountView(d: DsDiscount) {
  return { __typename: d.kind === "BASIC" ? "DiscountCodeBasic" : "DiscountCodeBxgy", __discount: d };
}

type View = { __discount: DsDiscount };

const discountFields = {
  title: (v: View) => v.__discount.title,
  status: (v: View, _a: unknown, ctx: GraphqlContext) => discountStatus(v.__discount, ctx.runtime.clock()),
  startsAt: (v: View) => v.__discount.startsAt,
  endsAt: (v: View) => v.__discount.endsAt,
  createdAt: (v: View) => v.__discount.createdAt,
  updatedAt: (v: View) => v.__discount.updatedAt,
  usageLimit: (v: View) => v.__discount.usageLimit,
  appliesOncePerCustomer: (v: View) => v.__discount.appliesOncePerCustomer,
  asyncUsageCount: (v: View, _a: unknown, ctx: GraphqlContext) =>
    codesOf(ctx, v.__discount).reduce((s, c) => s + c.usageCount, 0),
  codes: (v: View, args: Record<string, unknown>, ctx: GraphqlContext) =>
    subConnection(ctx, codesOf(ctx, v.__discount), args, (c) => c.id),
  codesCount: (v: View) => ({ count: v.__discount.codeIds.length, precision: "EXACT" }),
  combinesWith: (v: View) => ({ ...v.__discount.combinesWith, productDiscountsWithTagsOnSameCartLine: null }),
  customerSelection: (v: View, _a: unknown, ctx: GraphqlContext) =>
    v.__discount.customerIds.length
      ? {
          __typename: "DiscountCustomers",
          customers: v.__discount.customerIds.map((id) => ctx.shop.customers.get(id)).filter(Boolean),
        }
      : { __typename: "DiscountCustomerAll", allCustomers: true },
  context: (v: View, _a: unknown, ctx: GraphqlContext) =>
    v.__discount.customerIds.length
      ? {
          __typename: "DiscountCustomers",
          customers: v.__discount.customerIds.map((id) => ctx.shop.customers.get(id)).filter(Boolean),
        }
      : { __typename: "DiscountBuyerSelectionAll", all: "ALL" },
  customerGets: (v: View, _a: unknown, ctx: GraphqlContext) => ({
    appliesOnOneTimePurchase: true,
    appliesOnSubscription: false,
    items: { __typename: "AllDiscountItems", allItems: true },
    value:
      "percentage" in v.__discount.value
        ? { __typename: "DiscountPercentage", percentage: v.__discount.value.percentage }
        : {
            __typename: "DiscountAmount",
            amount: money(v.__discount.value.amount, ctx.shop.currencyCode),
            appliesOnEachItem: false,
          },
  }),
  summary: (v: View) => summarize(v.__discount),
  shortSummary: (v: View) => summarize(v.__discount),
  discountClass: () => "ORDER",
  discountClasses: () => ["ORDER"],
  tags: () => [],
};

function summarize(d: DsDiscount): string {
  const value = "percentage" in d.value ? `${Math.round(d.value.percentage * 100)}% off` : `${d.value.amount} off`;
  return d.kind === "BASIC" ? `${value} entire order` : `Buy items, get ${value}`;
}

export const ADMIN_RESOLVERS: ResolverMap = {
  DiscountCodeNode: {
    codeDiscount: (d: DsDiscount) => codeDiscountView(d),
    metafield: () => null,
  },
  DiscountCodeBasic: discountFields,
  DiscountCodeBxgy: { ...discountFields, usesPerOrderLimit: () => null },
  DiscountRedeemCode: {
    asyncUsageCount: (c: DsDiscountCode) => c.usageCount,
  },
  BulkOperation: {
    objectCount: (b: DsBulkOperation) => String(b.objectCount),
    rootObjectCount: (b: DsBulkOperation) => String(b.rootObjectCount),
    fileSize: (b: DsBulkOperation) => (b.fileSize === null ? null : String(b.fileSize)),
  },
  WebhookSubscription: {
    uri: (w: DsWebhookSubscription) => w.callbackUrl,
    updatedAt: (w: DsWebhookSubscription) => w.createdAt,
    format: () => "JSON",
    includeFields: () => [],
    metafieldNamespaces: () => [],
    metafields: () => [],
    filter: () => null,
    name: () => null,
    legacyResourceId: (w: DsWebhookSubscription) => String(gidNumber(w.id)),
    apiVersion: () => ({ handle: API_VERSION, displayName: API_VERSION, supported: true }),
    endpoint: (w: DsWebhookSubscription) => ({ __typename: "WebhookHttpEndpoint", callbackUrl: w.callbackUrl }),
  },
};
