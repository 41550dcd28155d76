import { parse, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSchema } from "../../../devstore/schema";
import { startDevStore, type DevStore } from "../../../devstore/server";
import { createEmptyShop } from "../../../devstore/shop";
import { makeProduct, makeCustomer } from "../../../devstore/factories";
import { createAdminClient } from "~/shopify/admin-client.server";
import { ShopifyAuthError } from "~/shopify/errors.server";
import { recordInstall } from "~/models/shops.server";
import { replaceRecommendations, type RecommendationList } from "~/models/recommendations.server";
import {
  ensureRecommendationMetafieldDefinitions,
  MAX_ITEMS_PER_METAFIELD,
  syncRecommendationMetafields,
} from "~/services/scoring/metafields.server";
import { appState } from "../../../devstore/app-state";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../../helpers/db";
import { items, pid, seedCatalog, SHOP } from "../storefront/helpers";

/**
 * Writing recommendation lists to app-owned metafields: batching (25 per metafieldsSet),
 * throttling, per-input rejections, tombstone deletes and resuming after a crash — against a
 * scripted Admin API that validates every document against the real 2026-10 schema — and once
 * end-to-end against the Shopify stand-in.
 */

type Call = { op: string; variables: Record<string, unknown> };

/** A scripted Admin GraphQL endpoint holding metafields in a map. */
function fakeAdmin(options: { failAfterSets?: number; throttleFirst?: boolean; rejectOwner?: string } = {}) {
  const calls: Call[] = [];
  const metafields = new Map<string, string>();
  let definitions = 0;
  let sets = 0;
  let throttled = !options.throttleFirst;
  const cost = {
    requestedQueryCost: 10,
    actualQueryCost: 10,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
  };
  const reply = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

  const fetch = (async (_url: string, init: RequestInit) => {
    const { query, variables, operationName } = JSON.parse(String(init.body)) as {
      query: string;
      variables: Record<string, unknown>;
      operationName?: string;
    };
    const errors = validate(adminSchema(), parse(query));
    if (errors.length) return reply({ errors: errors.map((e) => ({ message: e.message })) });
    const op = operationName ?? /(?:mutation|query)\s+(\w+)/.exec(query)![1];
    calls.push({ op, variables });
    if (op === "GrowthpilotMetafieldDefinitionCreate") {
      definitions++;
      const taken = definitions > 3;
      return reply({
        data: {
          metafieldDefinitionCreate: taken
            ? {
                createdDefinition: null,
                userErrors: [{ field: ["definition", "key"], message: "Key is in use", code: "TAKEN" }],
              }
            : {
                createdDefinition: {
                  id: `gid://shopify/MetafieldDefinition/${definitions}`,
                  namespace: "app--1--x",
                  key: "k",
                },
                userErrors: [],
              },
        },
        extensions: { cost },
      });
    }
    if (op === "GrowthpilotMetafieldsSet") {
      if (!throttled) {
        throttled = true;
        return reply({
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
          extensions: { cost: { ...cost, throttleStatus: { ...cost.throttleStatus, currentlyAvailable: 0 } } },
        });
      }
      if (options.failAfterSets !== undefined && sets >= options.failAfterSets)
        return reply({ errors: "Invalid API key or access token" }, 401);
      const inputs = variables.metafields as {
        ownerId: string;
        namespace: string;
        key: string;
        value: string;
        type: string;
      }[];
      const bad = inputs.findIndex((m) => m.ownerId === options.rejectOwner);
      if (bad >= 0) {
        return reply({
          data: {
            metafieldsSet: {
              metafields: null,
              userErrors: [
                {
                  field: ["metafields", String(bad), "ownerId"],
                  message: "Owner does not exist",
                  code: "INVALID",
                  elementIndex: bad,
                },
              ],
            },
          },
          extensions: { cost },
        });
      }
      sets++;
      for (const m of inputs) metafields.set(`${m.ownerId}|${m.namespace}.${m.key}`, m.value);
      return reply({ data: { metafieldsSet: { metafields: [], userErrors: [] } }, extensions: { cost } });
    }
    if (op === "GrowthpilotMetafieldsDelete") {
      const ids = variables.metafields as { ownerId: string; namespace: string; key: string }[];
      for (const m of ids) metafields.delete(`${m.ownerId}|${m.namespace}.${m.key}`);
      return reply({ data: { metafieldsDelete: { deletedMetafields: ids, userErrors: [] } }, extensions: { cost } });
    }
    return reply({ errors: [{ message: `unexpected ${op}` }] });
  }) as typeof globalThis.fetch;

  const sleeps: number[] = [];
  const client = createAdminClient({
    shop: SHOP,
    accessToken: "shpat_test",
    baseUrl: "http://admin.invalid",
    fetch,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  });
  return { client, calls, metafields, sleeps };
}

const subject = (n: number) => pid(3000 + n);

/** Run 1: 60 products; run 2: 55 of them (5 tombstones), one all-ineligible list, also-bought, for-you, discovery. */
function runTwoLists(): RecommendationList[] {
  const lists: RecommendationList[] = [];
  for (let n = 1; n <= 55; n++)
    lists.push({
      kind: "BOUGHT_TOGETHER",
      subject: subject(n),
      items: items(1002, 1004, 1006, 1003, 1007, 1005, 1008, 1012, 1013, 1009),
    });
  lists.push({ kind: "ALSO_BOUGHT", subject: subject(1), items: items(1010, 1011) });
  lists.push({ kind: "ALSO_BOUGHT", subject: subject(2), items: items(1006, 1007, 1008) }); // nothing eligible → delete
  lists.push({ kind: "FOR_YOU", subject: "gid://shopify/Customer/7001", items: items(1014, 1010) });
  lists.push({ kind: "FOR_YOU", subject: "gid://shopify/Customer/7002", items: items(1011) });
  lists.push({ kind: "DISCOVERY", subject: "gid://shopify/Customer/7001", items: items(1011) });
  return lists;
}

describe.each(testDbKinds)("recommendation metafield sync (%s)", (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await recordInstall(db.prisma, SHOP);
    await seedCatalog(db.prisma);
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function prepareRuns(prefix: string) {
    const run1 = Array.from({ length: 60 }, (_, i) => ({
      kind: "BOUGHT_TOGETHER" as const,
      subject: subject(i + 1),
      items: items(1002),
    }));
    await replaceRecommendations(db.prisma, SHOP, `${prefix}-1`, run1);
    await replaceRecommendations(db.prisma, SHOP, `${prefix}-2`, runTwoLists());
    return `${prefix}-2`;
  }

  it("writes eligible lists in batches of 25, deletes tombstones, survives throttling", async () => {
    const runId = await prepareRuns("a");
    const admin = fakeAdmin({ throttleFirst: true });
    const result = await syncRecommendationMetafields(
      { prisma: db.prisma, client: admin.client, definitions: "api" },
      SHOP,
      runId,
    );

    // 55 + 5 tombstones + 2 also-bought + 2 for-you = 64 lists; DISCOVERY stays in the app.
    expect(result).toMatchObject({ total: 64, processed: 64, written: 58, deleted: 6, skipped: 0, resumedFrom: 0 });
    const setCalls = admin.calls.filter((c) => c.op === "GrowthpilotMetafieldsSet");
    for (const c of setCalls) expect((c.variables.metafields as unknown[]).length).toBeLessThanOrEqual(25);
    expect(admin.calls.filter((c) => c.op === "GrowthpilotMetafieldDefinitionCreate")).toHaveLength(3);
    const defs = admin.calls
      .filter((c) => c.op === "GrowthpilotMetafieldDefinitionCreate")
      .map((c) => c.variables.definition);
    expect(defs).toContainEqual(
      expect.objectContaining({
        namespace: "$app",
        key: "bought_together",
        ownerType: "PRODUCT",
        type: "list.product_reference",
        access: { storefront: "PUBLIC_READ" },
      }),
    );
    expect(defs).toContainEqual(expect.objectContaining({ key: "for_you", ownerType: "CUSTOMER" }));
    expect(admin.sleeps.length).toBeGreaterThan(0); // waited out THROTTLED instead of failing

    // Static filters applied; stock left to Liquid (the sold-out grinder 1004 stays).
    expect(JSON.parse(admin.metafields.get(`${subject(1)}|$app.bought_together`)!)).toEqual([
      pid(1002),
      pid(1004),
      pid(1003),
      pid(1005),
      pid(1009),
    ]);
    expect(JSON.parse(admin.metafields.get(`${subject(1)}|$app.also_bought`)!)).toEqual([pid(1010), pid(1011)]);
    expect(JSON.parse(admin.metafields.get("gid://shopify/Customer/7001|$app.for_you")!)).toEqual([
      pid(1014),
      pid(1010),
    ]);
    expect(admin.metafields.has(`${subject(2)}|$app.also_bought`)).toBe(false);
    const deletes = admin.calls
      .filter((c) => c.op === "GrowthpilotMetafieldsDelete")
      .flatMap((c) => c.variables.metafields as { ownerId: string; key: string }[]);
    expect(deletes.map((d) => `${d.ownerId}|${d.key}`).sort()).toEqual(
      [`${subject(2)}|also_bought`, ...[56, 57, 58, 59, 60].map((n) => `${subject(n)}|bought_together`)].sort(),
    );

    // Completed syncs are not redone.
    const again = await syncRecommendationMetafields(
      { prisma: db.prisma, client: admin.client, definitions: "api" },
      SHOP,
      runId,
    );
    expect(again.processed).toBe(0);
  });

  it("caps each list at 12 products", async () => {
    await seedCatalog(
      db.prisma,
      SHOP,
      Array.from({ length: 10 }, (_, i) => ({ n: 5000 + i, title: `Extra ${i}` })),
    );
    const many = {
      kind: "ALSO_BOUGHT" as const,
      subject: pid(4000),
      items: items(...Array.from({ length: 10 }, (_, i) => 5000 + i), 1002, 1003, 1005, 1009),
    };
    await replaceRecommendations(db.prisma, SHOP, "cap-1", [many], ["ALSO_BOUGHT"]);
    const admin = fakeAdmin();
    await syncRecommendationMetafields({ prisma: db.prisma, client: admin.client, definitions: "toml" }, SHOP, "cap-1");
    expect(JSON.parse(admin.metafields.get(`${pid(4000)}|$app.also_bought`)!)).toHaveLength(MAX_ITEMS_PER_METAFIELD);
    expect(admin.calls.some((c) => c.op === "GrowthpilotMetafieldDefinitionCreate")).toBe(false);
  });

  it("skips inputs Shopify rejects individually and keeps the rest of the batch", async () => {
    await replaceRecommendations(db.prisma, SHOP, "rej-1", [
      { kind: "BOUGHT_TOGETHER", subject: pid(6001), items: items(1002) },
      { kind: "BOUGHT_TOGETHER", subject: pid(6002), items: items(1003) },
      { kind: "BOUGHT_TOGETHER", subject: pid(6003), items: items(1009) },
    ]);
    const admin = fakeAdmin({ rejectOwner: pid(6002) });
    const events: { type: string }[] = [];
    const result = await syncRecommendationMetafields(
      { prisma: db.prisma, client: admin.client, definitions: "toml", log: (e) => events.push(e) },
      SHOP,
      "rej-1",
    );
    expect(result).toMatchObject({ written: 2, skipped: 1 });
    expect([...admin.metafields.keys()].sort()).toEqual([
      `${pid(6001)}|$app.bought_together`,
      `${pid(6003)}|$app.bought_together`,
    ]);
    expect(JSON.stringify(events)).not.toContain("6002"); // logs carry counts and codes, not ids
  });

  it("resumes after a crash from the last committed batch", async () => {
    const runId = await prepareRuns("b");
    const crashing = fakeAdmin({ failAfterSets: 1 });
    await expect(
      syncRecommendationMetafields({ prisma: db.prisma, client: crashing.client, definitions: "toml" }, SHOP, runId),
    ).rejects.toBeInstanceOf(ShopifyAuthError);
    const checkpoint = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: `metafields:${SHOP}:${runId}` } });
    expect(checkpoint).toMatchObject({ status: "FAILED", linesProcessed: 25, linesTotal: 64 });

    const healthy = fakeAdmin();
    const resumed = await syncRecommendationMetafields(
      { prisma: db.prisma, client: healthy.client, definitions: "toml" },
      SHOP,
      runId,
    );
    expect(resumed).toMatchObject({ resumedFrom: 25, processed: 39 });
    const firstSubjects = new Set(
      (
        crashing.calls.find((c) => c.op === "GrowthpilotMetafieldsSet")!.variables.metafields as { ownerId: string }[]
      ).map((m) => m.ownerId),
    );
    const resent = healthy.calls
      .filter((c) => c.op === "GrowthpilotMetafieldsSet")
      .flatMap((c) => c.variables.metafields as { ownerId: string; key: string }[])
      .filter((m) => m.key === "bought_together" && firstSubjects.has(m.ownerId));
    expect(resent).toEqual([]);
    expect((await db.prisma.syncRun.findUniqueOrThrow({ where: { id: `metafields:${SHOP}:${runId}` } })).status).toBe(
      "COMPLETED",
    );
  });
});

describe("metafield sync against the Shopify stand-in", () => {
  let store: DevStore;
  let db: TestDatabase;
  const shopDomain = "standin-recs.myshopify.com";
  const ds = createEmptyShop(shopDomain);
  ds.accessTokens.add("shpat_standin");
  const beans = makeProduct(ds, { title: "Beans" });
  const dripper = makeProduct(ds, { title: "Dripper" });
  const filters = makeProduct(ds, { title: "Filters" });
  const customer = makeCustomer(ds, { email: "mei@example.com" });

  beforeAll(async () => {
    store = await startDevStore({ port: 0, apiKey: "k", apiSecret: "s", shops: [ds] });
    db = await createTestDatabase("pglite");
    await recordInstall(db.prisma, shopDomain);
    const at = new Date("2026-01-01T00:00:00Z");
    for (const p of [beans, dripper, filters]) {
      await db.prisma.product.create({
        data: {
          shop: shopDomain,
          gid: p.id,
          title: p.title,
          handle: p.handle,
          tags: [],
          collections: [],
          status: "ACTIVE",
          publishedAt: at,
          shopifyCreated: at,
          shopifyUpdated: at,
        },
      });
      await db.prisma.variant.create({
        data: {
          shop: shopDomain,
          gid: `${p.variantIds[0]}`,
          productGid: p.id,
          title: "Default",
          priceMinor: 1200,
          inventoryQty: 5,
          shopifyUpdated: at,
        },
      });
    }
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it("creates the storefront-readable definitions through the API once (TAKEN the second time)", async () => {
    const client = createAdminClient({
      shop: shopDomain,
      accessToken: "shpat_standin",
      baseUrl: store.url,
      sleep: async () => {},
    });
    expect(await ensureRecommendationMetafieldDefinitions(client)).toEqual({ created: 3 });
    expect(await ensureRecommendationMetafieldDefinitions(client)).toEqual({ created: 0 });
    const defs = appState(ds)
      .metafieldDefinitions.map((d) => `${d.ownerType}:${d.namespace}.${d.key}:${d.type}:${d.access.storefront}`)
      .sort();
    expect(defs).toEqual([
      "CUSTOMER:$app.for_you:list.product_reference:PUBLIC_READ",
      "PRODUCT:$app.also_bought:list.product_reference:PUBLIC_READ",
      "PRODUCT:$app.bought_together:list.product_reference:PUBLIC_READ",
    ]);
  });

  it("writes $app list.product_reference metafields the storefront can read", async () => {
    await replaceRecommendations(db.prisma, shopDomain, "s-1", [
      {
        kind: "BOUGHT_TOGETHER",
        subject: beans.id,
        items: [
          { gid: dripper.id, score: 2, reason: "r" },
          { gid: filters.id, score: 1, reason: "r" },
        ],
      },
      { kind: "FOR_YOU", subject: customer.id, items: [{ gid: filters.id, score: 1, reason: "r" }] },
    ]);
    const client = createAdminClient({
      shop: shopDomain,
      accessToken: "shpat_standin",
      baseUrl: store.url,
      sleep: async () => {},
    });
    // Definitions as declared in shopify.app.toml (the default path).
    const result = await syncRecommendationMetafields(
      { prisma: db.prisma, client, definitions: "toml" },
      shopDomain,
      "s-1",
    );
    expect(result).toMatchObject({ written: 2, deleted: 0, skipped: 0 });
    const mf = ds.products
      .get(beans.id)!
      .metafields.find((m) => m.namespace === "$app" && m.key === "bought_together")!;
    expect(mf.type).toBe("list.product_reference");
    expect(JSON.parse(mf.value)).toEqual([dripper.id, filters.id]);
    expect(ds.customers.get(customer.id)!.metafields.find((m) => m.key === "for_you")?.value).toBe(
      JSON.stringify([filters.id]),
    );
  });
});
