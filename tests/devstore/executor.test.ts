import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureStore, buildShop } from "./fixtures.js";

let env: Awaited<ReturnType<typeof startFixtureStore>>;

beforeAll(async () => {
  env = await startFixtureStore({}, [buildShop("alpha.myshopify.com", { products: 7, customers: 30, orders: 53 })]);
});
afterAll(async () => env.store.close());

describe("validation", () => {
  it("rejects an unknown field with errors and no data", async () => {
    const { status, body } = await env.gql("{ shop { name nope } }");
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors[0]).toMatchObject({
      message: "Field 'nope' doesn't exist on type 'Shop'",
      path: ["query", "shop", "nope"],
      extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nope" },
    });
    expect(body.errors[0].locations[0]).toEqual({ line: 1, column: 15 });
  });

  it("rejects syntax errors", async () => {
    const { body } = await env.gql("{ shop { ");
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe("parseError");
  });

  it("rejects a bad token with Shopify's 401 body and a bad version with 404", async () => {
    const bad = await env.gql("{ shop { name } }", undefined, "nope");
    expect(bad.status).toBe(401);
    expect(bad.body.errors).toContain("Invalid API key or access token");
    const res = await fetch(`${env.store.url}/shops/${env.domain}/admin/api/2019-01/graphql.json`, {
      method: "POST",
      headers: { "X-Shopify-Access-Token": "shpat_test", "Content-Type": "application/json" },
      body: '{"query":"{shop{name}}"}',
    });
    expect(res.status).toBe(404);
  });

  it("resolves unmodelled but valid fields to null or empty values", async () => {
    const { body } = await env.gql(
      `{ shop { name myshopifyDomain billingAddress { city } customerTags(first: 5) { edges { node } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.shop.name).toBe("Alpha");
    expect(body.data.shop.customerTags.edges).toEqual([]);
  });
});

describe("records", () => {
  it("maps orders with money bags, line items, customer and refunds", async () => {
    const { body } = await env.gql(`{
      orders(first: 1, sortKey: CREATED_AT) { nodes {
        id name email createdAt displayFinancialStatus currencyCode discountCodes
        totalPriceSet { shopMoney { amount currencyCode } }
        customer { id email numberOfOrders amountSpent { amount } }
        lineItems(first: 5) { nodes { id sku quantity variant { id sku inventoryItem { unitCost { amount } } } product { handle } originalUnitPriceSet { shopMoney { amount } } } }
        refunds { id }
      } } }`);
    expect(body.errors).toBeUndefined();
    const order = body.data.orders.nodes[0];
    expect(order.totalPriceSet.shopMoney).toEqual({ amount: "10.00", currencyCode: "USD" });
    expect(order.customer.numberOfOrders).toBe("2");
    expect(order.lineItems.nodes[0]).toMatchObject({
      sku: "SKU-0",
      variant: { sku: "SKU-0", inventoryItem: { unitCost: { amount: "4.00" } } },
    });
    expect(order.refunds).toEqual([]);
  });

  it("answers node and nodes by GID", async () => {
    const { body } = await env.gql(
      `{ nodes(ids: ["gid://shopify/Product/1", "gid://shopify/Product/999999"]) { id ... on Product { title } } }`,
    );
    expect(body.data.nodes).toEqual([{ id: "gid://shopify/Product/1", title: "Product 0" }, null]);
  });
});

describe("pagination", () => {
  async function walk(query: string, sortKey: string, reverse: boolean) {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await env.gql(
        `query($after: String) { orders(first: 10, after: $after, sortKey: ${sortKey}, reverse: ${reverse}${query}) {
          edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...body.data.orders.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!body.data.orders.pageInfo.hasNextPage) return seen;
      after = body.data.orders.pageInfo.endCursor;
    }
  }

  it("walks every record exactly once in both directions", async () => {
    for (const [key, reverse] of [
      ["ID", false],
      ["UPDATED_AT", true],
      ["CREATED_AT", false],
    ] as const) {
      const ids = await walk("", key, reverse);
      expect(ids).toHaveLength(53);
      expect(new Set(ids).size).toBe(53);
    }
  });

  it("pages backwards with last/before", async () => {
    const first = await env.gql(`{ customers(first: 5) { pageInfo { endCursor } nodes { id } } }`);
    const back = await env.gql(
      `query($c: String) { customers(last: 2, before: $c) { nodes { id } pageInfo { hasPreviousPage hasNextPage } } }`,
      {
        c: first.body.data.customers.pageInfo.endCursor,
      },
    );
    expect(back.body.data.customers.nodes.map((n: { id: string }) => n.id)).toEqual(
      first.body.data.customers.nodes.slice(2, 4).map((n: { id: string }) => n.id),
    );
    expect(back.body.data.customers.pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: true });
  });

  it("filters with the search syntax on updated_at, email, status and tag", async () => {
    const all = await walk(` query: "updated_at:>'2024-02-01T00:00:00Z'"`, "ID", false);
    expect(all).toHaveLength(53 - 32); // orders are one per day from 2024-01-01
    const range = await env.gql(
      `{ orders(first: 250, query: "created_at:>='2024-01-05' AND created_at:<2024-01-08") { nodes { createdAt } } }`,
    );
    expect(range.body.data.orders.nodes).toHaveLength(3);
    const byEmail = await env.gql(`{ customers(first: 5, query: "email:c3@example.com") { nodes { email } } }`);
    expect(byEmail.body.data.customers.nodes).toEqual([{ email: "c3@example.com" }]);
    const active = await env.gql(`{ products(first: 50, query: "status:active tag:odd") { nodes { status tags } } }`);
    expect(active.body.data.products.nodes).toHaveLength(3);
  });

  it("enforces Shopify's page size limits", async () => {
    const big = await env.gql(`{ products(first: 251) { nodes { id } } }`);
    expect(big.body.errors[0].message).toContain("250");
    const none = await env.gql(`{ products { nodes { id } } }`);
    expect(none.body.errors[0].message).toBe("you must provide one of first or last");
  });
});
