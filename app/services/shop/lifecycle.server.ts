import type { PrismaClient } from "@prisma/client";
import type { AppJobs } from "../../jobs/names";
import type { JobQueue } from "../../jobs/types";
import { recordInstall } from "../../models/shops.server";
import { getSyncProgress } from "../../models/sync-runs.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { SHOP_INFO } from "../../shopify/documents/webhooks";

export interface LifecycleDeps {
  prisma: PrismaClient;
  client: AdminClient;
  queue: Pick<JobQueue<AppJobs>, "enqueue">;
}

interface ShopInfo {
  shop: { name: string; currencyCode: string; ianaTimezone: string; plan: { publicDisplayName: string } | null };
}

/**
 * What happens after Shopify authenticates the app for a shop — the `afterAuth` hook of
 * shopify.server.ts, run after every token exchange (first install, re-install, and whenever the
 * offline token had to be exchanged again). Idempotent:
 * - the shop's basics (name, currency, timezone, plan) are refreshed from the Admin API;
 * - a re-install clears `uninstalledAt`, so schedules and reconciles resume;
 * - a shop that has never completed a sync gets its first bulk sync (which chains scoring and the
 *   metafield write, see jobs/registry.server.ts); one that has is caught up by a reconcile.
 * Job ids carry the install time, so a repeated authentication within one install enqueues nothing new.
 */
export async function onShopAuthenticated(deps: LifecycleDeps, shop: string) {
  const { shop: info } = await deps.client.request<ShopInfo>(SHOP_INFO);
  const row = await recordInstall(deps.prisma, shop, {
    name: info.name,
    currencyCode: info.currencyCode,
    ianaTimezone: info.ianaTimezone,
    planName: info.plan?.publicDisplayName ?? undefined,
  });
  const progress = await getSyncProgress(deps.prisma, shop);
  const synced = progress.every((p) => p.status === "COMPLETED");
  const install = row.installedAt.getTime();
  const job = synced
    ? await deps.queue.enqueue("sync.reconcile", {}, { shop, jobId: `reconcile-after-auth-${shop}-${install}` })
    : await deps.queue.enqueue("sync.initial", {}, { shop, jobId: `sync-initial-${shop}-${install}` });
  return { firstSync: !synced, jobId: job.id, currencyCode: row.currencyCode };
}
