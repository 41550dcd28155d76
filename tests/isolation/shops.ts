import { createHmac } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { generateShop } from "../../devstore/generator";
import type { DsShop } from "../../devstore/model";
import { startDevStore, type DevStore } from "../../devstore/server";
import { dumpShop } from "../faults/helpers";
import { createAdminClient } from "~/shopify/admin-client.server";
import { runInitialSync } from "~/services/sync/shop-sync.server";
import { runScoring } from "~/services/scoring/run.server";

/**
 * The shops of the isolation suite, all in one stand-in and one database. A and B are the fixture
 * every read-only test looks at. The tests that write (webhooks sent as the attacker, shop/redact)
 * each use a shop of their own, generated like A (same GIDs), so no test changes what another reads.
 * B's product titles and customer emails carry a marker that must never appear in anything served to A.
 */
export const A = "shop-a.myshopify.com";
export const B = "shop-b.myshopify.com";
/** Sender of the hostile webhooks. */
export const W = "shop-w.myshopify.com";
/** Erased by shop/redact. */
export const R = "shop-r.myshopify.com";
export const MARK = "BSECRET";
export const SECRET = "isolation-secret";
export const NOW = new Date("2026-01-15T00:00:00Z");

/** The tables shop/redact empties for the shop. */
export const ERASED = [
  "product",
  "variant",
  "customer",
  "order",
  "orderLine",
  "customerScore",
  "recommendation",
  "modelRun",
  "syncRun",
  "automation",
  "shop",
] as const;

export const num = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);
const tokenFor = (shop: string) => `tok-${shop.slice(5, 6)}`;

const window = { start: "2025-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" };
/** A's shape: the two generated shops share GID numbering, B simply has more of everything. */
const likeA = (domain: string) =>
  generateShop({ domain, seed: 3, products: 12, customers: 40, orders: 160, ...window });

function markedB(): DsShop {
  const shop = generateShop({ domain: B, seed: 4, products: 20, customers: 70, orders: 260, ...window });
  for (const p of shop.products.values()) p.title = `${MARK} ${p.title}`;
  for (const c of shop.customers.values()) c.email = `${num(c.id)}@bsecret.example`;
  for (const o of shop.orders.values()) o.email = o.customerId ? `${num(o.customerId)}@bsecret.example` : o.email;
  return shop;
}

export interface IsolationShops {
  store: DevStore;
  byDomain: Map<string, DsShop>;
}

export async function startIsolationStore(): Promise<IsolationShops> {
  const shops = [likeA(A), markedB(), likeA(W), likeA(R)];
  for (const s of shops) s.accessTokens.add(tokenFor(s.domain));
  const store = await startDevStore({
    port: 0,
    apiKey: "iso",
    apiSecret: SECRET,
    shops,
    autoDeliverWebhooks: false,
    faults: { duplicateWebhookRate: 0 },
  });
  return { store, byDomain: new Map(shops.map((s) => [s.domain, s])) };
}

/** Syncs one shop from the stand-in and scores it, as the app does after install. */
export async function syncAndScore(prisma: PrismaClient, store: DevStore, shop: string): Promise<string[]> {
  const client = createAdminClient({ shop, accessToken: tokenFor(shop), baseUrl: store.url });
  const results = await runInitialSync({ prisma, client, pollIntervalMs: 5 }, shop);
  await runScoring({ prisma, now: () => NOW }, shop);
  return results.map((r) => r.status);
}

/** Everything of one shop that a leak or a stray write would change. */
export async function snapshotShop(prisma: PrismaClient, shop: string) {
  return {
    rows: await dumpShop(prisma, shop),
    scores: await prisma.customerScore.count({ where: { shop } }),
    recommendations: await prisma.recommendation.count({ where: { shop } }),
    modelRuns: await prisma.modelRun.count({ where: { shop } }),
    syncRuns: await prisma.syncRun.count({ where: { shop } }),
    automations: await prisma.automation.findMany({ where: { shop }, orderBy: { id: "asc" } }),
    webhookEvents: await prisma.webhookEvent.count({ where: { shop } }),
    shop: await prisma.shop.findUnique({ where: { shop } }),
  };
}

/** The HTTP status a loader's promise ends in: "ok", or the status of the Response it throws. */
export async function status(p: Promise<unknown>): Promise<number | "ok"> {
  try {
    await p;
    return "ok";
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

export const leaks = (value: unknown) =>
  JSON.stringify(value).includes(MARK) || JSON.stringify(value).toLowerCase().includes("bsecret");

/** An app proxy request for `shop` as Shopify signs it (the shop is part of the signature). */
export function signedProxyRequest(shop: string, products: string[], customer = ""): Request {
  const pairs: [string, string][] = [
    ["shop", shop],
    ["logged_in_customer_id", customer],
    ["path_prefix", "/apps/growthpilot"],
    ["timestamp", String(NOW.getTime() / 1000)],
    ["products", products.join(",")],
    ["limit", "12"],
  ];
  const message = pairs
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join("");
  const url = new URL("https://app.example.com/proxy/recs");
  for (const [k, v] of pairs) url.searchParams.append(k, v);
  url.searchParams.append("signature", createHmac("sha256", SECRET).update(message).digest("hex"));
  return new Request(url);
}
