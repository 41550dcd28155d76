import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
/* eslint-disable @typescript-eslint/no-explicit-any */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAdminClient, type AdminClientEvent } from "~/shopify/admin-client.server";
import { ShopifyAuthError, ShopifyGraphqlError, ShopifyHttpError, ShopifyUserErrors } from "~/shopify/errors.server";

const SHOP = "client-test.myshopify.com";
const TOKEN = "shpat_secret_token_value";

type Reply = { status?: number; headers?: Record<string, string>; body: unknown };
let replies: Reply[] = [];
let seen: { token: string | undefined; body: { query: string; variables?: unknown } }[] = [];
let baseUrl = "";

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let raw = "";
  req.on("data", (c) => (raw += c));
  req.on("end", () => {
    seen.push({ token: req.headers["x-shopify-access-token"] as string | undefined, body: JSON.parse(raw) });
    if (req.url !== `/shops/${SHOP}/admin/api/2026-10/graphql.json`) {
      res.writeHead(404).end();
      return;
    }
    const reply = replies.shift() ?? { body: { data: {} } };
    if (reply.body === "DESTROY") {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
    res.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  replies = [];
  seen = [];
});

function cost(requested: number, available: number, restoreRate = 50, max = 2000) {
  return {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: requested,
      throttleStatus: { maximumAvailable: max, currentlyAvailable: available, restoreRate },
    },
  };
}

function makeClient(extra: { maxRetries?: number; now?: () => number } = {}) {
  const sleeps: number[] = [];
  const events: AdminClientEvent[] = [];
  const client = createAdminClient({
    shop: SHOP,
    accessToken: TOKEN,
    baseUrl,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    now: extra.now ?? (() => 0),
    maxRetries: extra.maxRetries,
    log: (e) => events.push(e),
  });
  return { client, sleeps, events };
}

describe("createAdminClient", () => {
  it("sends the token header to the stand-in URL and returns data", async () => {
    replies = [{ body: { data: { shop: { name: "x" } }, extensions: cost(1, 1999) } }];
    const { client, sleeps } = makeClient();
    await expect(client.request<{ shop: { name: string } }>("query { shop { name } }")).resolves.toEqual({
      shop: { name: "x" },
    });
    expect(seen[0].token).toBe(TOKEN);
    expect(sleeps).toEqual([]);
    expect(client.throttleStatus?.currentlyAvailable).toBe(1999);
  });

  it("waits for the bucket to refill before a query it knows would be throttled", async () => {
    const doc = "query Big { shop { name } }";
    replies = [
      { body: { data: { shop: { name: "a" } }, extensions: cost(500, 100, 50) } },
      { body: { data: { shop: { name: "b" } }, extensions: cost(500, 1500, 50) } },
    ];
    const { client, sleeps, events } = makeClient();
    await client.request(doc);
    await client.request(doc);
    // deficit 400 points / 50 points per second = 8 s, waited before the second call.
    expect(sleeps).toEqual([8000]);
    expect(events[0]).toMatchObject({ type: "throttle-wait", reason: "preemptive" });
  });

  it("counts refill time already elapsed on the clock", async () => {
    let t = 0;
    const doc = "query Big { shop { name } }";
    replies = [
      { body: { data: {}, extensions: cost(500, 100, 50) } },
      { body: { data: {}, extensions: cost(500, 1500, 50) } },
    ];
    const { client, sleeps } = makeClient({ now: () => t });
    await client.request(doc);
    t = 6000; // 300 points restored
    await client.request(doc);
    expect(sleeps).toEqual([2000]);
  });

  it("retries THROTTLED after deficit / restoreRate", async () => {
    replies = [
      {
        body: {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
          extensions: cost(1000, 200, 100),
        },
      },
      { body: { data: { ok: true }, extensions: cost(1000, 0, 100) } },
    ];
    const { client, sleeps } = makeClient();
    await expect(client.request("query { ok }")).resolves.toEqual({ ok: true });
    expect(sleeps).toEqual([8000]);
    expect(seen).toHaveLength(2);
  });

  it("honours Retry-After on HTTP 429", async () => {
    replies = [
      { status: 429, headers: { "retry-after": "2.5" }, body: { errors: "Exceeded 2 calls per second" } },
      { body: { data: { ok: 1 } } },
    ];
    const { client, sleeps } = makeClient();
    await expect(client.request("query { ok }")).resolves.toEqual({ ok: 1 });
    expect(sleeps).toEqual([2500]);
  });

  it("retries 5xx and dropped connections with exponential backoff and jitter", async () => {
    replies = [
      { status: 502, body: "<html>bad gateway</html>" },
      { status: 503, body: "" },
      { body: "DESTROY" },
      { body: { data: { ok: 1 } } },
    ];
    const { client, sleeps, events } = makeClient();
    await expect(client.request("query { ok }")).resolves.toEqual({ ok: 1 });
    // random()=0.5 → 75% of the ceiling 500·2^n.
    expect(sleeps).toEqual([375, 750, 1500]);
    expect(events.map((e) => (e.type === "retry" ? e.status : "x"))).toEqual([502, 503, null]);
  });

  it("gives up after maxRetries with a typed error", async () => {
    replies = [
      { status: 500, body: "" },
      { status: 500, body: "" },
      { status: 500, body: "" },
    ];
    const { client, sleeps } = makeClient({ maxRetries: 2 });
    const error: any = await client.request("query { ok }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyHttpError);
    expect(error.status).toBe(500);
    expect(sleeps).toHaveLength(2);
  });

  it("throws ShopifyAuthError on 401 without retrying and without leaking the token", async () => {
    replies = [{ status: 401, body: { errors: "[API] Invalid API key or access token" } }];
    const { client, sleeps } = makeClient();
    const error: any = await client.request("query { ok }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyAuthError);
    expect(String(error.message)).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(sleeps).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it("turns GraphQL errors into ShopifyGraphqlError", async () => {
    replies = [
      { body: { errors: [{ message: "Field 'nope' doesn't exist on type 'QueryRoot'", path: ["query", "nope"] }] } },
    ];
    const { client } = makeClient();
    const error: any = await client.request("query { nope }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyGraphqlError);
    expect(error.errors[0].message).toContain("nope");
  });

  it("mutate returns the payload and throws ShopifyUserErrors on userErrors", async () => {
    replies = [
      { body: { data: { tagsAdd: { node: { id: "gid://shopify/Customer/1" }, userErrors: [] } } } },
      {
        body: {
          data: {
            tagsAdd: { node: null, userErrors: [{ field: ["id"], code: "INVALID", message: "Customer not found" }] },
          },
        },
      },
    ];
    const { client } = makeClient();
    const doc =
      "mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }";
    await expect(client.mutate(doc, { id: "gid://shopify/Customer/1", tags: ["a"] }, "tagsAdd")).resolves.toMatchObject(
      {
        node: { id: "gid://shopify/Customer/1" },
      },
    );
    const error: any = await client.mutate(doc, { id: "x", tags: [] }, "tagsAdd").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyUserErrors);
    expect(error.userErrors).toEqual([{ field: ["id"], code: "INVALID", message: "Customer not found" }]);
    expect(error.mutation).toBe("tagsAdd");
  });

  it("does not retry server errors for mutations marked non-idempotent", async () => {
    replies = [{ status: 502, body: "" }];
    const { client } = makeClient();
    const error = await client
      .mutate("mutation { x { userErrors { message } } }", {}, "x", { retryOnServerError: false })
      .catch((e: unknown) => e as any);
    expect(error).toBeInstanceOf(ShopifyHttpError);
    expect(seen).toHaveLength(1);
  });
});

describe("adminGraphqlUrl", async () => {
  const { adminGraphqlUrl } = await import("~/shopify/urls.server");
  it("builds Shopify and stand-in URLs and validates the shop", () => {
    expect(adminGraphqlUrl("a-b.myshopify.com", null)).toBe("https://a-b.myshopify.com/admin/api/2026-10/graphql.json");
    expect(adminGraphqlUrl("a.myshopify.com", "http://127.0.0.1:9/")).toBe(
      "http://127.0.0.1:9/shops/a.myshopify.com/admin/api/2026-10/graphql.json",
    );
    for (const bad of [
      "evil.com",
      "a.myshopify.com.evil.com",
      "A.myshopify.com",
      "-a.myshopify.com",
      "a.myshopify.com/x",
    ]) {
      expect(() => adminGraphqlUrl(bad, null)).toThrow(/Invalid shop domain/);
    }
  });
});
