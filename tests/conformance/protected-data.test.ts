import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordCustomerUpdated, recordOrderUpdated } from "../../devstore/webhooks";
import { noSleep, startGeneratedStore } from "../services/sync/helpers";
import { startBulkQuery, waitForBulkOperation, BulkOperationFailedError } from "~/shopify/bulk.server";
import { BULK_CUSTOMERS_QUERY, BULK_CUSTOMERS_WITHOUT_PII_QUERY } from "~/shopify/documents/sync";

/**
 * The stand-in withholds access the way Shopify does (devstore/access.ts):
 * - unapproved protected customer fields answer HTTP 200, `null`, and an error with the field's
 *   path and "This app is not approved to access the Customer object. See …/customer_data …"
 *   (https://shopify.dev/docs/apps/launch/protected-customer-data#example-api-requests-for-protected-customer-data);
 * - a bulk query selecting them ends FAILED / ACCESS_DENIED (BulkOperationErrorCode, pinned schema);
 * - without `read_all_orders` only the last 60 days of orders exist for the app
 *   (https://shopify.dev/docs/api/admin-graphql/latest/objects/Order).
 */
const NOW = "2026-03-01T00:00:00Z";
const WINDOW_START = Date.parse(NOW) - 60 * 86_400_000;

type Env = Awaited<ReturnType<typeof startGeneratedStore>>;

async function graphql(env: Env, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${env.store.url}/shops/${env.shop.domain}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_sync_test_token" },
    body: JSON.stringify({ query, variables }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL response JSON, read by the assertions path by path.
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } };
}

describe("stand-in: protected customer fields and the 60-day order window", () => {
  let env: Env;

  beforeAll(async () => {
    env = await startGeneratedStore({
      domain: "protected-data.myshopify.com",
      customers: 12,
      orders: 80,
      products: 5,
      start: "2025-10-01T00:00:00Z",
      end: NOW,
      now: NOW,
      scopes: "write_products,write_customers,read_orders",
      protectedCustomerFields: false,
    });
  });
  afterAll(async () => {
    await env?.store.close();
  });

  it("redacts name/email fields with Shopify's error shape, keeps the rest of the data", async () => {
    const query = `
      {
        customers(first: 2) {
          nodes {
            id
            tags
            firstName
            email
            defaultEmailAddress {
              emailAddress
            }
          }
        }
      }
    `;
    // Shopify reports where in the document the denied field is (1-based lines).
    const firstNameLine = query.split("\n").findIndex((l) => l.includes("firstName")) + 1;
    const { status, body } = await graphql(env, query);
    expect(status).toBe(200);
    const nodes = body.data.customers.nodes;
    expect(nodes).toHaveLength(2);
    for (const n of nodes) {
      expect(n.id).toMatch(/^gid:\/\/shopify\/Customer\//);
      expect(n.firstName).toBeNull();
      expect(n.email).toBeNull();
      expect(n.defaultEmailAddress).toBeNull();
    }
    expect(body.errors).toHaveLength(6);
    expect(body.errors![0]).toMatchObject({
      message: expect.stringMatching(
        /^This app is not approved to access the Customer object\. See https:\/\/partners\.shopify\.com\/.+\/customer_data for more details\.$/,
      ),
      path: ["customers", "nodes", 0, "firstName"],
      locations: [expect.objectContaining({ line: firstNameLine })],
      extensions: expect.objectContaining({ code: "ACCESS_DENIED" }),
    });
    // The redaction leaks no customer value into the errors.
    const emails = [...env.shop.customers.values()].map((c) => c.email).filter(Boolean) as string[];
    for (const e of emails) expect(JSON.stringify(body)).not.toContain(e);
  });

  it("order email is redacted too; fields outside Level 2 are not", async () => {
    const { body } = await graphql(
      env,
      `
        {
          orders(first: 1) {
            nodes {
              id
              name
              email
              customer {
                id
              }
            }
          }
        }
      `,
    );
    const [order] = body.data.orders.nodes;
    expect(order.name).toMatch(/^#/);
    expect(order.email).toBeNull();
    expect(body.errors!.map((e) => e.path)).toEqual([["orders", "nodes", 0, "email"]]);
  });

  it("a bulk query selecting protected fields ends FAILED with errorCode ACCESS_DENIED; without them it completes", async () => {
    const denied = await startBulkQuery(env.client, BULK_CUSTOMERS_QUERY, { sleep: noSleep });
    await env.store.bulkIdle();
    const error = await waitForBulkOperation(env.client, denied.id, { sleep: noSleep }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkOperationFailedError);
    expect((error as BulkOperationFailedError).errorCode).toBe("ACCESS_DENIED");

    const ok = await startBulkQuery(env.client, BULK_CUSTOMERS_WITHOUT_PII_QUERY, { sleep: noSleep });
    await env.store.bulkIdle();
    const done = await waitForBulkOperation(env.client, ok.id, { sleep: noSleep });
    expect(done.rootObjectCount).toBe(env.shop.customers.size);
  });

  it("without read_all_orders: orders, order(id:), node(id:) and Customer.orders see only the last 60 days", async () => {
    const all = [...env.shop.orders.values()];
    const recent = all.filter((o) => Date.parse(o.createdAt) >= WINDOW_START);
    const old = all.find((o) => Date.parse(o.createdAt) < WINDOW_START)!;
    expect(recent.length).toBeGreaterThan(0);
    expect(old).toBeDefined();

    const { body } = await graphql(
      env,
      `
        {
          orders(first: 250) {
            nodes {
              id
              createdAt
            }
          }
        }
      `,
    );
    expect(body.data.orders.nodes.map((o: { id: string }) => o.id).sort()).toEqual(recent.map((o) => o.id).sort());

    const byId = await graphql(
      env,
      `
        query ($id: ID!) {
          order(id: $id) {
            id
          }
          node(id: $id) {
            id
          }
        }
      `,
      { id: old.id },
    );
    expect(byId.body.data).toEqual({ order: null, node: null });

    const scopes = await graphql(
      env,
      `
        {
          currentAppInstallation {
            accessScopes {
              handle
            }
          }
        }
      `,
    );
    expect(scopes.body.data.currentAppInstallation.accessScopes.map((s: { handle: string }) => s.handle)).not.toContain(
      "read_all_orders",
    );

    env.store.runtime.access.scopes += ",read_all_orders";
    try {
      const full = await graphql(
        env,
        `
          {
            orders(first: 250) {
              nodes {
                id
              }
            }
          }
        `,
      );
      expect(full.body.data.orders.nodes).toHaveLength(all.length);
    } finally {
      env.store.runtime.access.scopes = "write_products,write_customers,read_orders";
    }
  });

  it("webhooks carry the redacted fields as null (customers/update, orders/updated with its customer)", async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- webhook JSON bodies, read by the assertions path by path.
    const bodies: Record<string, any> = {};
    const server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        bodies[String(req.headers["x-shopify-topic"])] = JSON.parse(raw);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
    try {
      for (const topic of ["CUSTOMERS_UPDATE", "ORDERS_UPDATED"]) {
        env.shop.webhooks.set(`gid://shopify/WebhookSubscription/${topic}`, {
          id: `gid://shopify/WebhookSubscription/${topic}`,
          topic,
          callbackUrl: url,
          createdAt: NOW,
        });
      }
      const customer = [...env.shop.customers.values()].find((c) => c.email && c.firstName)!;
      const order = [...env.shop.orders.values()].find((o) => o.customerId && o.email)!;
      recordCustomerUpdated(env.shop, customer);
      recordOrderUpdated(env.shop, order);
      await env.store.deliverPending();
      const c = bodies["customers/update"];
      expect(c.admin_graphql_api_id).toBe(customer.id);
      expect([c.email, c.first_name, c.last_name, c.phone, c.default_address]).toEqual([null, null, null, null, null]);
      expect(c.addresses).toEqual([]);
      const o = bodies["orders/updated"];
      expect(o.admin_graphql_api_id).toBe(order.id);
      expect([o.email, o.contact_email, o.customer?.email, o.customer?.first_name]).toEqual([null, null, null, null]);
      expect(o.customer.admin_graphql_api_id).toBe(order.customerId);
      expect(JSON.stringify(bodies)).not.toContain(customer.email!);
    } finally {
      env.shop.webhooks.clear();
      server.close();
    }
  });
});
