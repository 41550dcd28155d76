import type { Db } from "./db-types.server";

/**
 * Shop lifecycle writes the sync's webhooks need: uninstall and the GDPR shop/redact erasure.
 * (Merchant settings live with the lead's shop model.)
 */

/** app/uninstalled: the token is dead — mark the shop and drop its sessions. Data stays until shop/redact. */
export async function markShopUninstalled(prisma: Db, shop: string, at: Date): Promise<{ sessions: number }> {
  await prisma.shop.upsert({ where: { shop }, create: { shop, uninstalledAt: at }, update: { uninstalledAt: at } });
  const { count } = await prisma.session.deleteMany({ where: { shop } });
  return { sessions: count };
}

/** app/scopes_update: the shop's stored sessions carry the scopes the merchant granted now. */
export async function updateSessionScopes(prisma: Db, shop: string, scopes: string[]): Promise<number> {
  const { count } = await prisma.session.updateMany({ where: { shop }, data: { scope: scopes.join(",") } });
  return count;
}

/**
 * Whether the app is installed on the shop: a Shop row not marked uninstalled, or any session.
 * shop/redact is refused for an installed shop (Shopify sends it 48 h after uninstall), so a
 * replayed or forged shop/redact cannot erase a live shop.
 * https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance#shop-redact
 */
export async function shopIsInstalled(prisma: Db, shop: string): Promise<boolean> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { uninstalledAt: true } });
  if (row && row.uninstalledAt === null) return true;
  return (await prisma.session.count({ where: { shop } })) > 0;
}

/**
 * shop/redact (48 hours after uninstall): deletes everything stored for the shop, including the
 * webhook dedupe records and the Shop row itself.
 */
export async function deleteShopData(prisma: Db, shop: string): Promise<Record<string, number>> {
  const where = { shop };
  const counts: Record<string, number> = {};
  counts.automationAssignments = (await prisma.automationAssignment.deleteMany({ where })).count;
  counts.automationRuns = (await prisma.automationRun.deleteMany({ where })).count;
  counts.automations = (await prisma.automation.deleteMany({ where })).count;
  counts.recommendations = (await prisma.recommendation.deleteMany({ where })).count;
  counts.customerScores = (await prisma.customerScore.deleteMany({ where })).count;
  counts.modelRuns = (await prisma.modelRun.deleteMany({ where })).count;
  counts.orderLines = (await prisma.orderLine.deleteMany({ where })).count;
  counts.orders = (await prisma.order.deleteMany({ where })).count;
  counts.variants = (await prisma.variant.deleteMany({ where })).count;
  counts.products = (await prisma.product.deleteMany({ where })).count;
  counts.customers = (await prisma.customer.deleteMany({ where })).count;
  counts.syncRuns = (await prisma.syncRun.deleteMany({ where })).count;
  counts.webhookEvents = (await prisma.webhookEvent.deleteMany({ where })).count;
  counts.webhookInbox = (await prisma.webhookInbox.deleteMany({ where })).count;
  counts.dataRequests = (await prisma.dataRequest.deleteMany({ where })).count;
  counts.sessions = (await prisma.session.deleteMany({ where })).count;
  counts.shops = (await prisma.shop.deleteMany({ where })).count;
  return counts;
}
