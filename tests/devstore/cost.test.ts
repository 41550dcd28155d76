import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "graphql";
import { adminSchema } from "../../devstore/schema.js";
import { queryCost, ThrottleBucket } from "../../devstore/graphql/cost.js";
import { buildShop, startFixtureStore } from "./fixtures.js";

function requested(query: string, variables: Record<string, unknown> = {}): number {
  const doc = parse(query);
  return queryCost(adminSchema(), doc, doc.definitions[0] as never, variables);
}

describe("calculated query cost", () => {
  it("follows Shopify's rules for objects, scalars and connections", () => {
    expect(requested("{ shop { name } }")).toBe(1);
    expect(requested("{ products(first: 10) { edges { node { id title } } } }")).toBe(2 + 10 * 1);
    expect(
      requested("query($n: Int) { products(first: $n) { nodes { id variants(first: 5) { nodes { sku } } } } }", {
        n: 10,
      }),
    ).toBe(2 + 10 * (1 + 2 + 5));
    expect(
      requested(`mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["a"]) { userErrors { message } } }`),
    ).toBe(10);
  });

  it("refills the bucket at the restore rate of the injected clock", () => {
    let now = 0;
    const bucket = new ThrottleBucket(() => now);
    expect(bucket.tryTake(1500)).toBe(true);
    expect(bucket.tryTake(600)).toBe(false);
    now += 1000;
    expect(bucket.status().currentlyAvailable).toBe(600);
    expect(bucket.tryTake(600)).toBe(true);
  });
});

describe("throttling over HTTP", () => {
  let env: Awaited<ReturnType<typeof startFixtureStore>>;
  beforeAll(async () => {
    env = await startFixtureStore({}, [buildShop("alpha.myshopify.com", { products: 240, customers: 1, orders: 0 })]);
  });
  afterAll(async () => env.store.close());

  const BIG = "{ products(first: 250) { nodes { id variants(first: 3) { nodes { id } } } } }"; // 2 + 250 * (1 + 2 + 3) = 1502

  it("rejects a single query over 1000 points", async () => {
    const { body } = await env.gql(BIG);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", cost: 1502, maxCost: 1000 });
  });

  it("reports cost, drains the bucket, throttles, then recovers as the clock advances", async () => {
    const q = "{ products(first: 240) { nodes { id } } }"; // requested 242
    const first = await env.gql(q);
    expect(first.body.extensions.cost).toMatchObject({
      requestedQueryCost: 242,
      actualQueryCost: 242,
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100, currentlyAvailable: 2000 - 242 },
    });
    const small = await env.gql('{ products(first: 240, query: "tag:none") { nodes { id } } }');
    expect(small.body.extensions.cost.actualQueryCost).toBe(2); // unused requested points are refunded
    let throttled = null;
    let ok = 1;
    for (let i = 0; i < 12 && !throttled; i++) {
      const r = await env.gql(q);
      if (r.body.errors?.[0]?.extensions?.code === "THROTTLED") throttled = r.body;
      else ok += 1;
    }
    expect(ok).toBe(8); // 8 × 242 = 1936 of 2000
    expect(throttled).not.toBeNull();
    expect(throttled.errors[0].message).toBe("Throttled");
    expect(throttled.data).toBeUndefined();
    expect(throttled.extensions.cost).toMatchObject({ requestedQueryCost: 242, actualQueryCost: null });
    expect(throttled.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(242);
    env.advance(2000); // +200 points
    const again = await env.gql(q);
    expect(again.body.errors).toBeUndefined();
  });

  it("can force THROTTLED, 5xx and 429 through fault knobs", async () => {
    env.store.faults.throttleRate = 1;
    expect((await env.gql("{ shop { name } }")).body.errors[0].extensions.code).toBe("THROTTLED");
    env.store.faults.throttleRate = 0;
    env.store.faults.serverErrorRate = 1;
    expect([502, 503]).toContain((await env.gql("{ shop { name } }")).status);
    env.store.faults.serverErrorRate = 0;
    await fetch(`${env.store.url}/_devstore/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"http429Rate":1}',
    });
    expect((await env.gql("{ shop { name } }")).status).toBe(429);
    env.store.faults.http429Rate = 0;
    expect((await env.gql("{ shop { name } }")).status).toBe(200);
  });
});
