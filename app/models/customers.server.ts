import type { CustomerRecord } from "~/shopify/records/customers";
import { newestPerGid, type UpsertResult } from "./catalog.server";
import type { Db } from "./db-types.server";

/**
 * Customers. Email and names are PII: never logged, and once a customer is redacted
 * (customers/redact) no later sync or webhook writes them back.
 */

/**
 * Conditional upsert (older `updatedAt` never overwrites newer); redacted rows keep PII erased.
 * A record whose `tags` / `marketingState` is `undefined` (customers/* webhooks since 2025-01 carry
 * neither) keeps the stored value. Consent is only overwritten by a record at least as new as the
 * last consent change; a full tag list resets the tag clock, then newer tag events are re-applied.
 */
export async function upsertCustomers(prisma: Db, shop: string, records: CustomerRecord[]): Promise<UpsertResult> {
  if (records.length === 0) return { written: 0, skipped: 0 };
  const input = newestPerGid(records).map((r) => ({
    ...r,
    tags: r.tags ?? null,
    marketingState: r.marketingState ?? null,
  }));
  const rows = await prisma.$queryRawUnsafe<{ gid: string }[]>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(gid text, email text, "firstName" text, "lastName" text, tags text[],
         "marketingState" text, "shopifyCreated" timestamp(3), "shopifyUpdated" timestamp(3))
     )
     INSERT INTO "Customer" AS c (shop, gid, email, "firstName", "lastName", tags, "marketingState", "marketingUpdatedAt",
       "tagsAsOf", "shopifyCreated", "shopifyUpdated", "syncedAt")
     SELECT $1, gid, email, "firstName", "lastName", COALESCE(tags, '{}'), COALESCE("marketingState", 'NOT_SUBSCRIBED'),
       CASE WHEN "marketingState" IS NULL THEN NULL ELSE "shopifyUpdated" END,
       CASE WHEN tags IS NULL THEN NULL ELSE "shopifyUpdated" END, "shopifyCreated", "shopifyUpdated", now()
     FROM input
     ON CONFLICT (shop, gid) DO UPDATE SET
       email = CASE WHEN c."redactedAt" IS NULL THEN EXCLUDED.email END,
       "firstName" = CASE WHEN c."redactedAt" IS NULL THEN EXCLUDED."firstName" END,
       "lastName" = CASE WHEN c."redactedAt" IS NULL THEN EXCLUDED."lastName" END,
       tags = CASE WHEN (SELECT i.tags IS NOT NULL FROM input i WHERE i.gid = EXCLUDED.gid) THEN EXCLUDED.tags ELSE c.tags END,
       "tagsAsOf" = CASE WHEN (SELECT i.tags IS NOT NULL FROM input i WHERE i.gid = EXCLUDED.gid) THEN EXCLUDED."shopifyUpdated" ELSE c."tagsAsOf" END,
       "marketingState" = CASE
         WHEN (SELECT i."marketingState" IS NOT NULL FROM input i WHERE i.gid = EXCLUDED.gid)
          AND (c."marketingUpdatedAt" IS NULL OR c."marketingUpdatedAt" <= EXCLUDED."shopifyUpdated")
         THEN EXCLUDED."marketingState" ELSE c."marketingState" END,
       "marketingUpdatedAt" = CASE
         WHEN (SELECT i."marketingState" IS NOT NULL FROM input i WHERE i.gid = EXCLUDED.gid)
          AND (c."marketingUpdatedAt" IS NULL OR c."marketingUpdatedAt" <= EXCLUDED."shopifyUpdated")
         THEN EXCLUDED."shopifyUpdated" ELSE c."marketingUpdatedAt" END,
       "shopifyCreated" = EXCLUDED."shopifyCreated", "shopifyUpdated" = EXCLUDED."shopifyUpdated", "syncedAt" = now()
     WHERE c."shopifyUpdated" <= EXCLUDED."shopifyUpdated"
     RETURNING gid`,
    shop,
    JSON.stringify(input),
  );
  const withTags = input.filter((r) => r.tags !== null).map((r) => r.gid);
  if (withTags.length > 0) await reapplyTagClocks(prisma, shop, withTags);
  return { written: rows.length, skipped: records.length - rows.length };
}

type TagClock = Record<string, { at: string; present: boolean }>;

/** A full tag list as of `tagsAsOf` replaced the tags: re-apply tag events newer than it, drop older clock entries. */
async function reapplyTagClocks(prisma: Db, shop: string, gids: string[]): Promise<void> {
  const rows = await prisma.$queryRawUnsafe<
    { gid: string; tags: string[]; tagsAsOf: Date | null; tagClock: TagClock }[]
  >(
    `SELECT gid, tags, "tagsAsOf", "tagClock" FROM "Customer" WHERE shop = $1 AND gid = ANY($2::text[]) AND "tagClock" <> '{}'::jsonb FOR UPDATE`,
    shop,
    gids,
  );
  for (const row of rows) {
    const asOf = row.tagsAsOf?.getTime() ?? -Infinity;
    const tags = new Set(row.tags);
    const clock: TagClock = {};
    for (const [tag, entry] of Object.entries(row.tagClock)) {
      if (Date.parse(entry.at) <= asOf) continue;
      clock[tag] = entry;
      if (entry.present) tags.add(tag);
      else tags.delete(tag);
    }
    await prisma.customer.update({
      where: { shop_gid: { shop, gid: row.gid } },
      data: { tags: [...tags], tagClock: clock },
    });
  }
}

/**
 * A customer row for a tag/consent webhook that arrived before customers/create (Shopify does not
 * order deliveries): no PII, timestamps at the epoch, so the first real record overwrites every field
 * except what the tag/consent webhook set.
 */
async function lockOrCreateCustomer(prisma: Db, shop: string, gid: string) {
  const epoch = new Date(0);
  await prisma.customer.createMany({
    data: [{ shop, gid, shopifyCreated: epoch, shopifyUpdated: epoch }],
    skipDuplicates: true,
  });
  const [row] = await prisma.$queryRawUnsafe<
    { tags: string[]; tagsAsOf: Date | null; tagClock: TagClock; marketingUpdatedAt: Date | null }[]
  >(
    `SELECT tags, "tagsAsOf", "tagClock", "marketingUpdatedAt" FROM "Customer" WHERE shop = $1 AND gid = $2 FOR UPDATE`,
    shop,
    gid,
  );
  return row;
}

/**
 * customer.tags_added / customer.tags_removed. Out-of-order safe with a clock per tag: an event
 * changes a tag only when it is newer than the last full tag list (`tagsAsOf`) and than the last
 * event for that tag. Returns how many tags changed.
 * https://shopify.dev/docs/api/webhooks?reference=toml#list-customer.tags_added
 */
export async function applyCustomerTagEvent(
  prisma: Db,
  shop: string,
  event: { customerGid: string; tags: string[]; present: boolean; occurredAt: string },
): Promise<{ changed: number; stale: number }> {
  const row = await lockOrCreateCustomer(prisma, shop, event.customerGid);
  const at = Date.parse(event.occurredAt);
  const asOf = row.tagsAsOf?.getTime() ?? -Infinity;
  const tags = new Set(row.tags);
  const clock: TagClock = { ...row.tagClock };
  let changed = 0;
  let stale = 0;
  for (const tag of new Set(event.tags.map((t) => t.trim()).filter((t) => t.length > 0))) {
    const last = clock[tag] ? Date.parse(clock[tag].at) : -Infinity;
    if (at <= asOf || at < last) {
      stale++;
      continue;
    }
    clock[tag] = { at: new Date(at).toISOString(), present: event.present };
    if (event.present !== tags.has(tag)) changed++;
    if (event.present) tags.add(tag);
    else tags.delete(tag);
  }
  await prisma.customer.update({
    where: { shop_gid: { shop, gid: event.customerGid } },
    data: { tags: [...tags], tagClock: clock },
  });
  return { changed, stale };
}

/**
 * customers_email_marketing_consent/update: sets the consent state unless a newer one is stored.
 * `at` is the payload's `consent_updated_at`, else the delivery's X-Shopify-Triggered-At.
 */
export async function applyCustomerConsent(
  prisma: Db,
  shop: string,
  event: { customerGid: string; marketingState: string; at: Date },
): Promise<{ applied: boolean }> {
  const row = await lockOrCreateCustomer(prisma, shop, event.customerGid);
  if (row.marketingUpdatedAt && row.marketingUpdatedAt.getTime() > event.at.getTime()) return { applied: false };
  await prisma.customer.update({
    where: { shop_gid: { shop, gid: event.customerGid } },
    data: { marketingState: event.marketingState, marketingUpdatedAt: event.at },
  });
  return { applied: true };
}

/** Deletes a customer row (customers/delete). Orders keep their customer GID. */
export async function deleteCustomer(prisma: Db, shop: string, gid: string): Promise<boolean> {
  const { count } = await prisma.customer.deleteMany({ where: { shop, gid } });
  return count > 0;
}

/**
 * Erases a customer's PII (customers/redact): email and names on the customer, email, note
 * attributes and line properties on the given orders (plus every order linked to the customer),
 * and every derived score and recommendation about them. The row stays, marked `redactedAt`, so order history and counts stay consistent.
 */
export async function redactCustomer(
  prisma: Db,
  shop: string,
  customerGid: string,
  orderGids: string[],
  redactedAt: Date,
): Promise<{
  customer: boolean;
  orders: number;
  scores: number;
  recommendations: number;
  assignments: number;
  dataRequests: number;
}> {
  const { count: customer } = await prisma.customer.updateMany({
    where: { shop, gid: customerGid },
    data: { email: null, firstName: null, lastName: null, redactedAt },
  });
  // Note attributes and line properties are free text the buyer typed (gift notes, engravings).
  const orderWhere = { shop, OR: [{ customerGid }, { gid: { in: orderGids } }] };
  const { count: orders } = await prisma.order.updateMany({ where: orderWhere, data: { email: null, attributes: [] } });
  const redactedOrders = (await prisma.order.findMany({ where: orderWhere, select: { gid: true } })).map((o) => o.gid);
  await prisma.orderLine.updateMany({ where: { shop, orderGid: { in: redactedOrders } }, data: { properties: [] } });
  const { count: scores } = await prisma.customerScore.deleteMany({ where: { shop, customerGid } });
  const { count: recommendations } = await prisma.recommendation.deleteMany({
    where: { shop, subject: customerGid },
  });
  // Automation assignments (arm, code) are derived personal data too; measurement loses one row.
  const { count: assignments } = await prisma.automationAssignment.deleteMany({ where: { shop, customerGid } });
  // A pending data-request export is a copy of the customer's data: erased with it.
  const { count: dataRequests } = await prisma.dataRequest.deleteMany({ where: { shop, customerGid } });
  return { customer: customer > 0, orders, scores, recommendations, assignments, dataRequests };
}

/** Everything stored about one customer (customers/data_request). Contains PII: never log it. */
export async function collectCustomerData(
  prisma: Db,
  shop: string,
  customerGid: string,
  extraOrderGids: string[] = [],
) {
  const [customer, orders, score, recommendations, automationAssignments] = await Promise.all([
    prisma.customer.findUnique({ where: { shop_gid: { shop, gid: customerGid } } }),
    prisma.order.findMany({
      where: { shop, OR: [{ customerGid }, { gid: { in: extraOrderGids } }] },
      include: { lines: true },
      orderBy: { shopifyCreated: "asc" },
    }),
    prisma.customerScore.findUnique({ where: { shop_customerGid: { shop, customerGid } } }),
    prisma.recommendation.findMany({ where: { shop, subject: customerGid } }),
    prisma.automationAssignment.findMany({ where: { shop, customerGid } }),
  ]);
  return { customer, orders, score, recommendations, automationAssignments };
}

export async function countCustomers(prisma: Db, shop: string): Promise<number> {
  return prisma.customer.count({ where: { shop } });
}
