import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureStore } from "./fixtures.js";
import { redeemCode } from "../../devstore/mutations/index.js";

let env: Awaited<ReturnType<typeof startFixtureStore>>;
beforeAll(async () => {
  env = await startFixtureStore();
});
afterAll(async () => env.store.close());

const CREATE = `mutation($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) {
  codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title status usageLimit appliesOncePerCustomer asyncUsageCount
    codes(first: 5) { nodes { code } } customerSelection { ... on DiscountCustomers { customers { id } } }
    customerGets { value { ... on DiscountPercentage { percentage } } } } } }
  userErrors { field message code } } }`;

function input(code: string, extra: Record<string, unknown> = {}) {
  return {
    title: `Win back ${code}`,
    code,
    startsAt: "2024-12-01T00:00:00Z",
    endsAt: "2025-02-01T00:00:00Z",
    usageLimit: 1,
    appliesOncePerCustomer: true,
    customerSelection: { customers: { add: ["gid://shopify/Customer/11"] } },
    customerGets: { value: { percentage: 0.15 }, items: { all: true } },
    combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
    ...extra,
  };
}

describe("discounts", () => {
  it("creates a customer-scoped single-use code and rejects a duplicate with TAKEN", async () => {
    const created = await env.gql(CREATE, { input: input("WB-ABC") });
    const payload = created.body.data.discountCodeBasicCreate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.codeDiscountNode.codeDiscount).toMatchObject({
      title: "Win back WB-ABC",
      status: "ACTIVE",
      usageLimit: 1,
      appliesOncePerCustomer: true,
      asyncUsageCount: 0,
      codes: { nodes: [{ code: "WB-ABC" }] },
      customerSelection: { customers: [{ id: "gid://shopify/Customer/11" }] },
      customerGets: { value: { percentage: 0.15 } },
    });
    const dup = await env.gql(CREATE, { input: input("wb-abc") });
    expect(dup.body.data.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [
        {
          field: ["basicCodeDiscount", "code"],
          message: "Code must be unique. Please try a different code.",
          code: "TAKEN",
        },
      ],
    });
    const shop = env.store.shops.get(env.domain)!;
    expect(redeemCode(shop, "WB-ABC", env.now(), "gid://shopify/Customer/12")).toBe(false); // not this customer
    expect(redeemCode(shop, "WB-ABC", env.now(), "gid://shopify/Customer/11")).toBe(true);
    expect(redeemCode(shop, "WB-ABC", env.now(), "gid://shopify/Customer/11")).toBe(false); // usage limit 1
  });

  it("validates dates and percentage ranges", async () => {
    const bad = await env.gql(CREATE, {
      input: input("X1", { endsAt: "2024-01-01T00:00:00Z", customerGets: { value: { percentage: 1.5 } } }),
    });
    expect(bad.body.data.discountCodeBasicCreate.userErrors.map((e: { code: string }) => e.code)).toEqual([
      "END_DATE_BEFORE_START_DATE",
      "VALUE_OUTSIDE_RANGE",
    ]);
  });

  it("bulk-adds redeem codes, reporting per-code failures, then deactivates and deletes", async () => {
    const created = await env.gql(CREATE, { input: input("BULK-0") });
    const id = created.body.data.discountCodeBasicCreate.codeDiscountNode.id;
    // A code another discount already holds (made here, so this test needs no other test's codes).
    expect(
      (await env.gql(CREATE, { input: input("BULK-TAKEN") })).body.data.discountCodeBasicCreate.userErrors,
    ).toEqual([]);
    const add = await env.gql(
      `mutation($id: ID!, $codes: [DiscountRedeemCodeInput!]!) { discountRedeemCodeBulkAdd(discountId: $id, codes: $codes) {
      bulkCreation { id done importedCount failedCount } userErrors { message } } }`,
      { id, codes: [{ code: "BULK-1" }, { code: "BULK-2" }, { code: "BULK-TAKEN" }] },
    );
    const creation = add.body.data.discountRedeemCodeBulkAdd.bulkCreation;
    expect(creation).toMatchObject({ done: true, importedCount: 2, failedCount: 1 });
    const query = await env.gql(
      `query($id: ID!) { discountRedeemCodeBulkCreation(id: $id) { codes(first: 5) { nodes { code errors { code } } } } }`,
      { id: creation.id },
    );
    expect(query.body.data.discountRedeemCodeBulkCreation.codes.nodes[2]).toEqual({
      code: "BULK-TAKEN",
      errors: [{ code: "TAKEN" }],
    });
    const deact = await env.gql(
      `mutation($id: ID!) { discountCodeDeactivate(id: $id) { codeDiscountNode { codeDiscount { ... on DiscountCodeBasic { status } } } userErrors { message } } }`,
      { id },
    );
    expect(deact.body.data.discountCodeDeactivate.codeDiscountNode.codeDiscount.status).toBe("EXPIRED");
    const del = await env.gql(
      `mutation($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { message code } } }`,
      { id },
    );
    expect(del.body.data.discountCodeDelete).toEqual({ deletedCodeDiscountId: id, userErrors: [] });
    const again = await env.gql(
      `mutation($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { field code } } }`,
      { id },
    );
    expect(again.body.data.discountCodeDelete.userErrors).toEqual([{ field: ["id"], code: "INVALID" }]);
  });
});

describe("tags and metafields", () => {
  it("adds and removes tags on customers, products and orders", async () => {
    const add = await env.gql(
      `mutation { tagsAdd(id: "gid://shopify/Customer/11", tags: ["vip, winback", "vip"]) { node { ... on Customer { tags } } userErrors { field message } } }`,
    );
    expect(add.body.data.tagsAdd).toEqual({ node: { tags: ["vip", "winback"] }, userErrors: [] });
    const rm = await env.gql(
      `mutation { tagsRemove(id: "gid://shopify/Customer/11", tags: ["vip"]) { node { ... on Customer { tags } } userErrors { message } } }`,
    );
    expect(rm.body.data.tagsRemove.node.tags).toEqual(["winback"]);
    const order = await env.gql(
      `mutation { tagsAdd(id: "gid://shopify/Order/21", tags: ["gp"]) { node { ... on Order { tags } } userErrors { message } } }`,
    );
    expect(order.body.data.tagsAdd.node.tags).toEqual(["gp"]);
    const missing = await env.gql(
      `mutation { tagsAdd(id: "gid://shopify/Customer/999", tags: ["x"]) { node { id } userErrors { field message } } }`,
    );
    expect(missing.body.data.tagsAdd.userErrors[0].field).toEqual(["id"]);
  });

  it("sets metafields atomically with typed validation and reads them back", async () => {
    const SET = `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { key namespace value type owner { ... on Product { id } } } userErrors { field message code elementIndex } } }`;
    const ok = await env.gql(SET, {
      m: [
        {
          ownerId: "gid://shopify/Product/1",
          namespace: "$app",
          key: "bought_together",
          type: "list.product_reference",
          value: '["gid://shopify/Product/3"]',
        },
      ],
    });
    expect(ok.body.data.metafieldsSet.userErrors).toEqual([]);
    expect(ok.body.data.metafieldsSet.metafields[0].owner).toEqual({ id: "gid://shopify/Product/1" });
    const bad = await env.gql(SET, {
      m: [
        { ownerId: "gid://shopify/Product/1", key: "ok_key", type: "number_integer", value: "3" },
        { ownerId: "gid://shopify/Product/1", key: "score", type: "number_integer", value: "abc" },
        { ownerId: "gid://shopify/Customer/999", key: "code", type: "single_line_text_field", value: "x" },
      ],
    });
    expect(bad.body.data.metafieldsSet.metafields).toBeNull();
    expect(bad.body.data.metafieldsSet.userErrors).toMatchObject([
      { field: ["metafields", "1", "value"], code: "INVALID_VALUE", elementIndex: 1 },
      { field: ["metafields", "2", "ownerId"], code: "INVALID", elementIndex: 2 },
    ]);
    const read = await env.gql(
      `{ product(id: "gid://shopify/Product/1") { metafield(key: "bought_together") { value } metafields(first: 10) { nodes { key } } } }`,
    );
    expect(read.body.data.product).toEqual({
      metafield: { value: '["gid://shopify/Product/3"]' },
      metafields: { nodes: [{ key: "bought_together" }] },
    });
    const del = await env.gql(
      `mutation { metafieldsDelete(metafields: [{ ownerId: "gid://shopify/Product/1", namespace: "$app", key: "bought_together" }, { ownerId: "gid://shopify/Product/1", namespace: "$app", key: "nope" }]) { deletedMetafields { key } userErrors { message } } }`,
    );
    expect(del.body.data.metafieldsDelete.deletedMetafields).toEqual([{ key: "bought_together" }, null]);
  });

  it("answers NOT_IMPLEMENTED for a valid mutation the stand-in lacks", async () => {
    const r = await env.gql(
      `mutation { productDelete(input: { id: "gid://shopify/Product/1" }) { deletedProductId } }`,
    );
    expect(r.body.errors[0].extensions.code).toBe("NOT_IMPLEMENTED");
  });
});
