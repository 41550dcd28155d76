import type { Db } from "./db-types.server";

/**
 * Tagging runs ("tag these customers in Shopify"): one `SyncRun` row per run (resource
 * `customer_tags`, kind `TAGS`), so progress and failures show up like any other background work
 * and survive a restart. `linesTotal` = customers to tag, `linesProcessed` = done so far.
 */
export const TAG_RUN_RESOURCE = "customer_tags";

export async function createTagRun(db: Db, shop: string, total: number) {
  return db.syncRun.create({
    data: { shop, resource: TAG_RUN_RESOURCE, kind: "TAGS", status: "RUNNING", linesTotal: total },
  });
}

export async function advanceTagRun(db: Db, shop: string, id: string, processed: number) {
  await db.syncRun.updateMany({ where: { shop, id }, data: { linesProcessed: processed, rowsUpserted: processed } });
}

export async function finishTagRun(db: Db, shop: string, id: string, status: "COMPLETED" | "FAILED", error?: string) {
  await db.syncRun.updateMany({ where: { shop, id }, data: { status, error: error ?? null, finishedAt: new Date() } });
}

export async function latestTagRun(db: Db, shop: string) {
  return db.syncRun.findFirst({
    where: { shop, resource: TAG_RUN_RESOURCE },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
  });
}

/**
 * Mirrors a successful `tagsAdd` locally so the admin shows the tag at once (the customers/update
 * webhook that Shopify sends afterwards writes the same state again).
 */
export async function addLocalCustomerTag(db: Db, shop: string, gids: string[], tag: string) {
  if (gids.length === 0) return;
  await db.$executeRawUnsafe(
    `UPDATE "Customer" SET tags = array_append(tags, $3) WHERE shop = $1 AND gid = ANY($2::text[]) AND NOT ($3 = ANY(tags))`,
    shop,
    gids,
    tag,
  );
}
