import type { PrismaClient } from "@prisma/client";
import { listSegmentCustomerGids, type SegmentFilter } from "../../models/admin-scores.server";
import { addLocalCustomerTag, advanceTagRun, finishTagRun } from "../../models/admin-tags.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { TAGS_ADD } from "../../shopify/documents/tags";

const PROGRESS_EVERY = 25;

export interface TaggingDeps {
  prisma: PrismaClient;
  client: AdminClient;
}

export interface TaggingJob {
  /** The SyncRun row (kind TAGS) the admin created for progress. */
  runId: string;
  filter: SegmentFilter;
  tag: string;
}

/**
 * The `customers.tag` job: adds `tag` to every customer of the segment through `tagsAdd` (one
 * call per customer; the Admin client paces calls by the throttle status Shopify reports), with
 * progress on the run row every few customers. The segment is listed here rather than carried in
 * the job, so job data stays small and holds no customer ids. A failure is recorded on the row
 * and rethrown for the queue's log; `tagsAdd` is idempotent, so running again is safe.
 */
export async function tagSegmentCustomers(
  deps: TaggingDeps,
  shop: string,
  job: TaggingJob,
): Promise<{ tagged: number }> {
  const { prisma, client } = deps;
  const gids = await listSegmentCustomerGids(prisma, shop, job.filter);
  let done = 0;
  try {
    for (const id of gids) {
      await client.mutate(TAGS_ADD, { id, tags: [job.tag] }, "tagsAdd");
      done++;
      if (done % PROGRESS_EVERY === 0) {
        await addLocalCustomerTag(prisma, shop, gids.slice(done - PROGRESS_EVERY, done), job.tag);
        await advanceTagRun(prisma, shop, job.runId, done);
      }
    }
    await addLocalCustomerTag(prisma, shop, gids.slice(done - (done % PROGRESS_EVERY), done), job.tag);
    await advanceTagRun(prisma, shop, job.runId, done);
    await finishTagRun(prisma, shop, job.runId, "COMPLETED");
    return { tagged: done };
  } catch (error) {
    await advanceTagRun(prisma, shop, job.runId, done);
    await finishTagRun(
      prisma,
      shop,
      job.runId,
      "FAILED",
      `Stopped after ${done} of ${gids.length}: ${(error as Error).message}`,
    );
    throw error;
  }
}
