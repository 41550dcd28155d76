/**
 * webhookSubscriptionCreate / webhookSubscriptionDelete. 2026-10 takes the destination as
 * `webhookSubscription.uri` (the deprecated `callbackUrl` still works). Shopify requires https;
 * the stand-in also accepts http so local receivers work.
 */
import type { GraphqlContext } from "../runtime.js";
import { mintGid } from "../shop.js";
import { nowIso } from "./util.js";

function validUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

export const WEBHOOK_SUBSCRIPTION_MUTATIONS = {
  webhookSubscriptionCreate: (
    _r: unknown,
    args: { topic: string; webhookSubscription: { uri?: string | null; callbackUrl?: string | null } },
    ctx: GraphqlContext,
  ) => {
    const uri = args.webhookSubscription.uri ?? args.webhookSubscription.callbackUrl ?? "";
    const field = ["webhookSubscription", args.webhookSubscription.uri != null ? "uri" : "callbackUrl"];
    if (!validUrl(uri)) return { webhookSubscription: null, userErrors: [{ field, message: "Address is invalid" }] };
    const duplicate = [...ctx.shop.webhooks.values()].some((w) => w.topic === args.topic && w.callbackUrl === uri);
    if (duplicate)
      return {
        webhookSubscription: null,
        userErrors: [{ field, message: "Address for this topic has already been taken" }],
      };
    const sub = {
      id: mintGid(ctx.shop, "WebhookSubscription"),
      topic: args.topic,
      callbackUrl: uri,
      createdAt: nowIso(ctx),
    };
    ctx.shop.webhooks.set(sub.id, sub);
    return { webhookSubscription: sub, userErrors: [] };
  },

  webhookSubscriptionDelete: (_r: unknown, args: { id: string }, ctx: GraphqlContext) => {
    if (!ctx.shop.webhooks.delete(args.id)) {
      return {
        deletedWebhookSubscriptionId: null,
        userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }],
      };
    }
    return { deletedWebhookSubscriptionId: args.id, userErrors: [] };
  },
};
