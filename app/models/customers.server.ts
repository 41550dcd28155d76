import type { CustomerRecord } from "~/shopify/records.server";
import { newestPerGid, type UpsertResult } from "./catalog.server";
import type { Db } from "./db-types.server";

/**
 * Customers. Email and names are PII: never logged, and once a customer is redacted
 * (customers/redact) no later sync or webhook writes them back.
 */

/** Conditional upsert (older `updatedAt` never overwrites newer); redacted rows keep PII erased. */
export async function upsertCustomers(prisma: Db, shop: string, records: CustomerRecord[]): Promise<UpsertResult> {
  if (records.length === 0) return { written: 0, skipped: 0 };
  const input = newestPerGid(records);
  const count = await prisma.$executeRawUnsafe(
    `INSERT INTO "Customer" AS c (shop, gid, email, "firstName", "lastName", tags, "marketingState",
       "shopifyCreated", "shopifyUpdated", "syncedAt")
     SELECT $1, gid, email, "firstName", "lastName", tags, "marketingState", "shopifyCreated", "shopifyUpdated", now()
     FROM jsonb_to_recordset($2::jsonb) AS x(gid text, email text, "firstName" text, "lastName" text, tags text[],
       "marketingState" text, "shopifyCreated" timestamp(3), "shopifyUpdated" timestamp(3))
     ON CONFLICT (shop, gid) DO UPDATE SET
       email = CASE WHEN c."redactedAt" IS NULL THEN EXCLUDED.email END,
       "firstName" = CASE WHEN c."redactedAt" IS NULL THEN EXCLUDED."firstName" END,
       "lastName" = CASE WHEN c."redactedAt" IS NULL THEN EXCLUDED."lastName" END,
       tags = EXCLUDED.tags, "marketingState" = EXCLUDED."marketingState",
       "shopifyCreated" = EXCLUDED."shopifyCreated", "shopifyUpdated" = EXCLUDED."shopifyUpdated", "syncedAt" = now()
     WHERE c."shopifyUpdated" <= EXCLUDED."shopifyUpdated"`,
    shop,
    JSON.stringify(input),
  );
  return { written: count, skipped: records.length - count };
}

/** Deletes a customer row (customers/delete). Orders keep their customer GID. */
export async function deleteCustomer(prisma: Db, shop: string, gid: string): Promise<boolean> {
  const { count } = await prisma.customer.deleteMany({ where: { shop, gid } });
  return count > 0;
}

/**
 * Erases a customer's PII (customers/redact): email and names on the customer and on the given
 * orders (plus every order linked to the customer), and every derived score and recommendation
 * about them. The row stays, marked `redactedAt`, so order history and counts stay consistent.
 */
export async function redactCustomer(
  prisma: Db,
  shop: string,
  customerGid: string,
  orderGids: string[],
  redactedAt: Date,
): Promise<{ customer: boolean; orders: number; scores: number; recommendations: number; assignments: number }> {
  const { count: customer } = await prisma.customer.updateMany({
    where: { shop, gid: customerGid },
    data: { email: null, firstName: null, lastName: null, redactedAt },
  });
  const { count: orders } = await prisma.order.updateMany({
    where: { shop, OR: [{ customerGid }, { gid: { in: orderGids } }] },
    data: { email: null },
  });
  const { count: scores } = await prisma.customerScore.deleteMany({ where: { shop, customerGid } });
  const { count: recommendations } = await prisma.recommendation.deleteMany({
    where: { shop, subject: customerGid },
  });
  // Automation assignments (arm, code) are derived personal data too; measurement loses one row.
  const { count: assignments } = await prisma.automationAssignment.deleteMany({ where: { shop, customerGid } });
  return { customer: customer > 0, orders, scores, recommendations, assignments };
}

/** Everything stored about one customer (customers/data_request). Contains PII: never log it. */
export async function collectCustomerData(prisma: Db, shop: string, customerGid: string, extraOrderGids: string[] = []) {
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
