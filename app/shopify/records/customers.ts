import { z } from "zod";
import { requiredIso, restGid, toTags, type Json } from "./scalars";
import { id, iso, text } from "./storable";

export const CustomerRecordSchema = z.object({
  gid: id,
  email: text.nullable(),
  firstName: text.nullable(),
  lastName: text.nullable(),
  /** `undefined`: the source does not carry tags (customers/* webhooks since 2025-01) — keep stored ones. */
  tags: z.array(text).optional(),
  /** `undefined`: the source does not carry consent (customers/* webhooks since 2025-01) — keep stored. */
  marketingState: text.optional(),
  shopifyCreated: iso,
  shopifyUpdated: iso,
});
export type CustomerRecord = z.infer<typeof CustomerRecordSchema>;

/** Customer node (bulk JSONL line / reconcile page) → record. */
export function customerFromGraphql(node: Json): CustomerRecord {
  const email = node.defaultEmailAddress?.emailAddress ?? node.email ?? null;
  return {
    gid: node.id,
    email: email ? String(email).toLowerCase() : null,
    firstName: node.firstName ?? null,
    lastName: node.lastName ?? null,
    tags: toTags(node.tags),
    // Read without protected customer fields (not approved) the export has no `defaultEmailAddress`
    // at all: consent is then unknown and the stored state is kept (undefined), not reset.
    marketingState:
      "defaultEmailAddress" in node ? (node.defaultEmailAddress?.marketingState ?? "NOT_SUBSCRIBED") : undefined,
    shopifyCreated: requiredIso(node.createdAt, "customer.createdAt"),
    shopifyUpdated: requiredIso(node.updatedAt, "customer.updatedAt"),
  };
}

/**
 * customers/create|update. Since API 2025-01 these carry no `tags` and no `email_marketing_consent`
 * (they moved to customer.tags_added/removed and customers_email_marketing_consent/update):
 * absent → `undefined`, so the upsert keeps what is stored instead of erasing tags and consent.
 * https://shopify.dev/changelog/new-customer-s-webhook-and-changes-to-existing-customer-s-webhooks-payload
 */
export function customerFromRest(c: Json): CustomerRecord {
  const email = c.email ?? null;
  return {
    gid: restGid("Customer", c.id, c.admin_graphql_api_id)!,
    email: email ? String(email).toLowerCase() : null,
    firstName: c.first_name ?? null,
    lastName: c.last_name ?? null,
    tags: c.tags === undefined ? undefined : toTags(c.tags),
    marketingState: c.email_marketing_consent?.state ? restConsentState(c.email_marketing_consent.state) : undefined,
    shopifyCreated: requiredIso(c.created_at, "customer.created_at"),
    shopifyUpdated: requiredIso(c.updated_at, "customer.updated_at"),
  };
}

/** REST consent state ("subscribed", "not_subscribed", …) → the GraphQL enum the app stores. */
export function restConsentState(state: string): string {
  return String(state).toUpperCase();
}
