import type { PrismaClient } from "@prisma/client";
import type { AdminClient } from "../shopify/admin-client.server";
import { NoOfflineSessionError, offlineAdminClient } from "../shopify/offline-session.server";
import { assertShopDomain } from "../shopify/urls.server";
import { PermanentJobError } from "./types";

/**
 * `adminFor(shop)` for job handlers: an Admin API client with the shop's expiring offline token,
 * obtained on every job through the Shopify library's refresh path (`unauthenticated.admin`, see
 * shopify/offline-session.server.ts) — never a raw stored token, which expires within the hour.
 * A reinstall replaces the session; the library reads the same Prisma session table.
 */
export function adminClientFor(_prisma: PrismaClient): (shop: string) => Promise<AdminClient> {
  return async (shop) => {
    assertShopDomain(shop);
    try {
      return await offlineAdminClient(shop);
    } catch (error) {
      if (error instanceof NoOfflineSessionError) throw new PermanentJobError(error.message);
      throw error;
    }
  };
}
