/**
 * The stand-in's side of Shopify Flow's trigger lifecycle callback
 * (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events): when a merchant enables or
 * disables a workflow using an app's trigger, Flow POSTs `{ flow_trigger_definition_id,
 * has_enabled_flow, shop_id, shopify_domain, timestamp }` to the app's
 * `flow_trigger_lifecycle_callback` URL, signed with the app's client secret in
 * `X-Shopify-Hmac-Sha256`; a non-2xx answer keeps the workflow from being enabled.
 */
import { createHmac } from "node:crypto";
import type { DsShop } from "./model.js";

export interface FlowLifecycleRequest {
  body: string;
  headers: Record<string, string>;
}

export function flowLifecycleRequest(
  shop: Pick<DsShop, "domain">,
  opts: { enabled: boolean; apiSecret: string; nowMs: number; trigger?: string; shopId?: number },
): FlowLifecycleRequest {
  const body = JSON.stringify({
    flow_trigger_definition_id: opts.trigger ?? "Growthpilot offer issued",
    has_enabled_flow: opts.enabled,
    shop_id: opts.shopId ?? 1,
    shopify_domain: shop.domain,
    timestamp: new Date(opts.nowMs).toISOString(),
  });
  const hmac = createHmac("sha256", opts.apiSecret).update(body, "utf8").digest("base64");
  return { body, headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": hmac } };
}

/** Sends the callback as Flow would; true when the app accepted it (2xx), i.e. the workflow is on. */
export async function sendFlowLifecycle(url: string, req: FlowLifecycleRequest): Promise<boolean> {
  const res = await fetch(url, { method: "POST", headers: req.headers, body: req.body });
  return res.ok;
}
