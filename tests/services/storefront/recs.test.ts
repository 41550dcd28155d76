import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAppProxyParams } from "~/shopify/app-proxy.server";
import { getRecommendations, replaceRecommendations } from "~/models/recommendations.server";
import { findStorefrontProducts } from "~/models/storefront-products.server";
import { cartRecommendations, handleAppProxyRequest, StorefrontCache } from "~/services/storefront/recs.server";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../../helpers/db";
import { items, pid, seedCatalog, SHOP } from "./helpers";

const SECRET = "proxy-secret";
const NOW = Date.parse("2026-11-20T12:00:00Z");

function proxyRequest(params: Record<string, string>, shop = SHOP) {
  const q = new URLSearchParams({
    shop,
    path_prefix: "/apps/growthpilot",
    timestamp: String(NOW / 1000),
    logged_in_customer_id: "",
    ...params,
  });
  q.set("signature", signAppProxyParams(q, SECRET));
  return new Request(`https://app.example.com/proxy/recs?${q}`);
}

describe.each(testDbKinds)("storefront recommendations (%s)", (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seedCatalog(db.prisma);
    await seedCatalog(db.prisma, "other.myshopify.com", [{ n: 1002, title: "Other shop dripper" }]);
    await replaceRecommendations(db.prisma, SHOP, "run-1", [
      {
        kind: "BOUGHT_TOGETHER",
        subject: pid(1001),
        items: items(1002, 1004, 1012, 1003, 1007, 1005, 1008, 1009, 1006, 1013),
      },
      { kind: "BOUGHT_TOGETHER", subject: pid(1009), items: items(1011, 1001, 1014) },
      { kind: "ALSO_BOUGHT", subject: pid(1001), items: items(1010, 1011) },
      { kind: "FOR_YOU", subject: "gid://shopify/Customer/7001", items: items(1014, 1010) },
    ]);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it("applies every storefront filter (docs/contracts.md §6)", async () => {
    const { products } = await cartRecommendations(db.prisma, SHOP, { productGids: [pid(1001)], limit: 12 });
    // Dripper, filters, backorder (continue-selling) from bought-together; then also-bought.
    expect(products.map((p) => p.id)).toEqual([1002, 1003, 1005, 1009, 1010, 1011]);
    expect(products[0]).toEqual({
      id: 1002,
      handle: "ceramic-dripper",
      title: "Ceramic Dripper",
      variantId: 10020,
      price: 1500,
      reason: "bought_together",
    });
  });

  it("excludes what is in the cart and ranks items completing several cart products first", async () => {
    const { products } = await cartRecommendations(db.prisma, SHOP, { productGids: [pid(1001), pid(1009)], limit: 4 });
    expect(products.map((p) => p.id)).not.toContain(1001);
    expect(products.map((p) => p.id)).not.toContain(1009);
    expect(products).toHaveLength(4);
  });

  it("blends in the logged-in customer's for-you list after cart-based candidates", async () => {
    const { products } = await cartRecommendations(db.prisma, SHOP, {
      productGids: [pid(1009)],
      customerGid: "gid://shopify/Customer/7001",
      limit: 6,
    });
    expect(products.map((p) => [p.id, p.reason])).toEqual([
      [1011, "bought_together"],
      [1001, "bought_together"],
      [1014, "bought_together"],
      [1010, "for_you"],
    ]);
  });

  it("returns nothing for products without recommendations and never crosses shops", async () => {
    expect((await cartRecommendations(db.prisma, SHOP, { productGids: [pid(1014)], limit: 4 })).products).toEqual([]);
    expect(
      (await cartRecommendations(db.prisma, "other.myshopify.com", { productGids: [pid(1001)], limit: 4 })).products,
    ).toEqual([]);
  });

  it("knows static eligibility separately from stock", async () => {
    const found = await findStorefrontProducts(db.prisma, SHOP, [1004, 1005, 1006, 1007, 1008, 1012, 1013].map(pid));
    expect([...found.keys()].sort()).toEqual([pid(1004), pid(1005)]);
    expect(found.get(pid(1004))).toMatchObject({ available: false, variantGid: null });
    expect(found.get(pid(1005))).toMatchObject({ available: true });
  });

  it("serves signed proxy requests as JSON from memory, caching per shop × cart", async () => {
    const errors: unknown[] = [];
    const cache = new StorefrontCache({ onError: (e) => errors.push(e) });
    let clock = NOW;
    const deps = { prisma: db.prisma, secret: SECRET, cache, now: () => clock };
    const res = await handleAppProxyRequest(deps, proxyRequest({ products: "1009,1001", limit: "3" }), "recs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toBe("private, max-age=60");
    const body = (await res.json()) as { products: { id: number }[] };
    expect(body.products).toHaveLength(3);

    // With the index loaded, no request needs the database: same cart in another order (answer
    // cache), another cart (index), even after the TTL (stale index served, refresh fails quietly).
    const offline = {
      ...deps,
      prisma: new Proxy(
        {},
        {
          get: () => {
            throw new Error("database unavailable");
          },
        },
      ) as never,
    };
    expect(
      await (await handleAppProxyRequest(offline, proxyRequest({ products: "1001,1009", limit: "3" }), "recs")).json(),
    ).toEqual(body);
    const other = await handleAppProxyRequest(offline, proxyRequest({ products: "1001" }), "recs");
    expect(((await other.json()) as { products: { id: number }[] }).products.map((p) => p.id)).toEqual([
      1002, 1003, 1005, 1009,
    ]);
    clock += 61_000;
    expect(
      (await handleAppProxyRequest(offline, proxyRequest({ products: "1001,1009", limit: "3" }), "recs")).status,
    ).toBe(200);
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
  });

  it("picks up a new scoring run after the TTL", async () => {
    const cache = new StorefrontCache();
    const shop = "fresh.myshopify.com";
    await seedCatalog(db.prisma, shop, [
      { n: 1, title: "A" },
      { n: 2, title: "B" },
      { n: 3, title: "C" },
    ]);
    await replaceRecommendations(db.prisma, shop, "f1", [
      { kind: "BOUGHT_TOGETHER", subject: pid(1), items: items(2) },
    ]);
    const ids = async (now: number) =>
      (await cartRecommendations(db.prisma, shop, { productGids: [pid(1)], limit: 4 }, cache, now)).products.map(
        (p) => p.id,
      );
    expect(await ids(NOW)).toEqual([2]);
    await replaceRecommendations(db.prisma, shop, "f2", [
      { kind: "BOUGHT_TOGETHER", subject: pid(1), items: items(3) },
    ]);
    expect(await ids(NOW + 1_000)).toEqual([2]); // within the TTL
    await ids(NOW + 61_000); // stale: refresh starts in the background
    await expect.poll(() => ids(NOW + 62_000)).toEqual([3]);
  });

  it("replaces lists per run and leaves tombstones for the metafield sync", async () => {
    await replaceRecommendations(db.prisma, "tomb.myshopify.com", "r1", [
      { kind: "ALSO_BOUGHT", subject: pid(1), items: items(2) },
      { kind: "ALSO_BOUGHT", subject: pid(3), items: items(2) },
    ]);
    const second = await replaceRecommendations(db.prisma, "tomb.myshopify.com", "r2", [
      { kind: "ALSO_BOUGHT", subject: pid(1), items: items(4) },
    ]);
    expect(second).toEqual({ written: 1, tombstoned: 1 });
    const live = await getRecommendations(db.prisma, "tomb.myshopify.com", "ALSO_BOUGHT", [pid(1), pid(3)]);
    expect([...live.keys()]).toEqual([pid(1)]);
    expect(live.get(pid(1))![0].gid).toBe(pid(4));
    await replaceRecommendations(db.prisma, "tomb.myshopify.com", "r3", [
      { kind: "ALSO_BOUGHT", subject: pid(1), items: items(4) },
    ]);
    expect(await db.prisma.recommendation.count({ where: { shop: "tomb.myshopify.com" } })).toBe(1);
  });
});
