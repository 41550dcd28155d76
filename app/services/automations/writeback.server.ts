import type { AutomationRun } from "@prisma/client";
import { writebackTags } from "../../analytics/automations";
import {
  ASSIGNMENT,
  customerTags,
  listOpenAssignments,
  setRunStatus,
  updateAssignment,
} from "../../models/automations";
import {
  addCustomerTags,
  removeCustomerTags,
  setCustomerMetafields,
  type CustomerMetafield,
} from "../../shopify/discounts.server";
import { ShopifyUserErrors } from "../../shopify/errors.server";
import { completeRun, describe, MAX_ATTEMPTS, type AutomationDeps } from "./shared.server";

/** Segment write-back: metafields in batches (25 per call), then tag changes per customer. */
export async function issueWriteback(deps: AutomationDeps, shop: string, run: AutomationRun): Promise<void> {
  const { prisma, client } = deps;
  await setRunStatus(prisma, shop, run.id, { status: "ISSUING" });
  const open = await listOpenAssignments(prisma, shop, run.id, [ASSIGNMENT.PENDING, ASSIGNMENT.FAILED]);
  const current = await customerTags(
    prisma,
    shop,
    open.map((a) => a.customerGid),
  );
  const CHUNK = 12; // 2 metafields per customer, 25 per call
  for (let i = 0; i < open.length; i += CHUNK) {
    const chunk = open.slice(i, i + CHUNK).filter((a) => a.status === ASSIGNMENT.PENDING || a.attempts < MAX_ATTEMPTS);
    const parsed = chunk.map((a) => {
      const [segment, band] = a.stratum.split("|");
      return { a, segment, band };
    });
    const metafieldsOf = ({ a, segment, band }: (typeof parsed)[number]): CustomerMetafield[] => [
      { ownerId: a.customerGid, key: "segment", type: "single_line_text_field", value: segment },
      { ownerId: a.customerGid, key: "churn_band", type: "single_line_text_field", value: band },
    ];
    const rejected = new Set<string>();
    try {
      await setCustomerMetafields(client, parsed.flatMap(metafieldsOf));
    } catch (error) {
      if (!(error instanceof ShopifyUserErrors)) {
        await setRunStatus(prisma, shop, run.id, { status: "FAILED", error: describe(error) });
        throw error;
      }
      // metafieldsSet is atomic: one bad owner (e.g. a deleted customer) rejects the whole call.
      // Retry one customer at a time so only the bad one fails.
      for (const p of parsed) {
        try {
          await setCustomerMetafields(client, metafieldsOf(p));
        } catch (inner) {
          if (!(inner instanceof ShopifyUserErrors)) throw inner;
          rejected.add(p.a.customerGid);
          await updateAssignment(prisma, shop, run.id, p.a.customerGid, {
            status: ASSIGNMENT.FAILED,
            error: describe(inner),
            attempts: { increment: 1 },
          });
        }
      }
    }
    for (const { a, segment } of parsed) {
      if (rejected.has(a.customerGid)) continue;
      try {
        const change = writebackTags(current.get(a.customerGid) ?? [], segment, bandRisk(a.stratum.split("|")[1]));
        await removeCustomerTags(client, a.customerGid, change.remove);
        await addCustomerTags(client, a.customerGid, change.add);
        await updateAssignment(prisma, shop, run.id, a.customerGid, { status: ASSIGNMENT.WRITTEN, error: null });
      } catch (error) {
        if (error instanceof ShopifyUserErrors) {
          await updateAssignment(prisma, shop, run.id, a.customerGid, {
            status: ASSIGNMENT.FAILED,
            error: describe(error),
            attempts: { increment: 1 },
          });
          continue;
        }
        await setRunStatus(prisma, shop, run.id, { status: "FAILED", error: describe(error) });
        throw error;
      }
    }
  }
  await completeRun(deps, shop, run, "written", ASSIGNMENT.WRITTEN);
}

/** A churn risk inside the band, so `writebackTags` reproduces the planned band. */
function bandRisk(band: string | undefined): number {
  return band === "high" ? 0.9 : band === "medium" ? 0.45 : 0.1;
}
