import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateShop } from "../../devstore/generator";
import type { DsShop } from "../../devstore/model";
import { startDevStore, type DevStore } from "../../devstore/server";
import { nextCompleted } from "../helpers/job-events";
import { isolatedAppEnv, type RouteHandler } from "../helpers/app-env";
import { sampleBody, samplePayload } from "../helpers/shopify-samples";
import { routeStatus, signedWebhookRequest } from "../helpers/webhook-request";

/**
 * Everything the app writes to its log stream during a full run — install (token exchange and
 * afterAuth), bulk sync, scoring, the metafield write, an automation run issuing codes, and
 * Shopify's sample webhook of every subscribed topic through the real route (redactions included)
 * — contains no customer email, name, phone or address and no token or secret.
 */
const SHOP = "pii-logs.myshopify.com";
const API_KEY = "pii-logs-key";
const API_SECRET = "pii-logs-secret-0123456789abcdef0123456789abcdef";
const appEnv = isolatedAppEnv("pii-logs", { apiKey: API_KEY, apiSecret: API_SECRET });

let store: DevStore;
let shop: DsShop;
const written: string[] = [];

beforeAll(async () => {
  shop = generateShop({
    domain: SHOP,
    seed: 23,
    products: 10,
    customers: 60,
    orders: 240,
    start: "2025-06-01T00:00:00Z",
    end: "2026-11-01T00:00:00Z",
  });
  store = await startDevStore({
    port: 0,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    shops: [shop],
    autoDeliverWebhooks: false,
  });
  process.env.DEVSTORE_URL = store.url;
  process.env.SHOPIFY_APP_URL = "http://localhost:3000";
  // Capture every way text reaches the log stream: console methods and direct stream writes.
  const capture = (...args: unknown[]) =>
    void written.push(
      args
        .map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a)))
        .join(" "),
    );
  for (const method of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, method).mockImplementation(capture);
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      written.push(String(chunk));
      return original(chunk as string, ...(rest as []));
    }) as typeof stream.write);
  }
});

afterAll(async () => {
  vi.restoreAllMocks();
  const { closeJobQueue } = await import("~/jobs/queue.server");
  const { closeDb } = await import("~/db.server");
  await closeJobQueue();
  await closeDb();
  await store?.close();
  appEnv.cleanup();
});

async function jobDone(name: string) {
  const { getJobQueue } = await import("~/jobs/queue.server");
  return nextCompleted(await getJobQueue(), name);
}

/** Every personal value the run handled: the stand-in's customers and the samples' customers. */
function personalValues(): string[] {
  const values = new Set<string>();
  for (const c of shop.customers.values()) {
    for (const v of [c.email, c.firstName, c.lastName]) if (v && v.length >= 4) values.add(v);
  }
  const walk = (value: unknown, key = "") => {
    if (value && typeof value === "object") return void Object.entries(value).forEach(([k, v]) => walk(v, k));
    if (typeof value !== "string" || value.length < 5) return;
    if (/^(email|first_name|last_name|phone|address1|address2|name)$/.test(key) && !/^#/.test(value)) values.add(value);
  };
  for (const topic of ["orders/create", "customers/create", "customers/data_request", "customers/redact"])
    walk(samplePayload(topic));
  return [...values];
}

describe("the log stream during a full run", () => {
  it("holds no personal data, token or secret", async () => {
    const { exchangeOfflineToken } = await import("~/services/shop/install.server");
    const { getDb } = await import("~/db.server");
    const { getJobQueue } = await import("~/jobs/queue.server");
    const { createAutomation } = await import("~/models/automations");

    const metafields = jobDone("metafields.write");
    await exchangeOfflineToken({
      shop: SHOP,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      appUrl: "http://localhost:3000",
      now: new Date(),
    });
    await metafields;

    const { prisma } = await getDb();
    const automation = await createAutomation(prisma, SHOP, { type: "WIN_BACK", name: "Win-back" });
    const ran = jobDone("automation.run");
    await (await getJobQueue()).enqueue("automation.run", { automationId: automation.id }, { shop: SHOP });
    await ran;
    expect(await prisma.automationAssignment.count({ where: { shop: SHOP } })).toBeGreaterThan(0);
    // Tokens the run used (read before shop/redact deletes the sessions).
    const sessions = await prisma.session.findMany({
      where: { shop: SHOP },
      select: { accessToken: true, refreshToken: true },
    });
    const tokens = [...shop.accessTokens, ...sessions.flatMap((s) => [s.accessToken, s.refreshToken ?? ""])].filter(
      (t) => t.length >= 8,
    );
    expect(tokens.length).toBeGreaterThan(0);

    const { action } = (await import("~/routes/webhooks")) as unknown as { action: RouteHandler };
    const { WEBHOOK_TOPICS } = await import("~/services/webhooks/topics");
    const order = WEBHOOK_TOPICS.filter((t) => t !== "shop/redact" && t !== "app/uninstalled");
    for (const topic of [...order, "app/uninstalled", "shop/redact"]) {
      const result = await routeStatus(
        action,
        signedWebhookRequest(API_SECRET, { topic, shop: SHOP, body: sampleBody(topic, SHOP, WEBHOOK_TOPICS) }),
      );
      expect(result.status, topic).toBeLessThan(300);
    }

    const log = written.join("\n");
    expect(log.length).toBeGreaterThan(0); // the run did log (the capture works)
    const secrets = [API_SECRET, ...tokens];
    const leaks = [...personalValues(), ...secrets].filter((value) => log.includes(value));
    expect(leaks).toEqual([]);
    expect(log).not.toMatch(/shpat_[A-Za-z0-9]+|shprt_[A-Za-z0-9]+|@example\.(com|org)/);
  });
});
