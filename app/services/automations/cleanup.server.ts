import type { AutomationType } from "../../analytics/automations";
import {
  ASSIGNMENT,
  getAutomation,
  listExpiredIssued,
  liveOfferAutomationIds,
  redeemedCodes,
  updateAssignment,
} from "../../models/automations";
import { deleteCustomerMetafields, deleteDiscount, removeCustomerTags } from "../../shopify/discounts.server";
import { ShopifyUserErrors } from "../../shopify/errors.server";
import { APP_KINDS } from "./kinds";
import { clock, OFFER_METAFIELD_KEYS, offerTags, type AutomationDeps } from "./shared.server";

/**
 * Expired codes: unused ones are deleted in Shopify (CLEANED), used ones kept (REDEEMED); either
 * way the offer tag and metafields go, unless the customer holds another offer that is still live.
 */
export async function cleanupExpiredCodes(
  deps: AutomationDeps,
  shop: string,
): Promise<{ cleaned: number; redeemed: number }> {
  const { prisma, client } = deps;
  const now = clock(deps);
  const expired = await listExpiredIssued(prisma, shop, now);
  const used = await redeemedCodes(prisma, shop, expired.map((a) => a.code!).filter(Boolean));
  const types = new Map<string, AutomationType>();
  const typeOf = async (automationId: string) => {
    if (!types.has(automationId))
      types.set(
        automationId,
        ((await getAutomation(prisma, shop, automationId))?.type ?? "WIN_BACK") as AutomationType,
      );
    return types.get(automationId)!;
  };
  let cleaned = 0;
  let redeemed = 0;
  for (const a of expired) {
    const wasUsed = a.code !== null && used.has(a.code.toLowerCase());
    // A used discount stays in Shopify (its sales reports reference it); an unused one goes.
    if (!wasUsed) await deleteDiscount(client, a.discountGid!);
    // Tags and metafields announce a *live* offer: remove ours unless another offer is still live.
    const live = await liveOfferAutomationIds(prisma, shop, a.customerGid, now);
    const liveTypes = new Set(await Promise.all(live.map(typeOf)));
    const type = await typeOf(a.automationId);
    const stale = liveTypes.size ? (liveTypes.has(type) ? [] : [APP_KINDS[type].tag]) : offerTags(type);
    await removeCustomerTags(client, a.customerGid, stale).catch(ignoreUserErrors);
    if (liveTypes.size === 0)
      await deleteCustomerMetafields(client, a.customerGid, [...OFFER_METAFIELD_KEYS]).catch(ignoreUserErrors);
    await updateAssignment(prisma, shop, a.runId, a.customerGid, {
      status: wasUsed ? ASSIGNMENT.REDEEMED : ASSIGNMENT.CLEANED,
    });
    if (wasUsed) redeemed++;
    else cleaned++;
  }
  return { cleaned, redeemed };
}

function ignoreUserErrors(error: unknown): void {
  if (!(error instanceof ShopifyUserErrors)) throw error;
}
