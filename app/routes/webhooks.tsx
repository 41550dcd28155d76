import type { ActionFunctionArgs } from "@remix-run/node";
import { InvalidShopError } from "@shopify/shopify-api";
import { acceptWebhook } from "../services/webhook-intake.server";
import { WebhookPayloadError } from "../services/webhook-payload.server";
import { authenticate } from "../shopify.server";
import { isShopDomain } from "../shopify/urls.server";

/**
 * Every webhook topic (shopify.app.toml) arrives here. `authenticate.webhook` verifies the HMAC
 * (invalid → 401, nothing stored); the intake service dedupes and processes or enqueues it.
 * The topic comes from the raw header ("orders/create") rather than the library's upper-cased form.
 *
 * Correctly signed but malformed deliveries (a body that is not JSON, a shop header that is not a
 * shop domain, a payload that cannot be stored) get 400 and write nothing: a 500 would make Shopify
 * retry for 48 hours. The library verifies the HMAC before it parses anything, so a 400 is never an
 * answer to an unauthenticated request.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const topic = request.headers.get("x-shopify-topic") ?? "";
  let webhook: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    webhook = await authenticate.webhook(request);
  } catch (error) {
    // SyntaxError: JSON.parse of the verified body; InvalidShopError: the shop header.
    if (error instanceof SyntaxError || error instanceof InvalidShopError) throw badRequest();
    throw error;
  }
  const { shop, webhookId, eventId, payload } = webhook;
  // The library accepts any case ("Shop.myshopify.com"); the app keys data by the lowercase domain Shopify sends.
  if (!isShopDomain(shop)) throw badRequest();
  try {
    await acceptWebhook({ shop, topic, webhookId, eventId, payload });
  } catch (error) {
    if (error instanceof WebhookPayloadError) throw badRequest();
    throw error;
  }
  return new Response(null, { status: 200 });
};

const badRequest = () => new Response("Bad Request", { status: 400 });
