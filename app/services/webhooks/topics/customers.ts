import { z } from "zod";
import {
  applyCustomerConsent,
  applyCustomerTagEvent,
  deleteCustomer,
  upsertCustomers,
} from "~/models/customers.server";
import { customerFromRest, CustomerRecordSchema, restConsentState } from "~/shopify/records/customers";
import { restGid } from "~/shopify/records/scalars";
import { id, iso, text } from "~/shopify/records/storable";
import { deletedBody, gidOf, restId, timestamp } from "./rest";
import { defineTopic } from "./types";

/**
 * customers/create|update: since API 2025-01 no `tags` and no `email_marketing_consent` — both
 * optional here, and the mapper leaves them `undefined` (keep what is stored) when absent; they
 * have their own topics below, with their own clocks (D11).
 * https://shopify.dev/changelog/new-customer-s-webhook-and-changes-to-existing-customer-s-webhooks-payload
 */
const customerBody = z
  .object({
    id: restId,
    admin_graphql_api_id: gidOf("Customer").optional(),
    created_at: timestamp,
    updated_at: timestamp,
    // An order body is not a customer body (the topic header is not signed).
    line_items: z.undefined(),
  })
  .passthrough();

const customerUpsert = defineTopic({
  schema: customerBody,
  map: (body) => customerFromRest(body),
  records: CustomerRecordSchema,
  async apply({ prisma }, { shop }, customer) {
    const r = await upsertCustomers(prisma, shop, [customer]);
    return { customer: customer.gid, written: r.written, staleIgnored: r.skipped };
  },
  // A customer created with orders already (an import) gets a score; an update re-dates nothing
  // but is cheap to follow, and keeps one rule: a customer webhook refreshes that customer.
  customerOf: async (_prisma, _shop, customer) => customer.gid,
});

const customerDelete = defineTopic({
  schema: deletedBody("Customer"),
  map: (body) => ({ gid: restGid("Customer", body.id, body.admin_graphql_api_id)! }),
  records: z.object({ gid: id }),
  async apply({ prisma }, { shop }, { gid }) {
    return { customer: gid, deleted: await deleteCustomer(prisma, shop, gid) };
  },
});

/** https://shopify.dev/docs/api/webhooks?reference=toml#list-customers_email_marketing_consent-update */
const consentBody = z
  .object({
    customer_id: restId,
    email_marketing_consent: z
      .object({ state: z.string(), opt_in_level: z.string().nullish(), consent_updated_at: timestamp.nullish() })
      .passthrough(),
  })
  .passthrough();

const ConsentEventSchema = z.object({ customerGid: id, state: text, at: iso.nullish() });

const consentUpdate = defineTopic({
  schema: consentBody,
  map: (body) => ({
    customerGid: restGid("Customer", body.customer_id)!,
    state: body.email_marketing_consent.state,
    at: body.email_marketing_consent.consent_updated_at,
  }),
  records: ConsentEventSchema,
  async apply({ prisma }, { shop, triggeredAt }, consent) {
    // consent_updated_at is the consent's own clock; Shopify may send null, then the delivery's trigger time.
    const at = consent.at ? new Date(consent.at) : triggeredAt;
    const r = await applyCustomerConsent(prisma, shop, {
      customerGid: consent.customerGid,
      marketingState: restConsentState(consent.state),
      at,
    });
    return { customer: consent.customerGid, applied: r.applied };
  },
});

/** customer.tags_added / customer.tags_removed: GraphQL-style body (`customerId` GID, `occurredAt`). */
const tagsBody = z
  .object({ customerId: gidOf("Customer"), tags: z.array(z.string()), occurredAt: timestamp })
  .passthrough();

/** Shopify's tag limit is 255 characters. */
const TagEventSchema = z.object({
  customerGid: id,
  tags: z.array(text.pipe(z.string().max(255))),
  present: z.boolean(),
  occurredAt: iso,
});

/** Tags converge per tag by `occurredAt`, whatever order the add/remove events arrive in (D11). */
const tagEvent = (present: boolean) =>
  defineTopic({
    schema: tagsBody,
    map: (body) => ({ customerGid: body.customerId, tags: body.tags, present, occurredAt: body.occurredAt }),
    records: TagEventSchema,
    async apply({ prisma }, { shop }, event) {
      const r = await applyCustomerTagEvent(prisma, shop, event);
      return { customer: event.customerGid, changed: r.changed, staleIgnored: r.stale };
    },
  });

export const CUSTOMER_TOPICS = {
  "customers/create": customerUpsert,
  "customers/update": customerUpsert,
  "customers/delete": customerDelete,
  // Since API 2025-01 customers/create|update carry no tags and no consent; these topics do.
  // https://shopify.dev/changelog/new-customer-s-webhook-and-changes-to-existing-customer-s-webhooks-payload
  "customers_email_marketing_consent/update": consentUpdate,
  "customer.tags_added": tagEvent(true),
  "customer.tags_removed": tagEvent(false),
};
