import fc from "fast-check";

/** Valid REST webhook payloads (the shapes Shopify sends), to be mutated by {@link jsonMutation}. */
export function orderPayload(id: number) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    email: "buyer@example.com",
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-01T10:00:00Z",
    processed_at: "2026-11-01T10:00:00Z",
    cancelled_at: null,
    financial_status: "paid",
    currency: "USD",
    subtotal_price: "20.00",
    total_price: "25.00",
    total_discounts: "0.00",
    total_tax: "0.00",
    total_shipping_price_set: { shop_money: { amount: "5.00", currency_code: "USD" } },
    discount_codes: [{ code: "WELCOME", amount: "0.00", type: "percentage" }],
    note_attributes: [{ name: "gift", value: "yes" }],
    line_items: [
      {
        id: id * 10,
        admin_graphql_api_id: `gid://shopify/LineItem/${id * 10}`,
        sku: "TEA",
        name: "Tea",
        quantity: 2,
        price: "10.00",
        variant_id: 5,
        product_id: 6,
        properties: [{ name: "engraving", value: "hi" }],
        discount_allocations: [],
      },
    ],
    refunds: [],
    customer: { id: 77, admin_graphql_api_id: "gid://shopify/Customer/77", email: "buyer@example.com" },
  };
}

export function productPayload(id: number) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Product/${id}`,
    title: "Tea",
    handle: "tea",
    product_type: "Drinks",
    vendor: "Leafy",
    tags: "tea, green",
    status: "active",
    published_at: "2026-10-01T00:00:00Z",
    created_at: "2026-10-01T00:00:00Z",
    updated_at: "2026-11-01T00:00:00Z",
    variants: [
      { id: id * 10, sku: "TEA", title: "Default Title", price: "10.00", compare_at_price: null, inventory_quantity: 5, inventory_policy: "deny", updated_at: "2026-11-01T00:00:00Z" },
    ],
  };
}

export function customerPayload(id: number) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    email: "c@example.com",
    first_name: "Cee",
    last_name: "Dee",
    tags: "vip",
    email_marketing_consent: { state: "subscribed" },
    created_at: "2026-10-01T00:00:00Z",
    updated_at: "2026-11-01T00:00:00Z",
  };
}

export function refundPayload(orderId: number) {
  return {
    id: 900,
    order_id: orderId,
    created_at: "2026-11-03T00:00:00Z",
    refund_line_items: [{ line_item_id: orderId * 10, quantity: 1, subtotal: "10.00" }],
    transactions: [{ kind: "refund", status: "success", amount: "10.00" }],
  };
}

/** JSON values a broken or hostile sender could put in any field. */
export const nastyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null, "", " ", "abc", "12.3.4", "1e400", "-1", "NaN", "Infinity", "0x10", "2026-13-45T99:00:00Z", "not a date", "\u0000", "a\u0000b", "\ud800",
    -1, 0, 1.5, -0.01, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e308, Number.MAX_SAFE_INTEGER, true, false, [], {}, [null], [{}], { shop_money: {} },
    "x".repeat(10_000), "gid://shopify/Order/", "gid://other/Thing/1", "../../etc/passwd",
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

type Json = unknown;

/** Paths to every node of a JSON value (objects and arrays), root excluded. */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([...prefix, i]), paths(v, [...prefix, i], out)));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push([...prefix, k]), paths(v, [...prefix, k], out);
  return out;
}

function setAt(value: Json, path: (string | number)[], replace: (old: Json) => Json | typeof DELETE): Json {
  if (path.length === 0) return replace(value) as Json;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const next = setAt(copy[head as number], rest, replace);
    if (next === DELETE) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  if (value && typeof value === "object") {
    const copy: Record<string, Json> = { ...(value as Record<string, Json>) };
    const next = setAt(copy[head as string], rest, replace);
    if (next === DELETE) delete copy[head as string];
    else copy[head as string] = next;
    return copy;
  }
  return value;
}
const DELETE = Symbol("delete");

/** Replace, delete, or duplicate-into-array a random node of a payload. */
export const jsonMutation: fc.Arbitrary<(value: Json) => Json> = fc
  .tuple(fc.nat(), fc.constantFrom("replace", "replace", "replace", "delete", "wrap"), nastyJson)
  .map(([n, op, replacement]) => (value: Json) => {
    const all = paths(value);
    if (all.length === 0) return value;
    const path = all[n % all.length];
    return setAt(value, path, (old) => (op === "delete" ? DELETE : op === "wrap" ? [old, old] : replacement));
  });
