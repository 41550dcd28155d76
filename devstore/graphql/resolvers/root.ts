/** QueryRoot: entry points into one shop's records. */
import type { GraphQLResolveInfo } from "graphql";
import type { DsBulkOperation, DsOrder } from "../../model.js";
import type { GraphqlContext } from "../../runtime.js";
import { paginate } from "../connection.js";
import { findNode } from "../lookup.js";
import { listConnection, ROOT_LIST_FIELDS, visibleOrders, type ListArgs } from "./lists.js";
import { typeNameOf } from "../lookup.js";
import type { Resolver, ResolverMap } from "./types.js";

/**
 * A root list field. During a bulk query the runner hands each page of root records in through
 * `ctx.bulk.rootItems` (already filtered and sorted), so the list is walked once, not per page.
 */
function rootList(field: string): Resolver {
  return (_root, args: ListArgs, ctx: GraphqlContext, info: GraphQLResolveInfo) => {
    if (ctx.bulk && info.path.prev === undefined) {
      return paginate(
        ctx.bulk.rootItems as { id: string }[],
        {},
        (r) => r.id,
        () => 0,
        true,
      );
    }
    return listConnection(ctx.shop, field, args, Boolean(ctx.bulk), ctx.runtime);
  };
}

function byId(
  kind: "products" | "customers" | "orders" | "discounts" | "bulkOperations" | "webhooks" | "variants",
): Resolver {
  return (_root, args: { id: string }, ctx: GraphqlContext) => visibleNode(ctx, ctx.shop[kind].get(args.id) ?? null);
}

/** An order outside the app's 60-day window is as absent as an unknown id (devstore/access.ts). */
function visibleNode(ctx: GraphqlContext, node: unknown): unknown {
  if (node && typeof node === "object" && typeNameOf(node) === "Order")
    return visibleOrders(ctx.runtime, [node as DsOrder])[0] ?? null;
  return node;
}

/** Latest bulk operation of a type, as Shopify's `currentBulkOperation` (one per type per app). */
function currentBulkOperation(ctx: GraphqlContext, type: "QUERY" | "MUTATION"): DsBulkOperation | null {
  let latest: DsBulkOperation | null = null;
  for (const op of ctx.shop.bulkOperations.values()) if (op.type === type) latest = op;
  return latest ? ctx.runtime.bulk.observe(ctx.shop, latest) : null;
}

const listResolvers: Record<string, Resolver> = Object.fromEntries(ROOT_LIST_FIELDS.map((f) => [f, rootList(f)]));

export const ROOT_RESOLVERS: ResolverMap = {
  QueryRoot: {
    ...listResolvers,
    shop: () => ({ __typename: "Shop" }),
    // The granted scopes, as Shopify lists them (https://shopify.dev/docs/api/admin-graphql/latest/objects/AppInstallation).
    currentAppInstallation: (_r, _a, ctx: GraphqlContext) => ({
      __typename: "AppInstallation",
      id: "gid://shopify/AppInstallation/1",
      accessScopes: ctx.runtime.access.scopes
        .split(",")
        .map((handle) => handle.trim())
        .filter(Boolean)
        .map((handle) => ({ handle, description: handle })),
    }),
    product: byId("products"),
    productVariant: byId("variants"),
    customer: byId("customers"),
    order: byId("orders"),
    codeDiscountNode: byId("discounts"),
    webhookSubscription: byId("webhooks"),
    codeDiscountNodeByCode: (_r, args: { code: string }, ctx: GraphqlContext) => {
      const wanted = args.code.toLowerCase();
      for (const c of ctx.shop.discountCodes.values()) {
        if (c.code.toLowerCase() === wanted) return ctx.shop.discounts.get(c.discountId) ?? null;
      }
      return null;
    },
    bulkOperation: (_r, args: { id: string }, ctx: GraphqlContext) => {
      const op = ctx.shop.bulkOperations.get(args.id);
      return op ? ctx.runtime.bulk.observe(ctx.shop, op) : null;
    },
    currentBulkOperation: (_r, args: { type?: "QUERY" | "MUTATION" }, ctx: GraphqlContext) =>
      currentBulkOperation(ctx, args.type ?? "QUERY"),
    node: (_r, args: { id: string }, ctx: GraphqlContext) =>
      observeIfBulk(ctx, visibleNode(ctx, findNode(ctx.shop, args.id))),
    nodes: (_r, args: { ids: string[] }, ctx: GraphqlContext) =>
      args.ids.map((id) => observeIfBulk(ctx, visibleNode(ctx, findNode(ctx.shop, id)))),
    discountRedeemCodeBulkCreation: (_r, args: { id: string }, ctx: GraphqlContext) =>
      bulkCreations(ctx).get(args.id) ?? null,
  },
};

function observeIfBulk(ctx: GraphqlContext, node: unknown): unknown {
  if (node && typeof node === "object" && "type" in node && "status" in node && "rootObjectCount" in node) {
    return ctx.runtime.bulk.observe(ctx.shop, node as DsBulkOperation);
  }
  return node;
}

/** Redeem-code bulk creations are kept off the model, per shop, in a side table. */
const creationsByShop = new WeakMap<object, Map<string, unknown>>();

export function bulkCreations(ctx: GraphqlContext): Map<string, unknown> {
  let m = creationsByShop.get(ctx.shop);
  if (!m) {
    m = new Map();
    creationsByShop.set(ctx.shop, m);
  }
  return m;
}
