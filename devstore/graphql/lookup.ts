/**
 * GID → record lookup for `node`/`nodes`, mutation targets and references. Records of one shop
 * are never visible from another shop, as with Shopify's per-shop API.
 */
import type { DsShop, DsMetafield } from "../model.js";
import { gidType } from "../shop.js";

/** Records whose GID type differs from their schema type name. */
const TYPE_ALIASES: Record<string, string> = {
  DiscountCodeNode: "DiscountCodeNode",
};

export function findNode(shop: DsShop, gid: string): unknown {
  const type = gidType(gid);
  switch (type) {
    case "Product":
      return shop.products.get(gid) ?? null;
    case "ProductVariant":
      return shop.variants.get(gid) ?? null;
    case "Customer":
      return shop.customers.get(gid) ?? null;
    case "Order":
      return shop.orders.get(gid) ?? null;
    case "DiscountCodeNode":
      return shop.discounts.get(gid) ?? null;
    case "DiscountRedeemCode":
      return shop.discountCodes.get(gid) ?? null;
    case "BulkOperation":
      return shop.bulkOperations.get(gid) ?? null;
    case "WebhookSubscription":
      return shop.webhooks.get(gid) ?? null;
    case "InventoryItem":
      for (const v of shop.variants.values()) {
        if (v.inventoryItemId === gid) return { __typename: "InventoryItem", id: gid, __variant: v };
      }
      return null;
    case "Shop":
      return { __typename: "Shop" };
    default:
      return null;
  }
}

/** Schema type name of a record, from `__typename` or its GID. */
export function typeNameOf(value: unknown): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  const v = value as { __typename?: string; id?: unknown };
  if (v.__typename) return v.__typename;
  if (typeof v.id === "string") {
    const t = gidType(v.id);
    return t ? (TYPE_ALIASES[t] ?? t) : undefined;
  }
  return undefined;
}

/** Records that carry metafields (HasMetafields owners the stand-in models). */
export function metafieldOwner(shop: DsShop, gid: string): { metafields: DsMetafield[]; updatedAt?: string } | null {
  const type = gidType(gid);
  if (type === "Product") return shop.products.get(gid) ?? null;
  if (type === "Customer") return shop.customers.get(gid) ?? null;
  return null;
}

/** Records that carry tags (TagsAdd targets the stand-in models). */
export function taggable(shop: DsShop, gid: string): { tags?: string[]; updatedAt: string } | null {
  const type = gidType(gid);
  if (type === "Product") return shop.products.get(gid) ?? null;
  if (type === "Customer") return shop.customers.get(gid) ?? null;
  if (type === "Order") return shop.orders.get(gid) ?? null;
  return null;
}
