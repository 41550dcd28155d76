import type { Prisma } from "@prisma/client";
import type { Db } from "./db-types.server";

/**
 * Recommendation lists (the `Recommendation` table). Which products may be shown is in
 * storefront-products.server.ts; the metafield sync's checkpoints in metafield-sync.server.ts.
 *
 * - BOUGHT_TOGETHER / ALSO_BOUGHT: subject = product GID; FOR_YOU / DISCOVERY: subject = customer GID.
 * - `items` = [{gid, score, reason}], best first.
 *
 * A run replaces the shop's lists. Lists that disappear are kept for one run as *tombstones*
 * (`items = []`, stamped with the new run id) so the metafield sync knows which app metafields to
 * delete on Shopify; readers never see tombstones. Tombstones are purged by the next run.
 */

export const RECOMMENDATION_KINDS = ["BOUGHT_TOGETHER", "ALSO_BOUGHT", "FOR_YOU", "DISCOVERY"] as const;
export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number];

export interface RecommendationItem {
  gid: string;
  score: number;
  reason: string;
}

export interface RecommendationList {
  kind: RecommendationKind;
  subject: string;
  items: RecommendationItem[];
}

/** A stored list, including tombstones (empty `items`) when listing a run for the metafield sync. */
export interface StoredRecommendationList extends RecommendationList {
  runId: string;
}

/**
 * Replaces the shop's lists of `kinds` with a run's output. Accepts a transaction client so the
 * scoring service can commit lists together with its scores (`completeModelRun(..., writeExtra)`).
 */
export async function replaceRecommendations(
  db: Db,
  shop: string,
  runId: string,
  lists: RecommendationList[],
  kinds: readonly RecommendationKind[] = RECOMMENDATION_KINDS,
): Promise<{ written: number; tombstoned: number }> {
  const kindList = [...kinds];
  // 1. Tombstones of the previous run have done their job.
  await db.$executeRawUnsafe(
    `DELETE FROM "Recommendation" WHERE shop = $1 AND kind = ANY($2::text[]) AND items = '[]'::jsonb`,
    shop,
    kindList,
  );
  // 2. Every surviving list becomes a tombstone of this run; step 3 revives the ones still present.
  await db.$executeRawUnsafe(
    `UPDATE "Recommendation" SET items = '[]'::jsonb, "runId" = $2 WHERE shop = $1 AND kind = ANY($3::text[])`,
    shop,
    runId,
    kindList,
  );
  // 3. Upsert the run's lists (deduplicated: the last list per kind × subject wins).
  const unique = new Map<string, RecommendationList>();
  for (const list of lists) {
    if (!kinds.includes(list.kind) || list.items.length === 0) continue;
    unique.set(`${list.kind}\u0000${list.subject}`, list);
  }
  const rows = [...unique.values()].map((l) => ({ kind: l.kind, subject: l.subject, items: l.items.map(cleanItem) }));
  for (let i = 0; i < rows.length; i += 2000) {
    await db.$executeRawUnsafe(
      `INSERT INTO "Recommendation" (shop, kind, subject, "runId", items)
       SELECT $1, x.kind, x.subject, $2, x.items
       FROM jsonb_to_recordset($3::jsonb) AS x(kind text, subject text, items jsonb)
       ON CONFLICT (shop, kind, subject) DO UPDATE SET items = EXCLUDED.items, "runId" = EXCLUDED."runId"`,
      shop,
      runId,
      JSON.stringify(rows.slice(i, i + 2000)),
    );
  }
  const tombstoned = await db.recommendation.count({
    where: { shop, runId, kind: { in: kindList }, items: { equals: [] } },
  });
  return { written: rows.length, tombstoned };
}

function cleanItem(item: RecommendationItem): RecommendationItem {
  return { gid: item.gid, score: Number.isFinite(item.score) ? item.score : 0, reason: item.reason ?? "" };
}

/** Live (non-tombstone) lists of one kind for the given subjects, keyed by subject. */
export async function getRecommendations(
  db: Db,
  shop: string,
  kind: RecommendationKind,
  subjects: string[],
): Promise<Map<string, RecommendationItem[]>> {
  if (subjects.length === 0) return new Map();
  const rows = await db.recommendation.findMany({
    where: { shop, kind, subject: { in: subjects } },
    select: { subject: true, items: true },
  });
  const out = new Map<string, RecommendationItem[]>();
  for (const row of rows) {
    const items = row.items as unknown as RecommendationItem[];
    if (Array.isArray(items) && items.length > 0) out.set(row.subject, items);
  }
  return out;
}

/**
 * Live lists of several kinds for several subjects in one query (the app proxy's hot path),
 * keyed by kind then subject.
 */
export async function getRecommendationsByKind(
  db: Db,
  shop: string,
  kinds: readonly RecommendationKind[],
  subjects: string[],
): Promise<Map<RecommendationKind, Map<string, RecommendationItem[]>>> {
  const out = new Map<RecommendationKind, Map<string, RecommendationItem[]>>(kinds.map((k) => [k, new Map()]));
  if (subjects.length === 0 || kinds.length === 0) return out;
  const rows = await db.$queryRawUnsafe<{ kind: RecommendationKind; subject: string; items: RecommendationItem[] }[]>(
    `SELECT kind, subject, items FROM "Recommendation"
      WHERE shop = $1 AND kind = ANY($2::text[]) AND subject = ANY($3::text[]) AND items <> '[]'::jsonb`,
    shop,
    [...kinds],
    subjects,
  );
  for (const r of rows) {
    const items = typeof r.items === "string" ? (JSON.parse(r.items) as RecommendationItem[]) : r.items;
    out.get(r.kind)?.set(r.subject, items);
  }
  return out;
}

/** Every live list of `kinds` for the shop (the storefront's in-memory index), keyed by kind then subject. */
export async function getAllRecommendations(
  db: Db,
  shop: string,
  kinds: readonly RecommendationKind[],
): Promise<Map<RecommendationKind, Map<string, RecommendationItem[]>>> {
  const out = new Map<RecommendationKind, Map<string, RecommendationItem[]>>(kinds.map((k) => [k, new Map()]));
  const rows = await db.$queryRawUnsafe<
    { kind: RecommendationKind; subject: string; items: RecommendationItem[] | string }[]
  >(
    `SELECT kind, subject, items FROM "Recommendation" WHERE shop = $1 AND kind = ANY($2::text[]) AND items <> '[]'::jsonb`,
    shop,
    [...kinds],
  );
  for (const r of rows)
    out
      .get(r.kind)
      ?.set(r.subject, typeof r.items === "string" ? (JSON.parse(r.items) as RecommendationItem[]) : r.items);
  return out;
}

/** Number of stored lists (tombstones included) a run left for `kinds` — the metafield sync's total. */
export async function countRunRecommendations(
  db: Db,
  shop: string,
  runId: string,
  kinds: readonly RecommendationKind[],
) {
  return db.recommendation.count({ where: { shop, runId, kind: { in: [...kinds] } } });
}

/**
 * One page of a run's lists (tombstones included) in a stable order (kind, subject), so the
 * metafield sync can resume from an offset after a crash.
 */
export async function listRunRecommendations(
  db: Db,
  shop: string,
  runId: string,
  options: { kinds: readonly RecommendationKind[]; skip: number; take: number },
): Promise<StoredRecommendationList[]> {
  const rows = await db.recommendation.findMany({
    where: { shop, runId, kind: { in: [...options.kinds] } },
    orderBy: [{ kind: "asc" }, { subject: "asc" }],
    skip: options.skip,
    take: options.take,
  });
  return rows.map((r) => ({
    kind: r.kind as RecommendationKind,
    subject: r.subject,
    runId: r.runId,
    items: (Array.isArray(r.items) ? r.items : []) as unknown as RecommendationItem[],
  }));
}

/**
 * Replaces one subject's list of one kind (a one-customer "for you" update, D36), stamped with the
 * run it was derived from so the next run's replace treats it like the run's own lists.
 */
export async function setRecommendationList(
  db: Db,
  shop: string,
  runId: string,
  list: RecommendationList,
): Promise<void> {
  const items = list.items.map(cleanItem) as unknown as Prisma.InputJsonValue;
  await db.recommendation.upsert({
    where: { shop_kind_subject: { shop, kind: list.kind, subject: list.subject } },
    create: { shop, kind: list.kind, subject: list.subject, runId, items },
    update: { runId, items },
  });
}
