import type { Db } from "../models/db-types.server";
import { productTitles } from "../models/admin-catalog.server";

/**
 * Recommendation reasons for the merchant's eyes. The engine keys products by GID, so its reasons
 * say "bought together with gid://shopify/Product/123"; here GIDs become product titles, and the
 * storefront's second person ("you bought this once") becomes the third person, because the
 * merchant is reading about a customer.
 */

const GID = /gid:\/\/shopify\/Product\/\d+/g;

export async function humanizeReasons<T extends { reason: string }>(
  db: Db,
  shop: string,
  items: T[],
  opts: { thirdPerson?: boolean } = {},
): Promise<T[]> {
  const gids = new Set<string>();
  for (const item of items) for (const m of item.reason.match(GID) ?? []) gids.add(m);
  const titles = await productTitles(db, shop, [...gids]);
  return items.map((item) => {
    let reason = item.reason.replace(GID, (gid) => {
      const t = titles.get(gid)?.title;
      return t ? `“${t}”` : "a product no longer in the catalogue";
    });
    if (opts.thirdPerson) reason = reason.replace(/\byou buy\b/g, "they buy").replace(/\byou bought\b/g, "they bought");
    reason = reason.charAt(0).toUpperCase() + reason.slice(1);
    return { ...item, reason };
  });
}
