import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { createAdminClient, type AdminClient, type AdminClientOptions } from "./admin-client.server";

/**
 * Background Admin clients (jobs, admin-triggered work, afterAuth) with the shop's *expiring*
 * offline token. Public apps must use expiring offline tokens (non-expiring ones stop working
 * 2027-01-01: https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens),
 * so the token is never read raw from the session table: it always comes through the Shopify
 * library's `unauthenticated.admin(shop)`, which refreshes a token within 5 minutes of expiry with
 * the stored refresh token and stores the new pair (`expiringOfflineAccessTokens` future flag,
 * shopify-app-remix 6). When Shopify still answers 401 mid-job (expired between calls), the client
 * forces one refresh through the same path and retries.
 */

/** No offline session: the app is not installed for this shop (or must be reinstalled). */
export class NoOfflineSessionError extends Error {
  constructor(shop: string) {
    super(`No offline session for ${shop}: the app is not installed (or must be reinstalled)`);
    this.name = "NoOfflineSessionError";
  }
}

/** The shop's offline access token via the library; `forceRefresh` makes it refresh now. */
export async function offlineAccessToken(shop: string, opts: { forceRefresh?: boolean } = {}): Promise<string> {
  // Lazy: importing shopify.server constructs the app, which only workers that need it pay for.
  const { sessionStorage, unauthenticated } = await import("../shopify.server");
  if (opts.forceRefresh) {
    const stored = await sessionStorage.loadSession(`offline_${shop}`);
    if (stored?.refreshToken) {
      // Shopify rejected the token: mark it expired so the library's own refresh path runs
      // (not the epoch: the session storage reads a zero timestamp back as "never expires").
      stored.expires = new Date(Date.now() - 60_000);
      await sessionStorage.storeSession(stored);
    }
  }
  let session;
  try {
    ({ session } = await unauthenticated.admin(shop));
  } catch (error) {
    if (error instanceof SessionNotFoundError) throw new NoOfflineSessionError(shop);
    throw error;
  }
  if (!session.accessToken) throw new NoOfflineSessionError(shop);
  return session.accessToken;
}

/** An Admin client that keeps working across token expiry. */
export async function offlineAdminClient(
  shop: string,
  options: Omit<AdminClientOptions, "shop" | "accessToken" | "refreshAccessToken"> = {},
): Promise<AdminClient> {
  return createAdminClient({
    ...options,
    shop,
    accessToken: await offlineAccessToken(shop),
    refreshAccessToken: () => offlineAccessToken(shop, { forceRefresh: true }),
  });
}
