import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedAppEnv, type RouteHandler } from "../helpers/app-env";
import { signAppProxyParams } from "~/shopify/app-proxy.server";
import { FUZZ_SEED, runs } from "./seed";
import { CATALOG, items, pid, seedCatalog, SHOP } from "../services/storefront/helpers";

/**
 * The real app proxy route (app/routes/proxy.$.tsx: getDb + env secret + handleAppProxyRequest)
 * with random query strings. Properties:
 * - unsigned or wrongly signed → 401, always, whatever else is in the query;
 * - correctly signed → 200 / 400 / 404 / 405 (never 500), 401 when a key repeats; a 200 is a JSON `{ products: [...] }` of
 *   valid, recommendable products, none of them in the cart.
 */
const SECRET = "fuzz-proxy-secret";
const appEnv = isolatedAppEnv("fuzz-proxy", { apiKey: "fuzz-proxy-key", apiSecret: SECRET });

type Loader = RouteHandler;
let loader: Loader;
let closeDb: typeof import("~/db.server").closeDb;
/** Products the storefront may show (active, published, priced, in stock or continue-selling, not gift cards). */
const RECOMMENDABLE = new Set([1001, 1002, 1003, 1005, 1009, 1010, 1011, 1014]);

beforeAll(async () => {
  ({ loader } = (await import("~/routes/proxy.$")) as unknown as { loader: Loader });
  const db = await import("~/db.server");
  closeDb = db.closeDb;
  const { prisma } = await db.getDb();
  await seedCatalog(prisma);
  const { replaceRecommendations } = await import("~/models/recommendations.server");
  const all = CATALOG.map((c) => c.n);
  await replaceRecommendations(prisma, SHOP, "fuzz-run", [
    ...all.map((n) => ({
      kind: "BOUGHT_TOGETHER" as const,
      subject: pid(n),
      items: items(...all.filter((m) => m !== n)),
    })),
    ...all.map((n) => ({
      kind: "ALSO_BOUGHT" as const,
      subject: pid(n),
      items: items(...all.filter((m) => m !== n).reverse()),
    })),
    { kind: "FOR_YOU" as const, subject: "gid://shopify/Customer/7001", items: items(...all) },
  ]);
});
afterAll(async () => {
  await closeDb();
  appEnv.cleanup();
});

async function get(path: string, query: string): Promise<{ status: number; body: string; error?: unknown }> {
  try {
    const response = await loader({
      request: new Request(`https://app.example.com/proxy/${path}?${query}`),
      params: { "*": path },
      context: {},
    });
    return { status: response.status, body: await response.text() };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.text() };
    return { status: 500, body: "", error: thrown };
  }
}

const productIds = fc.oneof(
  fc.array(fc.constantFrom(...CATALOG.map((c) => String(c.n))), { maxLength: 5 }).map((a) => a.join(",")),
  fc
    .array(
      fc.oneof(
        fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String),
        fc.string({ maxLength: 8 }),
        fc.constantFrom("", " ", "-1", "1e3", "0x1", "1001 ", "１００１", "9".repeat(20), "9".repeat(21)),
      ),
      { maxLength: 60 },
    )
    .map((a) => a.join(",")),
  fc.string({ unit: "binary", maxLength: 30 }),
);
const limit = fc.option(
  fc.oneof(
    fc.integer({ min: -5, max: 20 }).map(String),
    fc.constantFrom("", "1.5", "abc", "1e1", "4 ", "Infinity", "0x4"),
  ),
  { nil: undefined },
);
const customer = fc.oneof(
  fc.constant(""),
  fc.constantFrom("7001", "7002", "0", "-1", "abc", "9".repeat(30)),
  fc.string({ maxLength: 10 }),
);
const path = fc.oneof(
  { weight: 4, arbitrary: fc.constant("recs") },
  { weight: 1, arbitrary: fc.constantFrom("recs/", "", "x", "recs/../admin", "RECS", "recs//") },
);
const extra = fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 3 });

function signedQuery(p: {
  shop: string;
  products: string;
  limit?: string;
  customer: string;
  extra: [string, string][];
  timestamp: string;
  repeatProducts: boolean;
}) {
  const q = new URLSearchParams();
  q.append("shop", p.shop);
  q.append("logged_in_customer_id", p.customer);
  q.append("path_prefix", "/apps/growthpilot");
  q.append("timestamp", p.timestamp);
  if (p.repeatProducts) for (const id of p.products.split(",")) q.append("products", id);
  else q.append("products", p.products);
  if (p.limit !== undefined) q.append("limit", p.limit);
  for (const [k, v] of p.extra) if (k !== "signature") q.append(k, v);
  q.append("signature", signAppProxyParams(q, SECRET));
  return q;
}

describe("GET /proxy/* with random parameters", () => {
  it("correctly signed → 200 with valid products, or 400/404 — never 500", async () => {
    const tally: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(
        productIds,
        limit,
        customer,
        path,
        extra,
        fc.boolean(),
        async (products, lim, cust, p, ext, repeat) => {
          const q = signedQuery({
            shop: SHOP,
            products,
            limit: lim,
            customer: cust,
            extra: ext,
            timestamp: String(Math.floor(Date.now() / 1000)),
            repeatProducts: repeat,
          });
          const r = await get(p, q.toString());
          tally[r.status] = (tally[r.status] ?? 0) + 1;
          expect(r.status, String((r.error as Error)?.stack ?? r.error)).not.toBe(500);
          // Any repeated key (products split into several params, or an extra key colliding) is refused.
          const keys = [...q.keys()];
          if (new Set(keys).size !== keys.length) return void expect(r.status).toBe(401);
          expect([200, 400, 404]).toContain(r.status);
          if (r.status === 200) {
            const body = JSON.parse(r.body) as {
              products: { id: number; variantId: number; price: number; handle: string }[];
            };
            const cart = new Set(
              q
                .getAll("products")
                .join(",")
                .split(",")
                .map((s) => s.trim()),
            );
            const max = lim === undefined ? 4 : Number(lim);
            expect(body.products.length).toBeLessThanOrEqual(max);
            for (const prod of body.products) {
              expect(RECOMMENDABLE.has(prod.id), `not recommendable: ${prod.id}`).toBe(true);
              expect(cart.has(String(prod.id))).toBe(false);
              expect(Number.isInteger(prod.variantId) && prod.price > 0).toBe(true);
            }
          }
        },
      ),
      { seed: FUZZ_SEED, numRuns: runs(200) },
    );
    console.log(`proxy fuzz statuses (signed): ${JSON.stringify(tally)}`);
    expect(tally[200]).toBeGreaterThan(0);
    expect(tally[400]).toBeGreaterThan(0);
  });

  it("signed requests for other shops, stale or future timestamps, bad shop domains → 401 or an empty list, never 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom("other.myshopify.com", "evil.com", "", "KALDI.myshopify.com"),
          fc.domain(),
          fc.string({ maxLength: 20 }),
        ),
        fc.oneof(fc.constant(0), fc.integer({ min: -1e9, max: 1e9 }), fc.constantFrom(91, -91)),
        fc.constantFrom("", "abc", "1e10", "NaN"),
        async (shop, skew, tsOverride) => {
          const ts = tsOverride && skew % 2 === 0 ? tsOverride : String(Math.floor(Date.now() / 1000) + skew);
          const q = signedQuery({
            shop,
            products: "1001",
            customer: "",
            extra: [],
            timestamp: ts,
            repeatProducts: false,
          });
          const r = await get("recs", q.toString());
          expect(r.status, String((r.error as Error)?.stack ?? r.error)).not.toBe(500);
          if (r.status === 200)
            expect(JSON.parse(r.body)).toEqual({ products: [] }); // a well-formed shop with no data of ours
          else expect(r.status).toBe(401);
        },
      ),
      { seed: FUZZ_SEED, numRuns: runs(100) },
    );
  });

  it("unsigned, tampered or wrongly signed → 401 whatever the query", async () => {
    await fc.assert(
      fc.asyncProperty(
        productIds,
        fc.oneof(
          fc.constant(null),
          fc.string({ maxLength: 70 }),
          fc.stringMatching(/^[0-9a-f]{64}$/),
          fc.constantFrom("", "0".repeat(64), "zz"),
        ),
        fc.boolean(),
        async (products, signature, tamper) => {
          const q = signedQuery({
            shop: SHOP,
            products: "1001",
            customer: "",
            extra: [],
            timestamp: String(Math.floor(Date.now() / 1000)),
            repeatProducts: false,
          });
          const good = q.get("signature")!;
          if (tamper) q.set("products", products + "x"); // keep the good signature, change a signed value
          if (signature === null) q.delete("signature");
          else if (!tamper) {
            fc.pre(signature !== good);
            q.set("signature", signature);
          }
          const r = await get("recs", q.toString());
          expect(r.status).toBe(401);
          expect(r.body).toBe("Unauthorized");
        },
      ),
      { seed: FUZZ_SEED, numRuns: runs(150) },
    );
  });

  it("raw random query strings → 401 (nothing reaches the database unsigned)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 120 }), path, async (raw, p) => {
        const r = await get(p, encodeURI(raw).replace(/#/g, "%23"));
        expect(r.status).toBe(401);
      }),
      { seed: FUZZ_SEED, numRuns: runs(100) },
    );
  });
});
