import { verifyAppProxyRequest } from "~/shopify/app-proxy.server";
import type { Db } from "~/models/db-types.server";
import {
  getAllRecommendations,
  getRecommendationsByKind,
  type RecommendationItem,
} from "~/models/recommendations.server";
import { findStorefrontProducts, type StorefrontProduct } from "~/models/storefront-products.server";

/**
 * Storefront recommendations for contexts Liquid cannot know (the cart drawer after an AJAX add):
 * the app proxy endpoint `GET /apps/growthpilot/recs?products=<id,id,…>&limit=<n>`.
 *
 * Candidates are the bought-together lists of the cart's products (scores summed, so an item that
 * completes several cart products ranks first), topped up with also-bought and — for a logged-in
 * customer — their for-you list. Then the docs/contracts.md §6 filters: nothing already in the cart, nothing
 * draft/unpublished/deleted/gift card/price 0, nothing out of stock unless the variant continues
 * selling.
 *
 * Speed: a buyer waits on this request, so nothing on the hot path touches the database. Each shop
 * has an in-memory index (its product lists + the storefront facts of its products) loaded once and
 * refreshed in the background every {@link CACHE_TTL_MS} (stale-while-revalidate); answers are
 * cached per shop × cart for the same time, and customers' for-you lists per customer. Lists change
 * once per scoring run; stock drift within a minute is re-checked by the block's script against
 * the storefront's live `/products/<handle>.js`.
 */

export const CACHE_TTL_MS = 60_000;
export const MAX_CART_PRODUCTS = 50;
export const DEFAULT_LIMIT = 4;
export const MAX_LIMIT = 12;

export interface ProxyProduct {
  /** Numeric product id (what Liquid and the AJAX API use). */
  id: number;
  handle: string;
  title: string;
  /** Numeric variant id to add to the cart. */
  variantId: number;
  /** Price in the shop currency's minor units (the script prefers the live, presentment price). */
  price: number;
  reason: string;
}

export interface CartRecommendations {
  products: ProxyProduct[];
}

/** Small TTL + LRU map (Map keeps insertion order; re-inserting on hit makes it LRU). */
export class TtlCache<V> {
  private readonly entries = new Map<string, { expires: number; value: V }>();
  constructor(
    private readonly maxEntries = 10_000,
    readonly ttlMs = CACHE_TTL_MS,
  ) {}

  get(key: string, now: number): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (hit.expires <= now) return undefined;
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: string, value: V, now: number) {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { expires: now + this.ttlMs, value });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  clear() {
    this.entries.clear();
  }
}

/** What one shop's storefront needs in memory. */
export interface ShopIndex {
  loadedAt: number;
  together: Map<string, RecommendationItem[]>;
  also: Map<string, RecommendationItem[]>;
  products: Map<string, StorefrontProduct>;
}

/** Loads a shop's index: two queries (lists, products). */
export async function loadShopIndex(db: Db, shop: string, now: number): Promise<ShopIndex> {
  const [lists, products] = await Promise.all([
    getAllRecommendations(db, shop, ["BOUGHT_TOGETHER", "ALSO_BOUGHT"]),
    findStorefrontProducts(db, shop, "all"),
  ]);
  return { loadedAt: now, together: lists.get("BOUGHT_TOGETHER")!, also: lists.get("ALSO_BOUGHT")!, products };
}

/**
 * The process-wide storefront caches: per-shop indexes (LRU over shops, stale-while-revalidate),
 * per-cart answers and per-customer for-you lists.
 */
export class StorefrontCache {
  readonly responses: TtlCache<string>;
  readonly forYou: TtlCache<RecommendationItem[] | null>;
  private readonly indexes = new Map<string, ShopIndex>();
  private readonly loading = new Map<string, Promise<ShopIndex>>();

  constructor(
    readonly options: {
      ttlMs?: number;
      maxShops?: number;
      responseTtlMs?: number;
      onError?: (error: unknown) => void;
    } = {},
  ) {
    this.responses = new TtlCache<string>(20_000, options.responseTtlMs ?? options.ttlMs ?? CACHE_TTL_MS);
    this.forYou = new TtlCache<RecommendationItem[] | null>(50_000, options.ttlMs ?? CACHE_TTL_MS);
  }

  private load(db: Db, shop: string, now: number): Promise<ShopIndex> {
    let pending = this.loading.get(shop);
    if (!pending) {
      pending = loadShopIndex(db, shop, now)
        .then((index) => {
          this.indexes.delete(shop);
          this.indexes.set(shop, index);
          while (this.indexes.size > (this.options.maxShops ?? 200))
            this.indexes.delete(this.indexes.keys().next().value!);
          return index;
        })
        .finally(() => this.loading.delete(shop));
      this.loading.set(shop, pending);
    }
    return pending;
  }

  /** The shop's index: loaded on first use, then refreshed in the background when stale. */
  async index(db: Db, shop: string, now: number): Promise<ShopIndex> {
    const current = this.indexes.get(shop);
    if (!current) return this.load(db, shop, now);
    if (now - current.loadedAt >= (this.options.ttlMs ?? CACHE_TTL_MS)) {
      // Serve the stale index; a failed refresh keeps it and is retried on a later request.
      this.load(db, shop, now).catch((error) => this.options.onError?.(error));
    }
    return current;
  }

  /** Drops everything known about a shop (e.g. right after a scoring run). */
  invalidate(shop: string) {
    this.indexes.delete(shop);
    this.responses.clear();
  }
}

const productGid = (id: string) => `gid://shopify/Product/${id}`;
const customerGid = (id: string) => `gid://shopify/Customer/${id}`;
const numericId = (gid: string) => Number(gid.slice(gid.lastIndexOf("/") + 1));

/** Ranks and filters candidates for a cart (pure: the index and lists are passed in). */
export function rankCart(
  index: ShopIndex,
  forYou: RecommendationItem[] | null | undefined,
  input: { productGids: string[]; limit: number },
): CartRecommendations {
  const inCart = new Set(input.productGids);
  const scores = new Map<string, { score: number; reason: string; tier: number }>();
  const add = (items: RecommendationItem[] | null | undefined, tier: number, reason: string) => {
    for (const item of items ?? []) {
      if (inCart.has(item.gid)) continue;
      const prev = scores.get(item.gid);
      if (prev && prev.tier < tier) continue;
      if (prev && prev.tier === tier) prev.score += item.score;
      else scores.set(item.gid, { score: item.score, reason, tier });
    }
  };
  for (const gid of input.productGids) add(index.together.get(gid), 0, "bought_together");
  for (const gid of input.productGids) add(index.also.get(gid), 1, "also_bought");
  add(forYou, 2, "for_you");

  const ranked = [...scores.entries()].sort(
    (a, b) => a[1].tier - b[1].tier || b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1),
  );
  const products: ProxyProduct[] = [];
  for (const [gid, meta] of ranked) {
    const p = index.products.get(gid);
    if (!p || !p.available || !p.variantGid) continue;
    products.push({
      id: numericId(gid),
      handle: p.handle,
      title: p.title,
      variantId: numericId(p.variantGid),
      price: p.priceMinor,
      reason: meta.reason,
    });
    if (products.length >= input.limit) break;
  }
  return { products };
}

/** Recommendations for a cart (product GIDs), filtered for the storefront. */
export async function cartRecommendations(
  db: Db,
  shop: string,
  input: { productGids: string[]; customerGid?: string | null; limit: number },
  cache: StorefrontCache = new StorefrontCache(),
  now = Date.now(),
): Promise<CartRecommendations> {
  const index = await cache.index(db, shop, now);
  let forYou: RecommendationItem[] | null | undefined;
  if (input.customerGid) {
    const key = `${shop}|${input.customerGid}`;
    forYou = cache.forYou.get(key, now);
    if (forYou === undefined) {
      forYou =
        (await getRecommendationsByKind(db, shop, ["FOR_YOU"], [input.customerGid]))
          .get("FOR_YOU")!
          .get(input.customerGid) ?? null;
      cache.forYou.set(key, forYou, now);
    }
  }
  return rankCart(index, forYou, input);
}

export interface ProxyDeps {
  prisma: Db;
  /** App API secret: the app proxy HMAC key. */
  secret: string;
  cache: StorefrontCache;
  now?: () => number;
}

const REJECTED = () =>
  // One answer for every verification failure: no reason, no body worth reading, never cached.
  new Response("Unauthorized", { status: 401, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });

function json(body: string, status = 200) {
  return new Response(body, {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      // Per-cart answers: browsers may reuse them briefly, shared caches must not.
      "Cache-Control": status === 200 ? "private, max-age=60" : "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * Handles one app proxy request. `path` is the part after `/proxy/` (Shopify strips
 * `/apps/growthpilot`). Every request is signature-verified before anything else happens.
 */
export async function handleAppProxyRequest(deps: ProxyDeps, request: Request, path: string): Promise<Response> {
  const now = deps.now ?? Date.now;
  const verified = verifyAppProxyRequest(request.url, { secret: deps.secret, now });
  if (!verified.ok) return REJECTED();
  if (request.method !== "GET" && request.method !== "HEAD")
    return json(JSON.stringify({ error: "method_not_allowed" }), 405);
  if (path.replace(/\/+$/, "") !== "recs") return json(JSON.stringify({ error: "not_found" }), 404);

  const raw = verified.params.getAll("products").join(",");
  const ids = raw === "" ? [] : raw.split(",").map((s) => s.trim());
  if (ids.length > MAX_CART_PRODUCTS || ids.some((id) => !/^\d{1,20}$/.test(id))) {
    return json(JSON.stringify({ error: "bad_request" }), 400);
  }
  const limitParam = verified.params.get("limit");
  const limit = limitParam === null ? DEFAULT_LIMIT : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    return json(JSON.stringify({ error: "bad_request" }), 400);

  const productGids = [...new Set(ids)].sort().map(productGid);
  const customer = verified.loggedInCustomerId ? customerGid(verified.loggedInCustomerId) : null;
  const key = `${verified.shop}|${productGids.join(",")}|${customer ?? ""}|${limit}`;
  const cached = deps.cache.responses.get(key, now());
  if (cached !== undefined) return json(cached);

  const body = JSON.stringify(
    await cartRecommendations(
      deps.prisma,
      verified.shop,
      { productGids, customerGid: customer, limit },
      deps.cache,
      now(),
    ),
  );
  deps.cache.responses.set(key, body, now());
  return json(body);
}
