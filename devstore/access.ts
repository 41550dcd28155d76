/**
 * What the app installed on the stand-in may read, beyond its access scopes' object types:
 * protected customer fields (Level 2) and order history older than 60 days.
 *
 * - Protected customer fields. An app approved for protected customer data but not for the
 *   name/email/phone/address fields gets those fields redacted: GraphQL answers HTTP 200, the
 *   field is `null` and `errors` carries "This app is not approved to access the Customer object.
 *   See https://partners.shopify.com/<org>/apps/<app>/customer_data for more details." with the
 *   field's `path` (https://shopify.dev/docs/apps/launch/protected-customer-data#example-api-requests-for-protected-customer-data).
 *   Shopify's access errors carry `extensions.code: "ACCESS_DENIED"` (the documented example elides
 *   `extensions`; the scope-denial shape shows the code). In a bulk query the whole operation
 *   ends FAILED with `errorCode: ACCESS_DENIED` ("returned access denied due to missing access
 *   scopes … execute the query as a normal non-bulk GraphQL request to see more details" —
 *   `BulkOperationErrorCode.ACCESS_DENIED` in the pinned 2026-10 schema).
 * - Order history. "Only the last 60 days' worth of orders from a store are accessible from the
 *   Order object by default" unless the app holds `read_all_orders`
 *   (https://shopify.dev/docs/api/admin-graphql/latest/objects/Order, note). Applied to every way
 *   the stand-in hands out orders: `orders`, bulk `orders`, `order(id:)`, `node(s)`, `Customer.orders`.
 */
import { GraphQLError } from "graphql";
import type { DsOrder } from "./model.js";
import { DAY_MS } from "../app/analytics/time";

export interface AccessConfig {
  /** Comma-separated scopes granted by token exchange (and the ones `read_all_orders` is looked up in). */
  scopes: string;
  /** Level 2 protected customer fields (name, email, phone, address) approved. */
  protectedCustomerFields: boolean;
}

/** Fields Shopify treats as Level 2 protected customer fields, by type (nullable ones only). */
export const PROTECTED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Customer: ["email", "firstName", "lastName", "phone", "defaultAddress", "defaultEmailAddress", "defaultPhoneNumber"],
  Order: ["email", "phone", "billingAddress", "shippingAddress"],
};

const ORDER_WINDOW_MS = 60 * DAY_MS;

export function hasScope(access: AccessConfig, scope: string): boolean {
  return access.scopes
    .split(",")
    .map((s) => s.trim())
    .includes(scope);
}

/** Oldest visible order creation time (ms), or null when every order is visible. */
export function orderWindowStart(access: AccessConfig, nowMs: number): number | null {
  return hasScope(access, "read_all_orders") ? null : nowMs - ORDER_WINDOW_MS;
}

export function orderVisible(access: AccessConfig, nowMs: number, order: Pick<DsOrder, "createdAt">): boolean {
  const start = orderWindowStart(access, nowMs);
  return start === null || Date.parse(order.createdAt) >= start;
}

/** True when `typeName.fieldName` is a protected field the app may not read. */
export function fieldDenied(access: AccessConfig, typeName: string, fieldName: string): boolean {
  return !access.protectedCustomerFields && (PROTECTED_FIELDS[typeName]?.includes(fieldName) ?? false);
}

/** The resolver error for a redacted field; the executor keeps its path (Shopify's shape). */
export function accessDeniedError(apiKey: string): GraphQLError {
  return new GraphQLError(
    `This app is not approved to access the Customer object. See https://partners.shopify.com/1/apps/${encodeURIComponent(apiKey)}/customer_data for more details.`,
    {
      extensions: {
        code: "ACCESS_DENIED",
        documentation: "https://shopify.dev/docs/apps/launch/protected-customer-data",
      },
    },
  );
}

/** Thrown by a bulk export whose query touched a denied field: the op ends FAILED / ACCESS_DENIED. */
export class BulkAccessDeniedError extends Error {
  constructor() {
    super("ACCESS_DENIED");
    this.name = "BulkAccessDeniedError";
  }
}

/** REST webhook keys holding Level 2 protected customer fields (customer, order and consent payloads). */
const PROTECTED_WEBHOOK_KEYS = new Set([
  "email",
  "contact_email",
  "email_address",
  "first_name",
  "last_name",
  "phone",
  "default_address",
  "billing_address",
  "shipping_address",
]);

/**
 * A webhook payload as an app without protected-field approval receives it: "Responses will
 * include only approved fields, and unapproved fields will be redacted" — for API requests and
 * webhooks alike (https://shopify.dev/docs/apps/launch/protected-customer-data#using-protected-customer-data).
 * Redacted values are null (`addresses` empty), at any depth (an order's `customer`).
 */
export function redactProtectedFields(payload: unknown): unknown {
  if (Array.isArray(payload)) return payload.map(redactProtectedFields);
  if (!payload || typeof payload !== "object") return payload;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (PROTECTED_WEBHOOK_KEYS.has(key)) out[key] = null;
    else if (key === "addresses") out[key] = [];
    else out[key] = redactProtectedFields(value);
  }
  return out;
}
