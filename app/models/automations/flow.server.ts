import type { Db } from "../db-types.server";

/**
 * Shopify Flow delivery of an offer (D28): the delivery states of the treated assignments, their
 * counts per run, and the "for you" products the trigger carries.
 */

/**
 * Flow delivery states besides ACCEPTED/FAILED (D28): SENDING is written just before a batch's
 * trigger request and replaced by its answer; a run resumed after a crash finds it and records
 * UNCONFIRMED instead of sending again (a second trigger would email the customer twice).
 * SKIPPED: no workflow uses the trigger (Flow's lifecycle callback said so), nothing was sent.
 */
export const FLOW_STATUS = { SENDING: "SENDING", UNCONFIRMED: "UNCONFIRMED", SKIPPED: "SKIPPED" } as const;
export const FLOW_SKIPPED_REASON = "not sent: no workflow uses the trigger";
export const FLOW_UNCONFIRMED_REASON = "not re-sent: the app stopped while sending; Flow may have received it";

/** Flow trigger delivery counts of a run: accepted / failed / skipped / unconfirmed. */
export async function countFlowDeliveries(
  db: Db,
  shop: string,
  runId: string,
): Promise<{ accepted: number; failed: number; skipped: number; unconfirmed: number }> {
  const rows = await db.automationAssignment.groupBy({
    by: ["flowStatus"],
    where: { shop, runId, arm: "TREATMENT" },
    _count: { _all: true },
  });
  const n = (s: string) => rows.find((r) => r.flowStatus === s)?._count._all ?? 0;
  return {
    accepted: n("ACCEPTED"),
    failed: n("FAILED"),
    skipped: n(FLOW_STATUS.SKIPPED),
    unconfirmed: n(FLOW_STATUS.UNCONFIRMED),
  };
}

/** Sets the Flow delivery state of several assignments at once (the batch's "sending" mark). */
export async function setFlowStatus(
  db: Db,
  shop: string,
  runId: string,
  customerGids: string[],
  flowStatus: string | null,
  flowError: string | null = null,
) {
  if (customerGids.length === 0) return;
  await db.automationAssignment.updateMany({
    where: { shop, runId, customerGid: { in: customerGids } },
    data: { flowStatus, flowError },
  });
}

/** Up to `limit` of a customer's "for you" products (title + storefront URL), for the Flow trigger. */
export async function forYouProducts(
  db: Db,
  shop: string,
  customerGid: string,
  limit = 3,
): Promise<{ title: string; url: string }[]> {
  const rec = await db.recommendation.findUnique({
    where: { shop_kind_subject: { shop, kind: "FOR_YOU", subject: customerGid } },
  });
  const gids = ((rec?.items as { gid: string }[] | undefined) ?? []).slice(0, limit).map((i) => i.gid);
  if (gids.length === 0) return [];
  const rows = await db.product.findMany({
    where: { shop, gid: { in: gids }, deletedAt: null },
    select: { gid: true, title: true, handle: true },
  });
  const byGid = new Map(rows.map((r) => [r.gid, r]));
  return gids.flatMap((g) => {
    const p = byGid.get(g);
    return p ? [{ title: p.title, url: `https://${shop}/products/${p.handle}` }] : [];
  });
}
