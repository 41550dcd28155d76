import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DsShop } from "../../devstore/model";
import type { DevStore } from "../../devstore/server";
import { restCustomer, restOrder, restProduct } from "../../devstore/webhook-payloads";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/db";
import {
  A,
  B,
  ERASED,
  leaks,
  MARK,
  NOW,
  num,
  R,
  SECRET,
  signedProxyRequest as signed,
  snapshotShop,
  startIsolationStore,
  status,
  syncAndScore,
  W,
} from "./shops";
import { RFM_GROUPS } from "~/analytics/customers/rfm";
import { handleAppProxyRequest, StorefrontCache } from "~/services/storefront/recs.server";
import { processWebhook } from "~/services/webhooks/apply.server";
import type { PrismaClient } from "@prisma/client";
import type { AdminDeps } from "~/admin/deps.server";

/**
 * Many shops in one database: shop A's merchant session, storefront proxy and webhooks can never
 * read or change shop B's rows. Both shops are synced from the stand-in and scored (./shops.ts);
 * the two generated shops share GID numbering (like two CSV imports would), so "same GID, other
 * shop" is exercised too; "B-only" GIDs are the ones A does not have. Tests that write use a shop
 * of their own (W sends the hostile webhooks, R is erased), so they run in any order.
 */
const kind = TEST_DATABASE_URL ? "postgres" : "pglite";

let db: TestDatabase;
let prisma: PrismaClient;
let store: DevStore;
let shopA: DsShop;
let shopB: DsShop;
/** GIDs that exist in B only. */
const bOnly = { products: [] as string[], customers: [] as string[], orders: [] as string[] };
let bAutomationId: string;

/** What the admin view-models receive: the test database and the test's fixed clock. */
let admin: AdminDeps;
const COMPLETED = ["COMPLETED", "COMPLETED", "COMPLETED"];

beforeAll(async () => {
  process.env.SHOPIFY_API_SECRET = SECRET;
  delete process.env.REDIS_URL;
  db = await createTestDatabase(kind);
  prisma = db.prisma;
  admin = { prisma, now: () => NOW };
  const shops = await startIsolationStore();
  store = shops.store;
  shopA = shops.byDomain.get(A)!;
  shopB = shops.byDomain.get(B)!;
  for (const shop of [A, B]) expect(await syncAndScore(prisma, store, shop)).toEqual(COMPLETED);
  const has = (s: DsShop, map: "products" | "customers" | "orders", gid: string) => s[map].has(gid);
  for (const map of ["products", "customers", "orders"] as const)
    bOnly[map] = [...shopB[map].keys()].filter((g) => !has(shopA, map, g));
  const { createAutomationWithDefaults } = await import("~/admin/automations.server");
  bAutomationId = await createAutomationWithDefaults(admin, B, "WIN_BACK");
}, 120_000);

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

const snapshotB = () => snapshotShop(prisma, B);

describe(`shop isolation (${kind})`, () => {
  it("setup: both shops have data, scores and lists; B has GIDs A does not", async () => {
    for (const shop of [A, B]) {
      expect(await prisma.order.count({ where: { shop } })).toBeGreaterThan(100);
      expect(await prisma.customerScore.count({ where: { shop } })).toBeGreaterThan(10);
      expect(await prisma.recommendation.count({ where: { shop, kind: "BOUGHT_TOGETHER" } })).toBeGreaterThan(0);
    }
    expect(bOnly.products.length).toBeGreaterThan(0);
    expect(bOnly.customers.length).toBeGreaterThan(0);
    expect(bOnly.orders.length).toBeGreaterThan(0);
  });

  it("admin loaders under A's session show nothing of B, and B's ids answer 404", async () => {
    const { getDashboard } = await import("~/admin/dashboard.server");
    const { getSegmentsOverview, getSegmentDrill, exportSegmentCsv } = await import("~/admin/segments.server");
    const { segmentSlug } = await import("~/admin/runs.server");
    const { getCustomerPage } = await import("~/admin/customer.server");
    const { getRecommendationsPage } = await import("~/admin/recommendations.server");
    const { getAutomationsList, getAutomationPage } = await import("~/admin/automations.server");
    const { saveAutomationForm, setAutomationStatus } = await import("~/admin/automation-actions.server");
    const { getSettingsPage } = await import("~/admin/settings.server");

    const served: unknown[] = [];
    served.push(await getDashboard(admin, A));
    served.push(await getSegmentsOverview(admin, A));
    for (const segment of RFM_GROUPS) {
      served.push(await getSegmentDrill(admin, A, segmentSlug(segment), { sort: "churn", page: 1 }));
      served.push(await exportSegmentCsv(admin, A, segmentSlug(segment)));
    }
    served.push(await getRecommendationsPage(admin, A, { q: "" }));
    const search = await getRecommendationsPage(admin, A, { q: MARK });
    // (not added to `served`: the page echoes the query itself)
    expect(search.results).toEqual([]);
    expect(search.selected).toBeNull();
    served.push(await getAutomationsList(admin, A));
    served.push(await getSettingsPage(admin, A));
    // A customer id both shops have: A's own customer, never B's.
    const shared = [...shopA.customers.keys()].find((g) => shopB.customers.has(g))!;
    const page = await getCustomerPage(admin, A, num(shared));
    expect(page.email).toBe(shopA.customers.get(shared)!.email?.toLowerCase() ?? null);
    served.push(page);
    for (const [i, value] of served.entries()) {
      const text = JSON.stringify(value);
      const at = text.toLowerCase().indexOf("bsecret");
      expect(at, `served[${i}] leaks B: …${text.slice(Math.max(0, at - 200), at + 80)}…`).toBe(-1);
    }

    // B-only ids requested through A's session.
    for (const gid of bOnly.customers.slice(0, 5)) expect(await status(getCustomerPage(admin, A, num(gid)))).toBe(404);
    for (const gid of bOnly.products.slice(0, 5))
      expect(await status(getRecommendationsPage(admin, A, { q: "", product: num(gid) }))).toBe(404);
    expect(await status(getAutomationPage(admin, A, bAutomationId))).toBe(404);
    const form = new FormData();
    for (const [k, v] of Object.entries({
      name: "hijacked",
      offerPercent: "50",
      holdoutPercent: "10",
      schedule: "DAILY",
    }))
      form.set(k, v);
    const before = await snapshotB();
    expect(await status(saveAutomationForm(admin, A, bAutomationId, form))).toBe(404);
    await status(setAutomationStatus(admin, A, bAutomationId, "ARCHIVED"));
    expect(await snapshotB()).toEqual(before);
    // Positive control: the same calls under B do see B.
    expect(leaks(await getCustomerPage(admin, B, num(bOnly.customers[0])))).toBe(true);
  });

  it("app proxy signed for A never answers with B's products or B's customer lists", async () => {
    const cache = new StorefrontCache();
    const now = () => NOW.getTime();
    // B's most-connected products, and a B-only customer with a for-you list.
    const lists = await prisma.recommendation.findMany({
      where: { shop: B, kind: "BOUGHT_TOGETHER", subject: { in: bOnly.products } },
    });
    const cart = lists.map((l) => num(l.subject)).slice(0, 5);
    expect(cart.length).toBeGreaterThan(0);
    const forYou = await prisma.recommendation.findFirst({
      where: { shop: B, kind: "FOR_YOU", subject: { in: bOnly.customers }, NOT: { items: { equals: [] } } },
    });
    const customer = forYou ? num(forYou.subject) : "";

    // B first, so a cache keyed without the shop would hand B's answer to A.
    const asB = await handleAppProxyRequest(
      { prisma: prisma, secret: SECRET, cache, now },
      signed(B, cart, customer),
      "recs",
    );
    const bBody = await asB.json();
    expect(bBody.products.length).toBeGreaterThan(0);
    expect(leaks(bBody)).toBe(true);

    const asA = await handleAppProxyRequest(
      { prisma: prisma, secret: SECRET, cache, now },
      signed(A, cart, customer),
      "recs",
    );
    expect(asA.status).toBe(200);
    const aBody = await asA.json();
    expect(leaks(aBody)).toBe(false);
    const bOnlyIds = new Set(bOnly.products.map(num));
    expect(aBody.products.filter((p: { id: number }) => bOnlyIds.has(String(p.id)))).toEqual([]);

    // A request signed for A but claiming shop B is refused (the shop is part of the signature).
    const forged = signed(A, cart);
    const url = new URL(forged.url);
    url.searchParams.set("shop", B);
    expect(
      (await handleAppProxyRequest({ prisma: prisma, secret: SECRET, cache, now }, new Request(url), "recs")).status,
    ).toBe(401);
  });

  it("webhooks for another shop carrying B's GIDs never touch B's rows", async () => {
    expect(await syncAndScore(prisma, store, W)).toEqual(COMPLETED);
    const before = await snapshotB();
    const orderGid = bOnly.orders[0];
    const order = structuredClone(shopB.orders.get(orderGid)!);
    order.financialStatus = "VOIDED";
    order.updatedAt = "2030-01-01T00:00:00Z";
    const customer = structuredClone(shopB.customers.get(bOnly.customers[0])!);
    customer.updatedAt = "2030-01-01T00:00:00Z";
    customer.tags = ["hijacked"];
    const product = structuredClone(shopB.products.get(bOnly.products[0])!);
    product.updatedAt = "2030-01-01T00:00:00Z";
    product.title = "hijacked";
    const customerNumber = Number(num(customer.id));
    const deliveries = [
      { topic: "orders/updated", payload: restOrder(shopB, order) },
      {
        topic: "refunds/create",
        payload: {
          id: 1,
          order_id: Number(num(orderGid)),
          created_at: "2030-01-02T00:00:00Z",
          refund_line_items: [],
          transactions: [{ kind: "refund", status: "success", amount: "5.00" }],
        },
      },
      { topic: "customers/update", payload: restCustomer(customer) },
      { topic: "products/update", payload: restProduct(shopB, product) },
      { topic: "products/delete", payload: { id: Number(num(bOnly.products[1])) } },
      { topic: "customers/delete", payload: { id: Number(num(bOnly.customers[1])) } },
      {
        topic: "customers/redact",
        payload: {
          shop_id: 1,
          shop_domain: W,
          customer: { id: customerNumber },
          orders_to_redact: bOnly.orders.slice(0, 3).map((g) => Number(num(g))),
        },
      },
      { topic: "orders/cancelled", payload: restOrder(shopB, order) },
    ];
    for (const [i, d] of deliveries.entries()) {
      await processWebhook({ prisma }, { shop: W, topic: d.topic, webhookId: `cross-${i}`, payload: d.payload });
    }
    await processWebhook(
      { prisma },
      {
        shop: W,
        topic: "customers/data_request",
        webhookId: "cross-dr",
        payload: {
          shop_id: 1,
          shop_domain: W,
          customer: { id: customerNumber },
          orders_requested: [Number(num(orderGid))],
          data_request: { id: 9 },
        },
      },
    );
    // The stored export holds W's own rows (created from what W's webhooks said), never B's.
    const stored = await prisma.dataRequest.findMany({ where: { shop: W } });
    expect(stored).toHaveLength(1);
    const exported = JSON.parse(stored[0].exportJson) as {
      customer: { shop: string } | null;
      orders: { shop: string }[];
    };
    expect(exported.customer?.shop ?? W).toBe(W);
    expect(exported.orders.every((o) => o.shop === W)).toBe(true);
    expect(await prisma.dataRequest.count({ where: { shop: B } })).toBe(0);
    expect(await snapshotB()).toEqual(before);
  });

  it("shop/redact of one shop deletes it entirely and leaves B intact", async () => {
    expect(await syncAndScore(prisma, store, R)).toEqual(COMPLETED);
    const { createAutomationWithDefaults } = await import("~/admin/automations.server");
    await createAutomationWithDefaults(admin, R, "WIN_BACK");
    const countR = (table: (typeof ERASED)[number]) =>
      (prisma[table] as unknown as { count(a: object): Promise<number> }).count({ where: { shop: R } });
    for (const table of ERASED) expect(await countR(table), table).toBeGreaterThan(0);
    const before = await snapshotB();
    // Shopify sends shop/redact 48 h after uninstall; for an installed shop it is refused.
    await expect(
      processWebhook(
        { prisma },
        { shop: R, topic: "shop/redact", webhookId: "redact-r0", payload: { shop_id: 1, shop_domain: R } },
      ),
    ).rejects.toThrow(/still installed/);
    await processWebhook(
      { prisma },
      {
        shop: R,
        topic: "app/uninstalled",
        webhookId: "uninstall-r",
        payload: { id: 1, myshopify_domain: R, plan_name: "basic" },
      },
    );
    await processWebhook(
      { prisma },
      { shop: R, topic: "shop/redact", webhookId: "redact-r", payload: { shop_id: 1, shop_domain: R } },
    );
    for (const table of ERASED) expect(await countR(table), table).toBe(0);
    expect(await snapshotB()).toEqual(before);
  });
});
