import { env } from "~/env.server";
import { ADMIN_API_VERSION } from "./api-version";
import { isShopDomain } from "./shop-domain";

/**
 * Throws unless `shop` is a `*.myshopify.com` domain. The domain ends up in a URL we send an
 * access token to, so anything else (a host with a path, an IP, a lookalike) is refused here.
 */
export function assertShopDomain(shop: string): string {
  if (!isShopDomain(shop)) throw new Error(`Invalid shop domain: ${JSON.stringify(shop)}`);
  return shop;
}

/**
 * The Admin GraphQL endpoint for `shop`: Shopify itself, or the local stand-in when a dev-store
 * base URL is configured (DEVSTORE_URL; `baseUrl` overrides it so tests don't depend on process env,
 * `null` forces real Shopify).
 */
export function adminGraphqlUrl(shop: string, baseUrl: string | null | undefined = env().DEVSTORE_URL): string {
  assertShopDomain(shop);
  const path = `/admin/api/${ADMIN_API_VERSION}/graphql.json`;
  if (baseUrl) return `${baseUrl.replace(/\/+$/, "")}/shops/${shop}${path}`;
  return `https://${shop}${path}`;
}
