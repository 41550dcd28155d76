import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { env } from "../env.server";
import { handleAppProxyRequest, StorefrontCache } from "../services/storefront/recs.server";

/**
 * App proxy (shopify.app.toml `[app_proxy]`): Shopify forwards `https://<shop>/apps/growthpilot/*`
 * to `/proxy/*` with a signed query string. The service verifies the signature before anything
 * else; this route only wires the database, the secret and the process-wide cache.
 */
const cache = new StorefrontCache();

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { prisma } = await getDb();
  return handleAppProxyRequest({ prisma: prisma, secret: env().SHOPIFY_API_SECRET, cache }, request, params["*"] ?? "");
};
