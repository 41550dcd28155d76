import { z } from "zod";
import { markShopUninstalled, updateSessionScopes } from "~/models/shop-data.server";
import { text } from "~/shopify/records/storable";
import { defineTopic } from "./types";

/** app/uninstalled carries the Shop resource (REST). */
const shopBody = z
  .object({
    id: z.number().int(),
    myshopify_domain: z.string().nullish(),
    plan_name: z.string().nullish(),
    money_format: z.string().nullish(),
  })
  .passthrough()
  .refine((b) => "money_format" in b || "plan_name" in b, "not a shop body");

const appUninstalled = defineTopic({
  schema: shopBody,
  // The Shop resource names its domain when Shopify includes it; it must be the header shop then.
  namedShop: (body) =>
    body.myshopify_domain ? { field: "myshopify_domain", domain: String(body.myshopify_domain) } : null,
  map: () => ({}),
  records: z.object({}),
  async apply({ prisma }, { shop, now }) {
    return markShopUninstalled(prisma, shop, now);
  },
});

/** https://shopify.dev/docs/api/webhooks?reference=toml#list-app-scopes_update */
const scopesBody = z.object({ current: z.array(z.string()), previous: z.array(z.string()).optional() }).passthrough();

const scopesUpdate = defineTopic({
  schema: scopesBody,
  map: (body) => body.current,
  records: z.array(text),
  async apply({ prisma }, { shop }, current) {
    return { sessions: await updateSessionScopes(prisma, shop, current), scopes: current.length };
  },
});

export const APP_TOPICS = {
  "app/uninstalled": appUninstalled,
  "app/scopes_update": scopesUpdate,
};
