import { slugify } from "../analytics/slug";
import { getJobQueue } from "../jobs/queue.server";
import { countSegmentCustomers, type SegmentFilter } from "../models/admin-scores.server";
import { createTagRun, latestTagRun } from "../models/admin-tags.server";
import type { AdminDeps } from "./deps.server";
import { adminClientForShop, adminJobId, isAdminJobPending, type StartResult } from "./jobs.server";

/**
 * "Tag these customers in Shopify": adds one tag to every customer of a segment through
 * `tagsAdd`, as the `customers.tag` job (services/segments/tagging.server.ts), with progress on a
 * SyncRun row (see models/admin-tags.server.ts).
 */

/** Suggested tag for a segment: "growthpilot-at-risk", "growthpilot-cluster-2". */
export function suggestedTag(label: string): string {
  return `growthpilot-${slugify(label)}`;
}

export async function startTagging(
  deps: AdminDeps,
  shop: string,
  filter: SegmentFilter,
  tag: string,
): Promise<StartResult> {
  const { prisma } = deps;
  const jobId = adminJobId.tags(shop);
  if (await isAdminJobPending(jobId))
    return { started: false, message: "Another tagging run is still in progress; try again when it finishes." };
  const total = await countSegmentCustomers(prisma, shop, filter);
  if (total === 0) return { started: false, message: "This segment has no customers to tag." };
  await adminClientForShop(shop); // no offline token: say so now, not in a failed job
  const run = await createTagRun(prisma, shop, total);
  // One attempt: a failure is recorded on the run row and the merchant decides whether to retry.
  await (
    await getJobQueue()
  ).enqueue("customers.tag", { runId: run.id, filter, tag }, { shop, jobId, rerunFinished: true, attempts: 1 });
  return { started: true, message: `Tagging ${total} customers with "${tag}" in Shopify…` };
}

/** How long a finished tagging run keeps its progress row, so the merchant sees how it ended. */
const SHOW_FINISHED_MS = 10 * 60_000;

/** The latest tagging run, for the progress banner. */
export async function getTagStatus(deps: AdminDeps, shop: string) {
  const run = await latestTagRun(deps.prisma, shop);
  if (!run) return null;
  return {
    status: run.status,
    done: run.linesProcessed,
    total: run.linesTotal ?? 0,
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    showProgress: run.status === "RUNNING" || deps.now().getTime() - run.startedAt.getTime() < SHOW_FINISHED_MS,
  };
}
