import type { AutomationType, CustomerFacts } from "../analytics/automations";
import { mean } from "../analytics/stats";
import { countSegmentCustomers } from "../models/admin-scores.server";
import {
  defaultConfigFor,
  latestAutomationOfType,
  loadCustomerFacts,
  parseAutomationConfig,
} from "../models/automations";
import { APP_KINDS } from "../services/automations/kinds";
import { qualifyingCustomers } from "../services/automations/plan.server";
import type { AdminDeps } from "./deps.server";
import { segmentSlug } from "./runs.server";

/**
 * The audiences the home page's "Do this now" items count (D37): one function per audience, each
 * returning the count and the link to the page that shows the same customers. An automation
 * audience is that automation's own qualifier (the preview's "Qualify" number) with the rules of
 * the shop's newest automation of the kind, or the kind's defaults when there is none yet (then
 * the link preselects the kind on the automations list, which states the same count). A segment
 * audience is the segment drill-down's total. Nothing else counts these customers.
 */

export interface Audience {
  count: number;
  /** Mean order value of the audience in minor units, where the audience has order facts. */
  avgOrderMinor: number | null;
  href: string;
}

/**
 * Customers an automation of `type` qualifies now, and where that number is shown. `facts` lets
 * the home page load the customer facts once for both automation audiences.
 */
export async function automationAudience(
  deps: AdminDeps,
  shop: string,
  type: AutomationType,
  facts?: Promise<CustomerFacts[]>,
): Promise<Audience> {
  const existing = await latestAutomationOfType(deps.prisma, shop, type);
  const config = existing ? parseAutomationConfig(existing.config) : defaultConfigFor(type);
  const customers = await qualifyingCustomers(deps, shop, type, config, facts);
  const perOrder = customers.filter((c) => c.orders > 0).map((c) => c.spentMinor / c.orders);
  return {
    count: customers.length,
    avgOrderMinor: perOrder.length ? Math.round(mean(perOrder)) : null,
    href: existing
      ? `/app/automations/${existing.id}`
      : `/app/automations?template=${APP_KINDS[type].templateSlug ?? ""}`,
  };
}

/** Lapsing customers the win-back automation would offer a code to. */
export const winBackAudience = (deps: AdminDeps, shop: string, facts?: Promise<CustomerFacts[]>) =>
  automationAudience(deps, shop, "WIN_BACK", facts);

/** One-time buyers the second-purchase nudge is due for. */
export const secondOrderAudience = (deps: AdminDeps, shop: string, facts?: Promise<CustomerFacts[]>) =>
  automationAudience(deps, shop, "SECOND_PURCHASE", facts);

/** The customer facts both automation audiences read, loaded once per request. */
export const audienceFacts = (deps: AdminDeps, shop: string) =>
  loadCustomerFacts(deps.prisma, shop, { withProducts: false });

/** Shopify's "At risk" group: strong histories, not seen in a while. */
export async function atRiskAudience(deps: AdminDeps, shop: string): Promise<Audience> {
  const count = await countSegmentCustomers(deps.prisma, shop, { segment: "At risk" });
  return { count, avgOrderMinor: null, href: `/app/segments/${segmentSlug("At risk")}` };
}
