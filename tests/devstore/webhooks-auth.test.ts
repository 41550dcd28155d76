import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { API_KEY, API_SECRET, startFixtureStore, makeOrder } from "./fixtures.js";
import { recordOrderCreated } from "../../devstore/webhooks.js";
import { signSessionToken } from "../../devstore/jwt.js";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let failNext = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(failNext-- > 0 ? 500 : 200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

function verify(r: Received): boolean {
  const expected = createHmac("sha256", API_SECRET).update(r.body, "utf8").digest();
  const given = Buffer.from(String(r.headers["x-shopify-hmac-sha256"]), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("webhooks", () => {
  let env: Awaited<ReturnType<typeof startFixtureStore>>;
  // A stand-in per test: subscriptions, fault knobs and the delivery log start empty each time.
  beforeEach(async () => {
    env = await startFixtureStore({ autoDeliverWebhooks: false });
    failNext = 0;
  });
  afterEach(async () => env.store.close());

  const subscribeOrdersCreate = () =>
    env.gql(
      `mutation($uri: String!) { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: { uri: $uri }) { webhookSubscription { id topic uri } userErrors { field message } } }`,
      { uri: receiverUrl },
    );

  it("subscribes, signs deliveries, retries failures with backoff and duplicates with the same id", async () => {
    const sub = await subscribeOrdersCreate();
    expect(sub.body.data.webhookSubscriptionCreate.webhookSubscription).toMatchObject({
      topic: "ORDERS_CREATE",
      uri: receiverUrl,
    });
    const dup = await env.gql(
      `mutation($uri: String!) { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: { uri: $uri }) { userErrors { field message } } }`,
      { uri: receiverUrl },
    );
    expect(dup.body.data.webhookSubscriptionCreate.userErrors[0].message).toContain("already been taken");

    const shop = env.store.shops.get(env.domain)!;
    received.length = 0;
    failNext = 1;
    env.store.faults.duplicateWebhookRate = 1;
    recordOrderCreated(
      shop,
      makeOrder(shop, "gid://shopify/Customer/11", [...shop.variants.keys()].slice(0, 2), env.now()),
    );
    await env.store.deliverPending();
    expect(received).toHaveLength(1); // first attempt failed with 500; retry waits for the backoff
    env.advance(1000);
    await env.store.deliverPending();
    env.store.faults.duplicateWebhookRate = 0;
    expect(received).toHaveLength(3); // retry + duplicate
    expect(received.every(verify)).toBe(true);
    const ids = new Set(received.map((r) => r.headers["x-shopify-webhook-id"]));
    expect(ids.size).toBe(1);
    const h = received[0].headers;
    expect(h["x-shopify-topic"]).toBe("orders/create");
    expect(h["x-shopify-shop-domain"]).toBe(env.domain);
    expect(h["x-shopify-api-version"]).toBe("2026-10");
    expect(h["x-shopify-event-id"]).toBeTruthy();
    expect(h["x-shopify-triggered-at"]).toBe(new Date(env.now() - 1000).toISOString());
    const body = JSON.parse(received[0].body);
    expect(body).toMatchObject({
      admin_graphql_api_id: expect.stringMatching(/Order/),
      financial_status: "paid",
      currency: "USD",
      customer: { id: 11 },
    });
    expect(body.line_items).toHaveLength(2);
    expect(body.line_items[0]).toMatchObject({ sku: "SKU-0", quantity: 1, price: "10.00", properties: [] });
    expect(received[0].body).toBe(received[2].body);
  });

  it("drops deliveries under the fault knob and sends compliance topics through the control API", async () => {
    expect((await subscribeOrdersCreate()).body.data.webhookSubscriptionCreate.userErrors).toEqual([]);
    const shop = env.store.shops.get(env.domain)!;
    received.length = 0;
    env.store.faults.dropWebhookRate = 1;
    recordOrderCreated(shop, makeOrder(shop, null, [...shop.variants.keys()].slice(0, 1), env.now()));
    await env.store.deliverPending();
    env.store.faults.dropWebhookRate = 0;
    expect(received).toHaveLength(0);
    expect(env.store.webhookLog.at(-1)?.status).toBe("dropped");
    const res = await fetch(`${env.store.url}/_devstore/shops/${env.domain}/compliance`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ topic: "customers/redact", url: receiverUrl, customerId: "gid://shopify/Customer/11" }),
    });
    expect(res.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0].headers["x-shopify-topic"]).toBe("customers/redact");
    expect(JSON.parse(received[0].body)).toMatchObject({
      shop_domain: env.domain,
      customer: { id: 11 },
      orders_to_redact: expect.any(Array),
    });
    expect(verify(received[0])).toBe(true);
  });
});

describe("token exchange", () => {
  let env: Awaited<ReturnType<typeof startFixtureStore>>;
  beforeAll(async () => {
    env = await startFixtureStore({ clock: Date.now });
  });
  afterAll(async () => env.store.close());

  async function exchange(subjectToken: string, form = false) {
    const params = {
      client_id: API_KEY,
      client_secret: API_SECRET,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: subjectToken,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    };
    const res = await fetch(`${env.store.url}/shops/${env.domain}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json" },
      body: form ? new URLSearchParams(params).toString() : JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  it("issues a working access token for a valid session token and rejects tampered ones", async () => {
    const { token } = await getJwt(env.domain.replace(".myshopify.com", ""), API_KEY, API_SECRET);
    const ok = await exchange(token);
    expect(ok.status).toBe(200);
    expect(ok.body.access_token).toMatch(/^shpat_/);
    expect(ok.body.scope).toContain("write_discounts");
    const shop = await env.gql("{ shop { myshopifyDomain } }", undefined, ok.body.access_token);
    expect(shop.body.data.shop.myshopifyDomain).toBe(env.domain);

    const [h, p, s] = token.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, "base64url").toString()), dest: "https://evil.myshopify.com" })).toString("base64url")}.${s}`;
    expect(await exchange(tampered)).toEqual({ status: 400, body: { error: "invalid_subject_token" } });
    const otherShop = signSessionToken(
      {
        iss: "https://b.myshopify.com/admin",
        dest: "https://b.myshopify.com",
        aud: API_KEY,
        exp: Date.now() / 1000 + 60,
      },
      API_SECRET,
    );
    expect((await exchange(otherShop, true)).status).toBe(400);
    const expired = signSessionToken(
      { iss: `https://${env.domain}/admin`, dest: `https://${env.domain}`, aud: API_KEY, exp: Date.now() / 1000 - 60 },
      API_SECRET,
    );
    expect((await exchange(expired)).body.error).toBe("invalid_subject_token");
  });
});
