import type { PrismaClient } from "@prisma/client";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { createAdminClient, type AdminClient } from "../shopify/admin-client.server";
import { assertShopDomain } from "../shopify/urls.server";
import { PermanentJobError } from "./types";

/**
 * `adminFor(shop)` for job handlers: an Admin API client with the shop's offline token, read from
 * the session table on every job (a reinstall replaces the token; the lookup is one indexed row).
 * Uses the same Prisma session storage as `shopify.server.ts` without importing it, so the worker
 * does not construct the Remix app.
 */
export function adminClientFor(prisma: PrismaClient): (shop: string) => Promise<AdminClient> {
  const storage = new PrismaSessionStorage(prisma);
  return async (shop) => {
    assertShopDomain(shop);
    // Shopify's offline session id: `offline_<shop>` (getOfflineId in @shopify/shopify-api).
    const session = await storage.loadSession(`offline_${shop}`);
    if (!session?.accessToken) {
      throw new PermanentJobError(`No offline session for ${shop}: the app is not installed (or must be reinstalled)`);
    }
    return createAdminClient({ shop, accessToken: session.accessToken });
  };
}
