/**
 * Constructors shared by the stand-in, its tests and the seeded data generator.
 * Keeping shop creation in one place means every DsShop has the same empty collections and id
 * counter, whichever tool made it.
 */
import type { DsShop } from "./model.js";

export interface CreateShopOptions {
  name?: string;
  currencyCode?: string;
  ianaTimezone?: string;
}

/** A shop with no records. The access-token set is empty: tokens come from token exchange or tests. */
export function createEmptyShop(domain: string, opts: CreateShopOptions = {}): DsShop {
  return {
    domain,
    name: opts.name ?? domain.replace(/\.myshopify\.com$/, ""),
    currencyCode: opts.currencyCode ?? "USD",
    ianaTimezone: opts.ianaTimezone ?? "UTC",
    accessTokens: new Set(),
    products: new Map(),
    variants: new Map(),
    customers: new Map(),
    orders: new Map(),
    discounts: new Map(),
    discountCodes: new Map(),
    webhooks: new Map(),
    bulkOperations: new Map(),
    nextId: 1,
  };
}

/**
 * Mints the next GID for `type` (e.g. "Product" → gid://shopify/Product/42). One counter per shop
 * for all types: numeric ids are unique across types, which keeps REST ids in webhooks unambiguous,
 * and ids ascend in creation order, which Shopify's ID sort relies on.
 */
export function mintGid(shop: DsShop, type: string): string {
  const n = shop.nextId++;
  return `gid://shopify/${type}/${n}`;
}

/** Numeric tail of a GID ("gid://shopify/Order/7" → 7); NaN when it is not a Shopify GID. */
export function gidNumber(gid: string): number {
  const m = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(gid);
  return m ? Number(m[1]) : Number.NaN;
}

/** Type segment of a GID ("gid://shopify/Order/7" → "Order"); null when malformed. */
export function gidType(gid: string): string | null {
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/\d+/.exec(gid);
  return m ? m[1] : null;
}
