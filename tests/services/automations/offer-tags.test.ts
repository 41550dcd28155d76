import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DsBulkOperation } from "../../../devstore/model";
import { testDbKinds } from "../../helpers/db";
import { setupAutomationEnv } from "./helpers";
import { getTagOperation, getTagSummary, TAG_STATUS } from "~/models/automation-tags.server";
import { createAutomation, listAssignments } from "~/models/automations";
import { runAutomation } from "~/services/automations/issue.server";
import { OFFER_TAG, type AutomationDeps } from "~/services/automations/shared.server";

/**
 * Offer tags as one tagsAdd bulk mutation per run (D33): every issued customer is tagged through
 * exactly one bulk operation, the holdout never; a crash after the operation started resumes
 * that same operation; a userError line fails only its customer's tag; a shop whose bulk
 * mutation slots are taken is waited for; a truncated result file fails the tag phase and loses
 * nothing stored.
 */
const DAY = 86_400_000;

describe.each(testDbKinds)("offer tags through one bulk mutation (%s)", (kind) => {
  const domain = `tags-${kind}.myshopify.com`;
  let s: Awaited<ReturnType<typeof setupAutomationEnv>>;

  beforeAll(async () => {
    s = await setupAutomationEnv(kind, { domain, customers: 260, orders: 900 });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const mutationOps = () => [...s.env.shop.bulkOperations.values()].filter((op) => op.type === "MUTATION");
  const nextAutomation = async (name: string) => {
    await s.env.sleep(31 * DAY); // past every earlier run's suppression window
    return createAutomation(s.db.prisma, domain, { type: "WIN_BACK", name });
  };
  const treatedOf = async (runId: string) =>
    (await listAssignments(s.db.prisma, domain, [runId])).filter((r) => r.arm === "TREATMENT");
  const hasOfferTag = (gid: string) => s.env.shop.customers.get(gid)?.tags.includes(OFFER_TAG) ?? false;

  it("tags every issued customer exactly once through one bulk operation, and no holdout customer", async () => {
    const before = mutationOps().length;
    const automation = await nextAutomation("Tags once");
    const result = await runAutomation(s.deps, domain, automation.id);
    expect(result.status).toBe("COMPLETED");
    const rows = await listAssignments(s.db.prisma, domain, [result.runId]);
    const issued = rows.filter((r) => r.status === "ISSUED");
    const holdout = rows.filter((r) => r.arm === "HOLDOUT");
    expect(issued.length).toBeGreaterThan(20);
    expect(holdout.length).toBeGreaterThan(0);

    const ops = mutationOps().slice(before);
    expect(ops).toHaveLength(1);
    expect(ops[0].status).toBe("COMPLETED");
    expect(ops[0].objectCount).toBe(issued.length); // one JSONL line per issued customer
    const lines = issued.map((r) => r.tagLine).sort((a, b) => a! - b!);
    expect(lines).toEqual(issued.map((_, i) => i)); // each customer on exactly one line
    expect(issued.every((r) => r.tagStatus === TAG_STATUS.APPLIED && hasOfferTag(r.customerGid))).toBe(true);
    expect(holdout.every((r) => r.tagLine === null && r.tagStatus === null && !hasOfferTag(r.customerGid))).toBe(true);
    expect(await getTagSummary(s.db.prisma, domain, result.runId)).toEqual({
      status: "COMPLETED",
      applied: issued.length,
      failed: 0,
      error: null,
    });
  });

  it("crash after the bulk operation started, before it was polled: the resumed run polls that same operation", async () => {
    const automation = await nextAutomation("Crash in tag phase");
    const before = mutationOps().length;
    let started = "";
    const crashing: AutomationDeps = {
      ...s.deps,
      hooks: {
        afterTagStart: (id) => {
          started = id;
          throw new Error("simulated crash");
        },
      },
    };
    await expect(runAutomation(crashing, domain, automation.id)).rejects.toThrow("simulated crash");
    const runId = (await s.db.prisma.automationRun.findFirst({ where: { shop: domain, automationId: automation.id } }))!
      .id;
    expect(await getTagOperation(s.db.prisma, domain, runId)).toMatchObject({
      status: "RUNNING",
      operationId: started,
    });

    const resumed = await runAutomation(s.deps, domain, automation.id);
    expect(resumed).toMatchObject({ resumed: true, status: "COMPLETED", runId });
    expect(
      mutationOps()
        .slice(before)
        .map((op) => op.id),
    ).toEqual([started]); // no second operation
    expect(await getTagOperation(s.db.prisma, domain, runId)).toMatchObject({
      status: "COMPLETED",
      operationId: started,
    });
    const treated = await treatedOf(runId);
    expect(treated.every((r) => r.status === "ISSUED" && r.tagStatus === TAG_STATUS.APPLIED)).toBe(true);
  });

  it("every bulk mutation slot of the shop taken: the tag phase waits with backoff, then runs", async () => {
    // Five operations of another job of this app still running (2026-01+: five per shop).
    const busy: DsBulkOperation[] = Array.from({ length: 5 }, (_, i) => ({
      id: `gid://shopify/BulkOperation/99000${i}`,
      type: "MUTATION",
      status: "RUNNING",
      query: 'mutation other { tagsRemove(id: "x", tags: ["y"]) { userErrors { message } } }',
      errorCode: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      partialDataUrl: null,
      createdAt: new Date(s.env.clock()).toISOString(),
      completedAt: null,
    }));
    for (const op of busy) s.env.shop.bulkOperations.set(op.id, op);
    const waits: number[] = [];
    const deps: AutomationDeps = {
      ...s.deps,
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 2) for (const op of busy) op.status = "COMPLETED"; // the other job finishes
        await s.env.sleep(ms);
      },
    };
    const before = mutationOps().length;
    const automation = await nextAutomation("Slots taken");
    const result = await runAutomation(deps, domain, automation.id);
    expect(result.status).toBe("COMPLETED");
    expect(waits.slice(0, 2)).toEqual([2_000, 4_000]); // the sync's busy backoff
    expect(mutationOps().slice(before)).toHaveLength(1);
    const treated = await treatedOf(result.runId);
    expect(treated.every((r) => r.tagStatus === TAG_STATUS.APPLIED && hasOfferTag(r.customerGid))).toBe(true);
  });

  it("a truncated result file fails the tag phase with a clear error, loses no code, and the resume tags everyone", async () => {
    const automation = await nextAutomation("Truncated result");
    s.env.store.faults.truncateBulkFile = true;
    try {
      await expect(runAutomation(s.deps, domain, automation.id)).rejects.toThrow(/truncated/);
    } finally {
      s.env.store.faults.truncateBulkFile = false;
    }
    const run = (await s.db.prisma.automationRun.findFirst({ where: { shop: domain, automationId: automation.id } }))!;
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(/Bulk result file is truncated/);
    const op = await getTagOperation(s.db.prisma, domain, run.id);
    expect(op).toMatchObject({ status: "FAILED", applied: 0, failed: 0 });
    expect(op!.error).toMatch(/^Offer tags: Bulk result file is truncated/);
    const mid = await treatedOf(run.id);
    expect(mid.every((r) => r.status === "ISSUED" && r.code && r.tagStatus === null)).toBe(true);

    const resumed = await runAutomation(s.deps, domain, automation.id);
    expect(resumed.status).toBe("COMPLETED");
    const treated = await treatedOf(run.id);
    expect(treated.map((r) => r.code)).toEqual(mid.map((r) => r.code));
    expect(treated.every((r) => r.tagStatus === TAG_STATUS.APPLIED && hasOfferTag(r.customerGid))).toBe(true);
  });

  it("a userError line is counted as that customer's failure; the others are applied and every code stays issued", async () => {
    let gone = "";
    const deps: AutomationDeps = {
      ...s.deps,
      hooks: {
        // The customer is deleted in Shopify after being issued, before the tag operation runs
        // (last test: a later run would fail that customer's code create).
        afterIssue: (gid) => {
          if (gone) return;
          gone = gid;
          s.env.shop.customers.delete(gid);
        },
      },
    };
    const automation = await nextAutomation("Tag userError");
    const result = await runAutomation(deps, domain, automation.id);
    expect(result.status).toBe("COMPLETED");
    const treated = await treatedOf(result.runId);
    expect(treated.every((r) => r.status === "ISSUED" && r.code)).toBe(true);
    const failed = treated.filter((r) => r.tagStatus === TAG_STATUS.FAILED);
    expect(failed.map((r) => r.customerGid)).toEqual([gone]);
    expect(failed[0].tagError).toMatch(/not found/i);
    const applied = treated.filter((r) => r.tagStatus === TAG_STATUS.APPLIED);
    expect(applied).toHaveLength(treated.length - 1);
    expect(applied.every((r) => hasOfferTag(r.customerGid))).toBe(true);
    const summary = await getTagSummary(s.db.prisma, domain, result.runId);
    expect(summary).toMatchObject({ status: "COMPLETED", applied: treated.length - 1, failed: 1 });
  });
});
