import { z } from "zod";
import { customerFromRest, orderFromRest, productFromRest, refundFromRest, restGid } from "~/shopify/records.server";

/**
 * Checks a verified webhook payload before anything is written or enqueued: it must map through
 * the same record mappers the handlers use, and the records must fit the database (integers within
 * Postgres `integer`, text without NUL bytes or broken surrogates, timestamps Postgres accepts,
 * ids present). Shopify never sends such payloads, so a failure means a malformed or hostile
 * delivery: the route answers 400 and stores nothing, instead of a 500 that Shopify would retry
 * for 48 hours (and that would eventually get the subscription removed).
 *
 * Pure (no I/O), so the intake runs it too before enqueueing: a bad payload never reaches a worker.
 */
export class WebhookPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookPayloadError";
  }
}

const INT4 = z.number().int().min(-2_147_483_648).max(2_147_483_647);
/** Postgres text/jsonb cannot hold NUL; jsonb refuses unpaired surrogates. */
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
  tags: z.array(text),
  marketingState: text,
  shopifyCreated: iso,
  shopifyUpdated: iso,
});

const RefundSchema = z.object({
  orderGid: id,
  createdAt: iso,
  amountMinor: INT4,
  lines: z.array(z.object({ lineGid: id, quantity: INT4 })),
});

const GidSchema = id;
const GidListSchema = z.array(id);

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
    case "products/delete":
      return [GidSchema, restGid("Product", payload.id, payload.admin_graphql_api_id)];
    case "customers/delete":
      return [GidSchema, restGid("Customer", payload.id, payload.admin_graphql_api_id)];
    case "customers/redact":
    case "customers/data_request": {
      const ids = topic === "customers/redact" ? payload.orders_to_redact : payload.orders_requested;
      const customer = restGid("Customer", payload.customer?.id, payload.customer?.admin_graphql_api_id);
      return [z.tuple([GidSchema, GidListSchema]), [customer, (ids ?? []).map((i: number | string) => restGid("Order", i))]];
    }
    case "app/scopes_update":
      // The handler stores `current` joined with "," (non-arrays count as no scopes).
      return [text, Array.isArray(payload.current) ? payload.current.join(",") : ""];
    default:
      // app/uninstalled, shop/redact, bulk_operations/finish and unknown topics read nothing from the payload.
      return null;
  }
}

/** Throws {@link WebhookPayloadError} when `payload` (already HMAC-verified) cannot be applied. */
export function validateWebhookPayload(topic: string, payload: unknown): void {
  let check: ReturnType<typeof mapped>;
  try {
    check = mapped(topic, (payload ?? {}) as Json);
  } catch (error) {
    throw new WebhookPayloadError(`${topic}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!check) return;
  const [schema, value] = check;
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new WebhookPayloadError(`${topic}: ${issue.path.join(".") || "payload"} ${issue.message}`);
  }
}
