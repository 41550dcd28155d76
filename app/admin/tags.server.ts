import { getDb } from "../db.server";
import { listSegmentCustomerGids, type SegmentFilter } from "../models/admin-scores.server";
import { addLocalCustomerTag, advanceTagRun, createTagRun, finishTagRun, latestTagRun } from "../models/admin-tags.server";
import { TAGS_ADD } from "../shopify/documents/tags";
import { adminClientForShop, runInBackground, type StartResult } from "./jobs.server";

/**
 * "Tag these customers in Shopify": adds one tag to every customer of a segment through
 * `tagsAdd`, in the background, with progress on a SyncRun row (see models/admin-tags.server.ts).
 * `tagsAdd` is per customer; the Admin client paces calls by the throttle status Shopify reports.
 */

/** Suggested tag for a segment: "growthpilot-at-risk", "growthpilot-cluster-2". */
export function suggestedTag(label: string): string {
  return `growthpilot-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;
}

const PROGRESS_EVERY = 25;

export async function startTagging(shop: string, filter: SegmentFilter, tag: string): Promise<StartResult> {
  const { prisma } = await getDb();
  const key = `tags:${shop}`;
  const gids = await listSegmentCustomerGids(prisma, shop, filter);
  if (gids.length === 0) return { started: false, message: "This segment has no customers to tag." };
  const client = await adminClientForShop(shop);
  const run = await createTagRun(prisma, shop, gids.length);
  const started = runInBackground(key, async () => {
    let done = 0;
    try {
      for (const id of gids) {
        await client.mutate(TAGS_ADD, { id, tags: [tag] }, "tagsAdd");
        done++;
        if (done % PROGRESS_EVERY === 0) {
          await addLocalCustomerTag(prisma, shop, gids.slice(done - PROGRESS_EVERY, done), tag);
          await advanceTagRun(prisma, shop, run.id, done);
        }
      }
      await addLocalCustomerTag(prisma, shop, gids.slice(done - (done % PROGRESS_EVERY), done), tag);
      await advanceTagRun(prisma, shop, run.id, done);
      await finishTagRun(prisma, shop, run.id, "COMPLETED");
    } catch (error) {
      await advanceTagRun(prisma, shop, run.id, done);
      await finishTagRun(prisma, shop, run.id, "FAILED", `Stopped after ${done} of ${gids.length}: ${(error as Error).message}`);
      throw error;
    }
  });
  if (!started) {
    await finishTagRun(prisma, shop, run.id, "FAILED", "Another tagging run was still in progress.");
    return { started: false, message: "Another tagging run is still in progress; try again when it finishes." };
  }
  return { started: true, message: `Tagging ${gids.length} customers with "${tag}" in Shopify…` };
}

/** The latest tagging run, for the progress banner. */
export async function getTagStatus(shop: string) {
  const { prisma } = await getDb();
  const run = await latestTagRun(prisma, shop);
  if (!run) return null;
  return {
    status: run.status,
    done: run.linesProcessed,
    total: run.linesTotal ?? 0,
    error: run.error,
    startedAt: run.startedAt.toISOString(),
  };
}
