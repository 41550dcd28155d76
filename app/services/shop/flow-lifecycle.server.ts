import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { getDb } from "../../db.server";
import { recordFlowTriggerUse } from "../../models/shops.server";
import { verifyWebhookHmac } from "../../shopify/hmac.server";
import { isShopDomain } from "../../shopify/shop-domain";

/**
 * Shopify Flow's trigger lifecycle callback (extensions/growthpilot-trigger-lifecycle, type
 * `flow_trigger_lifecycle_callback`; https://shopify.dev/docs/apps/build/flow/track-lifecycle-events):
 * Flow posts `{ flow_trigger_definition_id, has_enabled_flow, shop_id, shopify_domain, timestamp }`
 * when a merchant enables or disables a workflow using our trigger, signed like a webhook
 * (`X-Shopify-Hmac-Sha256`, the app's client secret). A non-2xx answer stops the merchant from
 * enabling the workflow, so only a bad signature (401) or a malformed body (400) is refused.
 * The app then calls flowTriggerReceive only for shops whose trigger is in use (D28).
 */
const LifecycleBody = z.object({
  flow_trigger_definition_id: z.string().max(255).optional(),
  has_enabled_flow: z.boolean(),
  shop_id: z.number().optional(),
  shopify_domain: z.string().refine(isShopDomain),
  // "Notifications with newer timestamps should take precedence" (shopify.dev).
  timestamp: z.string().datetime({ offset: true }),
});

export type LifecycleAnswer = { status: 200 | 400 | 401; recorded?: boolean };

/** `prisma` defaults to the app's database (tests pass their own). */
export async function acceptFlowLifecycle(
  rawBody: string,
  hmac: string | null,
  secret: string,
  prisma?: PrismaClient,
): Promise<LifecycleAnswer> {
  if (!verifyWebhookHmac(rawBody, hmac ?? "", secret)) return { status: 401 };
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { status: 400 };
  }
  const body = LifecycleBody.safeParse(json);
  if (!body.success) return { status: 400 };
  // The app declares one trigger, so the callback is about it whatever `flow_trigger_definition_id`
  // says (shopify.dev's example shows the trigger's title there, not its handle).
  const db = prisma ?? (await getDb()).prisma;
  const recorded = await recordFlowTriggerUse(
    db,
    body.data.shopify_domain,
    body.data.has_enabled_flow,
    new Date(body.data.timestamp),
  );
  return { status: 200, recorded };
}
