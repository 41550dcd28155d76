import { authenticate, sessionStorage } from "../../shopify.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { WEBHOOK_SUBSCRIPTION_CREATE, WEBHOOK_SUBSCRIPTIONS } from "../../shopify/documents/webhooks";
import { signSessionToken } from "../../shopify/session-token.server";
import { WEBHOOK_TOPICS } from "../webhooks/topics";
import { COMPLIANCE_TOPICS } from "../webhooks/topics/compliance";

/**
 * Exchanges a session token for an offline access token — what `authenticate.admin` does when a
 * merchant opens the embedded app — and stores the session. Used by the demo, which has no Shopify
 * admin to mint the session token, so it signs one with the app secret.
 */
export async function exchangeOfflineToken(opts: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  now: Date;
}) {
  const idToken = signSessionToken({ ...opts, nowSeconds: Math.floor(opts.now.getTime() / 1000) });
  const host = Buffer.from(`admin.shopify.com/store/${opts.shop.replace(".myshopify.com", "")}`).toString("base64url");
  const url = `${opts.appUrl}/app?embedded=1&shop=${opts.shop}&host=${host}&id_token=${idToken}`;
  // The embedded document request Shopify's admin would make: the library validates the id_token
  // and runs token exchange, storing the offline session (exactly the production code path).
  await authenticate.admin(new Request(url, { headers: { authorization: `Bearer ${idToken}` } }));
  const session = await sessionStorage.loadSession(`offline_${opts.shop}`);
  if (!session?.accessToken) throw new Error(`Token exchange for ${opts.shop} stored no offline session`);
  return session;
}

/** REST-style topic ("orders/create") → GraphQL enum (ORDERS_CREATE). */
export function topicEnum(topic: string): string {
  return topic.toUpperCase().replace(/[/.]/g, "_");
}

/**
 * Registers the app's webhook topics for one shop, skipping ones already present. Production
 * declares them in shopify.app.toml instead; the stand-in has no app configuration to read.
 * Compliance topics cannot be subscribed through the API (Shopify sends them app-wide).
 */
export async function registerWebhooks(client: AdminClient, callbackUrl: string) {
  const existing = await client.request<{ webhookSubscriptions: { nodes: { topic: string; uri: string }[] } }>(
    WEBHOOK_SUBSCRIPTIONS,
    {},
  );
  const have = new Set(existing.webhookSubscriptions.nodes.filter((n) => n.uri === callbackUrl).map((n) => n.topic));
  for (const topic of WEBHOOK_TOPICS) {
    if (Object.hasOwn(COMPLIANCE_TOPICS, topic) || have.has(topicEnum(topic))) continue;
    await client.mutate(
      WEBHOOK_SUBSCRIPTION_CREATE,
      { topic: topicEnum(topic), uri: callbackUrl },
      "webhookSubscriptionCreate",
    );
  }
}
