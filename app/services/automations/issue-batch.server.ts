import type { AutomationAssignment, AutomationRun } from "@prisma/client";
import { stratumSegment } from "../../analytics/automations";
import {
  ASSIGNMENT,
  FLOW_SKIPPED_REASON,
  FLOW_STATUS,
  FLOW_UNCONFIRMED_REASON,
  forYouProducts,
  setFlowStatus,
  updateAssignment,
} from "../../models/automations";
import {
  NOT_WRITTEN,
  sendOfferIssuedBatch,
  setMetafieldsBatch,
  type BatchRejections,
} from "../../shopify/batch.server";
import { createCustomerDiscount, type CustomerMetafield, type CustomerOfferSpec } from "../../shopify/discounts.server";
import { ShopifyHttpError, ShopifyUserErrors } from "../../shopify/errors.server";
import { describe, type AutomationDeps } from "./shared.server";

/**
 * Batched issuing (D28). Codes are still created one per customer — a discount is the only thing
 * Shopify restricts to one customer, and discountRedeemCodeBulkAdd adds codes to one shared
 * discount — but metafields and Flow triggers go out once per batch (offer tags go out once per
 * run, as a bulk mutation after the batches: offer-tags.server.ts, D33). Each customer keeps
 * the state machine PENDING → CODE_CREATED → ISSUED: CODE_CREATED is committed after each
 * create, ISSUED for the whole batch in one transaction after the last step, so a crash or an
 * outage mid-batch re-runs only idempotent steps (metafieldsSet sets what is already set). Flow triggers are not idempotent, so they are marked SENDING before the request and never
 * re-sent after a crash (UNCONFIRMED instead).
 */

/** Customers per batch: 25 × 3 offer metafields = 3 metafieldsSet fields, 25 triggers. */
export const DEFAULT_BATCH_SIZE = 25;

export interface BatchContext {
  deps: AutomationDeps;
  shop: string;
  run: AutomationRun;
  /** The discount for one customer (code, title, dates, offer) — from the automation's config. */
  discountSpec: (a: AutomationAssignment) => CustomerOfferSpec;
  metafields: (a: AutomationAssignment) => CustomerMetafield[];
  automationName: string;
  /** The offer text the customer reads ("15% off your next order") — per arm in an offer test. */
  summary: (a: AutomationAssignment) => string;
  /** False when Flow's lifecycle callback says no workflow uses the trigger: nothing is sent. */
  flowInUse: boolean;
}

type Step = "codes" | "metafields" | "flow";

export async function issueBatch(ctx: BatchContext, batch: AutomationAssignment[]): Promise<void> {
  const { deps, shop, run } = ctx;
  const live = new Map<string, AutomationAssignment>();
  const fail = async (a: AutomationAssignment, error: ShopifyUserErrors) => {
    live.delete(a.customerGid);
    await updateAssignment(deps.prisma, shop, run.id, a.customerGid, {
      status: ASSIGNMENT.FAILED,
      error: describe(error),
      ...(a.discountGid ? {} : { attempts: { increment: 1 } }),
    });
  };

  // 1. One code per customer, committed one by one (never a second code: D23's adopt-on-TAKEN).
  for (const a of batch) {
    if (a.discountGid) {
      live.set(a.customerGid, a);
      continue;
    }
    try {
      const created = await createCustomerDiscount(deps.client, ctx.discountSpec(a));
      await deps.hooks?.afterCreate?.(a.customerGid);
      await updateAssignment(deps.prisma, shop, run.id, a.customerGid, {
        status: ASSIGNMENT.CODE_CREATED,
        discountGid: created.discountGid,
        attempts: { increment: 1 },
        error: null,
      });
      live.set(a.customerGid, { ...a, discountGid: created.discountGid });
    } catch (error) {
      if (!(error instanceof ShopifyUserErrors)) throw error;
      await fail(a, error);
    }
  }
  await hook(ctx, "codes", live);

  // 2. Metafields: every live customer's offer in ≤25-input metafieldsSet fields of one request.
  await writeMetafields(ctx, live, fail);
  await hook(ctx, "metafields", live);

  // 3. Flow, then ISSUED for the batch in one transaction. (Tags: one bulk mutation after the
  // last batch, offer-tags.server.ts, D33.)
  const flow = await deliverBatch(ctx, [...live.values()]);
  await deps.prisma.$transaction(async (tx) => {
    for (const a of live.values()) {
      await updateAssignment(tx, shop, run.id, a.customerGid, {
        status: ASSIGNMENT.ISSUED,
        error: null,
        ...(flow.get(a.customerGid) ?? {}),
      });
    }
  });
  for (const a of live.values()) await deps.hooks?.afterIssue?.(a.customerGid);
}

async function hook(ctx: BatchContext, step: Step, live: Map<string, AutomationAssignment>) {
  await ctx.deps.hooks?.afterBatchStep?.(step, [...live.keys()]);
}

async function writeMetafields(
  ctx: BatchContext,
  live: Map<string, AutomationAssignment>,
  fail: (a: AutomationAssignment, e: ShopifyUserErrors) => Promise<void>,
) {
  // Two rounds: a rejected input fails its customer; valid inputs that shared its atomic call
  // (NOT_WRITTEN) are sent once more without it.
  let pending = [...live.values()];
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    const inputs = pending.flatMap((a) => ctx.metafields(a).map((m) => ({ m, a })));
    const rejections: BatchRejections = await setMetafieldsBatch(
      ctx.deps.client,
      inputs.map((x) => x.m),
    );
    const retry = new Set<AutomationAssignment>();
    const failed = new Map<AutomationAssignment, ShopifyUserErrors>();
    for (const [i, error] of rejections) {
      const a = inputs[i].a;
      if (error === NOT_WRITTEN) retry.add(a);
      else failed.set(a, error);
    }
    for (const [a, error] of failed) await fail(a, error);
    pending = [...retry].filter((a) => !failed.has(a));
    if (round === 1) for (const a of pending) await fail(a, NOT_WRITTEN);
  }
}

type FlowResult = { flowStatus: string; flowError: string | null };

/**
 * One trigger run per customer who has none yet. A rejection is recorded on that customer only
 * and does not stop the run (the code also reaches metafields, tags and the CSV).
 */
async function deliverBatch(ctx: BatchContext, customers: AutomationAssignment[]): Promise<Map<string, FlowResult>> {
  const { deps, shop, run } = ctx;
  const out = new Map<string, FlowResult>();
  const toSend: AutomationAssignment[] = [];
  for (const a of customers) {
    if (a.flowStatus === FLOW_STATUS.SENDING)
      out.set(a.customerGid, { flowStatus: FLOW_STATUS.UNCONFIRMED, flowError: FLOW_UNCONFIRMED_REASON });
    else if (!a.flowStatus || a.flowStatus === FLOW_STATUS.SKIPPED) toSend.push(a);
  }
  if (!ctx.flowInUse) {
    for (const a of toSend) out.set(a.customerGid, { flowStatus: FLOW_STATUS.SKIPPED, flowError: FLOW_SKIPPED_REASON });
    return out;
  }
  if (toSend.length === 0) return out;
  const offers = await Promise.all(
    toSend.map(async (a) => ({
      customerGid: a.customerGid,
      code: a.code!,
      expiresAt: a.expiresAt!,
      // An offer test's stratum is segment|band; the customer-facing field is the segment.
      segment: stratumSegment(a.stratum),
      automationName: ctx.automationName,
      discountText: ctx.summary(a),
      products: await forYouProducts(deps.prisma, shop, a.customerGid),
    })),
  );
  const gids = toSend.map((a) => a.customerGid);
  await setFlowStatus(deps.prisma, shop, run.id, gids, FLOW_STATUS.SENDING);
  let rejections: BatchRejections;
  try {
    rejections = await sendOfferIssuedBatch(deps.client, offers);
  } catch (error) {
    // THROTTLED / 429 answers mean Shopify executed nothing: safe to send again on resume.
    if (error instanceof ShopifyHttpError && (error.status === 429 || /THROTTLED/.test(error.message)))
      await setFlowStatus(deps.prisma, shop, run.id, gids, null);
    throw error;
  }
  await ctx.deps.hooks?.afterBatchStep?.("flow", gids);
  toSend.forEach((a, i) => {
    const rejected = rejections.get(i);
    out.set(
      a.customerGid,
      rejected ? { flowStatus: "FAILED", flowError: describe(rejected) } : { flowStatus: "ACCEPTED", flowError: null },
    );
  });
  return out;
}
