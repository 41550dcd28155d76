import { env } from "../env.server";
import { authenticate } from "../shopify.server";

/** What an admin route needs after authentication: the shop it acts for. */
export interface AdminContext {
  shop: string;
  demo: boolean;
}

/**
 * Authenticates an embedded-admin request (session token → offline session via token exchange).
 * In the demo (`DEMO_MODE=1`, development only — env.server.ts refuses it in production and this
 * function re-checks NODE_ENV) there is no Shopify admin to embed us, so the demo shop is used.
 */
export async function requireAdmin(request: Request): Promise<AdminContext> {
  const config = env();
  if (config.DEMO_MODE) {
    if (process.env.NODE_ENV === "production")
      throw new Response("Demo mode is disabled in production", { status: 500 });
    return { shop: config.DEMO_SHOP, demo: true };
  }
  const { session } = await authenticate.admin(request);
  return { shop: session.shop, demo: false };
}
