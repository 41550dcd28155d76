import type { ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { processWebhook } from "../services/webhooks.server";
import { authenticate } from "../shopify.server";

/**
 * Every webhook topic (shopify.app.toml) arrives here. `authenticate.webhook` verifies the HMAC
 * (invalid → 401, nothing stored); the service dedupes on the webhook id and applies the change.
 * The topic comes from the raw header ("orders/create") rather than the library's upper-cased form.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const topicHeader = request.headers.get("x-shopify-topic") ?? "";
  const { shop, webhookId, eventId, payload } = await authenticate.webhook(request);
  const { prisma } = await getDb();
  await processWebhook({ prisma }, { shop, topic: topicHeader, webhookId, eventId, payload });
  return new Response(null, { status: 200 });
};
