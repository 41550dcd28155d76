import type { ActionFunctionArgs } from "@remix-run/node";
import { acceptWebhook } from "../services/webhook-intake.server";
import { authenticate } from "../shopify.server";

/**
 * Every webhook topic (shopify.app.toml) arrives here. `authenticate.webhook` verifies the HMAC
 * (invalid → 401, nothing stored); the intake service dedupes and processes or enqueues it.
 * The topic comes from the raw header ("orders/create") rather than the library's upper-cased form.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const topic = request.headers.get("x-shopify-topic") ?? "";
  const { shop, webhookId, eventId, payload } = await authenticate.webhook(request);
  await acceptWebhook({ shop, topic, webhookId, eventId, payload });
  return new Response(null, { status: 200 });
};
