import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appState } from "../../devstore/app-state";
import { startFixtureStore } from "./fixtures.js";

/** The stand-in's Flow trigger, segment and metafield-definition mutations (schema-validated by the executor). */
let env: Awaited<ReturnType<typeof startFixtureStore>>;
beforeAll(async () => {
  env = await startFixtureStore({
    flowTriggers: { "growthpilot-offer-issued": ["customer_id", "code", "expires_at"] },
  });
});
afterAll(async () => env.store.close());

const FLOW = `mutation($handle: String, $payload: JSON) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`;
const SEGMENT = `mutation($name: String!, $query: String!) { segmentCreate(name: $name, query: $query) { segment { id name query } userErrors { field message } } }`;
const DEFINITION = `mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) { createdDefinition { id namespace key ownerType } userErrors { field message code } } }`;

const shop = () => env.store.shops.get(env.domain)!;

describe("flowTriggerReceive", () => {
  it("records a run for a deployed trigger with its properties", async () => {
    const payload = { customer_id: 11, code: "WB-1", expires_at: "2025-02-01T00:00:00Z" };
    const r = await env.gql(FLOW, { handle: "growthpilot-offer-issued", payload });
    expect(r.body.data.flowTriggerReceive.userErrors).toEqual([]);
    expect(appState(shop()).flowTriggerRuns).toEqual([
      { handle: "growthpilot-offer-issued", payload, receivedAt: "2025-01-01T00:00:00.000Z" },
    ]);
  });

  it("refuses an unknown handle, undeclared properties and payloads over 50 KB, recording nothing", async () => {
    const before = appState(shop()).flowTriggerRuns.length;
    const unknown = await env.gql(FLOW, { handle: "not-deployed", payload: {} });
    expect(unknown.body.data.flowTriggerReceive.userErrors[0]).toMatchObject({ field: ["handle"] });
    const extra = await env.gql(FLOW, {
      handle: "growthpilot-offer-issued",
      payload: { code: "X", email: "x@example.com" },
    });
    expect(extra.body.data.flowTriggerReceive.userErrors[0].message).toMatch(/email/);
    const big = await env.gql(FLOW, { handle: "growthpilot-offer-issued", payload: { code: "x".repeat(60_000) } });
    expect(big.body.data.flowTriggerReceive.userErrors[0].message).toMatch(/50 KB/);
    expect(appState(shop()).flowTriggerRuns.length).toBe(before);
  });
});

describe("segmentCreate", () => {
  it("creates a segment, refuses a duplicate name and an unknown filter", async () => {
    const ok = await env.gql(SEGMENT, { name: "Growthpilot: at risk", query: "customer_tags CONTAINS 'gp-at-risk'" });
    expect(ok.body.data.segmentCreate).toMatchObject({
      segment: { name: "Growthpilot: at risk", query: "customer_tags CONTAINS 'gp-at-risk'" },
      userErrors: [],
    });
    const dup = await env.gql(SEGMENT, { name: "growthpilot: AT RISK", query: "number_of_orders > 1" });
    expect(dup.body.data.segmentCreate).toEqual({
      segment: null,
      userErrors: [{ field: ["name"], message: "Name has already been taken." }],
    });
    const bad = await env.gql(SEGMENT, { name: "Other", query: "favourite_colour = 'red'" });
    expect(bad.body.data.segmentCreate.userErrors[0]).toMatchObject({ field: ["query"] });
  });
});

describe("metafieldDefinitionCreate", () => {
  it("creates once per owner type, namespace and key; TAKEN after", async () => {
    const d = {
      name: "Bought together",
      key: "bought_together",
      ownerType: "PRODUCT",
      type: "list.product_reference",
      access: { storefront: "PUBLIC_READ" },
    };
    const first = await env.gql(DEFINITION, { d });
    expect(first.body.data.metafieldDefinitionCreate).toMatchObject({
      createdDefinition: { namespace: "$app", key: "bought_together", ownerType: "PRODUCT" },
      userErrors: [],
    });
    const again = await env.gql(DEFINITION, { d });
    expect(again.body.data.metafieldDefinitionCreate.userErrors.map((e: { code: string }) => e.code)).toEqual([
      "TAKEN",
    ]);
    const onCustomers = await env.gql(DEFINITION, { d: { ...d, ownerType: "CUSTOMER" } });
    expect(onCustomers.body.data.metafieldDefinitionCreate.userErrors).toEqual([]);
    const invalid = await env.gql(DEFINITION, { d: { ...d, key: "x", type: "not_a_type" } });
    expect(invalid.body.data.metafieldDefinitionCreate.userErrors.map((e: { code: string }) => e.code).sort()).toEqual([
      "INCLUSION",
      "TOO_SHORT",
    ]);
  });
});
