import { createHmac, randomUUID } from "node:crypto";
import type { RouteHandler } from "./app-env";

/** A POST /webhooks request as Shopify sends it, HMAC-signed with `secret` (override any header). */
export function signedWebhookRequest(
  secret: string,
  opts: { topic: string; shop: string; body: string; headers?: Record<string, string> },
): Request {
  return new Request("http://localhost:3000/webhooks", {
    method: "POST",
    body: opts.body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": opts.topic,
      "x-shopify-hmac-sha256": createHmac("sha256", secret).update(opts.body).digest("base64"),
      "x-shopify-shop-domain": opts.shop,
      "x-shopify-api-version": "2026-10",
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-event-id": randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
      ...opts.headers,
    },
  });
}

/** The HTTP status Remix would send: a thrown Response is that response; any other throw is a 500. */
export async function routeStatus(
  action: RouteHandler,
  request: Request,
): Promise<{ status: number; error?: unknown }> {
  try {
    return { status: (await action({ request, params: {}, context: {} })).status };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status };
    return { status: 500, error: thrown };
  }
}
