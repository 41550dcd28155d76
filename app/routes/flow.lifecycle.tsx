import type { ActionFunctionArgs } from "@remix-run/node";
import { env } from "../env.server";
import { acceptFlowLifecycle } from "../services/shop/flow-lifecycle.server";

/**
 * Shopify Flow's trigger lifecycle callback (`url` of extensions/growthpilot-trigger-lifecycle):
 * HMAC-verified by the service, which records whether a workflow uses the offer trigger.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const answer = await acceptFlowLifecycle(
    await request.text(),
    request.headers.get("x-shopify-hmac-sha256"),
    env().SHOPIFY_API_SECRET,
  );
  return new Response(null, { status: answer.status });
};
