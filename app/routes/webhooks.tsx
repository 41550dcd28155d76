import type { ActionFunctionArgs } from "@remix-run/node";
import { InvalidShopError } from "@shopify/shopify-api";
import { acceptWebhook } from "../services/webhooks/intake.server";
import { WebhookPayloadError } from "../services/webhooks/payload-error";
import { authenticate } from "../shopify.server";
import { JsonSyntaxError, parseJsonLossless } from "../shopify/lossless-json.server";
import { isShopDomain } from "../shopify/shop-domain";

/**
 * Every webhook topic (shopify.app.toml) arrives here. `authenticate.webhook` verifies the HMAC
 * (invalid → 401, nothing stored); the intake service checks the trigger time and binds the body
 * to the topic and shop headers, then processes or enqueues it. The topic comes from the raw
 * header ("orders/create") rather than the library's upper-cased form.
 *
 * The payload handed on is the verified raw body parsed with `parseJsonLossless`, not the
 * library's `JSON.parse` result: REST ids above 2^53 would lose digits there.
 *
 * Correctly signed but malformed deliveries (a body that is not JSON or nested too deep, a shop
 * header that is not a shop domain, a body that is not the header topic's shape or names another
 * shop, a stale trigger time) get 4xx and write nothing: a 500 would make Shopify retry. The
 * library verifies the HMAC before it parses anything, so a 4xx never answers an unauthenticated request.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const topic = request.headers.get("x-shopify-topic") ?? "";
  const rawBody = request.clone().text();
  let webhook: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    webhook = await authenticate.webhook(request);
  } catch (error) {
    // SyntaxError: JSON.parse of the verified body; InvalidShopError: the shop header.
    if (error instanceof SyntaxError || error instanceof InvalidShopError) throw badRequest();
    throw error;
  }
  const { shop, webhookId, eventId } = webhook;
  // The library accepts any case ("Shop.myshopify.com"); the app keys data by the lowercase domain Shopify sends.
  if (!isShopDomain(shop)) throw badRequest();
  try {
    const payload = parseJsonLossless(await rawBody);
    await acceptWebhook({
      shop,
      topic,
      webhookId,
      eventId,
      triggeredAt: request.headers.get("x-shopify-triggered-at"),
      payload,
    });
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw badRequest();
    if (error instanceof WebhookPayloadError)
      throw new Response(error.status === 409 ? "Conflict" : "Bad Request", { status: error.status });
    throw error;
  }
  return new Response(null, { status: 200 });
};

const badRequest = () => new Response("Bad Request", { status: 400 });
