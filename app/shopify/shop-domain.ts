/**
 * Shop domains Shopify issues: `<handle>.myshopify.com`, lowercase letters, digits and hyphens
 * (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant
 * — "verify that the shop parameter is a valid shop hostname").
 * Free of env and I/O so the CLI, the app proxy and the webhook route share one definition.
 */
export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** True for a well-formed `*.myshopify.com` domain. */
export function isShopDomain(shop: string): boolean {
  return SHOP_DOMAIN.test(shop);
}
