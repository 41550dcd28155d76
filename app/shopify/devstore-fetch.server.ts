/**
 * When the Shopify stand-in is configured (DEVSTORE_URL, demo and tests only), every request the
 * Shopify libraries make to `https://<shop>.myshopify.com/…` (token exchange, Admin API) is sent
 * to `${DEVSTORE_URL}/shops/<shop>/…` instead. Production never sets DEVSTORE_URL (env.server.ts
 * refuses it), so this is the only seam between the app and the stand-in.
 */
export function devstoreUrlFor(url: string, devstoreBase: string): string {
  const parsed = new URL(url);
  if (!parsed.hostname.endsWith(".myshopify.com")) return url;
  const base = devstoreBase.replace(/\/$/, "");
  return `${base}/shops/${parsed.hostname}${parsed.pathname}${parsed.search}`;
}

export function devstoreFetch(devstoreBase: string, inner: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
    return inner(devstoreUrlFor(url, devstoreBase), init);
  };
}
