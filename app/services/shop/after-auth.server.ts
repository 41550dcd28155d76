import type { Session } from "@shopify/shopify-api";
import { getDb } from "../../db.server";
import { getJobQueue } from "../../jobs/queue.server";
import { createAdminClient } from "../../shopify/admin-client.server";
import { offlineAccessToken } from "../../shopify/offline-session.server";
import { onShopAuthenticated } from "./lifecycle.server";

/**
 * The `afterAuth` hook's body: the session was just stored by token exchange, so its token is
 * fresh. Failures propagate — the library answers 500 and the merchant's next load retries the
 * exchange and the hook — rather than leaving an installed shop that never syncs.
 */
export async function afterShopAuth(session: Session) {
  if (session.isOnline || !session.accessToken) return;
  const { prisma } = await getDb();
  // The token exchange just issued this (expiring) token; a 401 during the hook refreshes it.
  const client = createAdminClient({
    shop: session.shop,
    accessToken: session.accessToken,
    refreshAccessToken: () => offlineAccessToken(session.shop, { forceRefresh: true }),
  });
  const result = await onShopAuthenticated({ prisma, client, queue: await getJobQueue() }, session.shop);
  console.log(
    `Authenticated ${session.shop}: ${result.firstSync ? "first sync enqueued" : "reconcile enqueued"} (${result.jobId})`,
  );
}
