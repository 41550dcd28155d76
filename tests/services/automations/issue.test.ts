import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDiscountCode } from "../../../devstore/factories";
import { testDbKinds } from "../../helpers/db";
import { setupAutomationEnv, standInCodes } from "./helpers";
import { createAutomation, listAssignments, updateAutomation } from "~/models/automations";
import { cleanupExpiredCodes } from "~/services/automations/cleanup.server";
import { runAutomation, runAutomations } from "~/services/automations/issue.server";
import { measureAutomation } from "~/services/automations/measure.server";
import { previewAutomation } from "~/services/automations/plan.server";
import { OFFER_TAG } from "~/services/automations/shared.server";
import { reconcile } from "~/services/sync/shop-sync.server";

const DAY = 86_400_000;

// One shop's automation history on one virtual clock, kept in order even under
// `--sequence.shuffle`: later steps build on earlier ones by design (the re-run is suppressed by
// the first win-back run, the clock moves past suppression windows, the cleanup expires the first
// run's codes, the write-back meets the customer the userErrors step deleted). Splitting it into
// self-contained tests would mean one synced 1,000-order shop per test.
for (const kind of testDbKinds)
  describe(`automations against the stand-in (${kind})`, { shuffle: false }, () => {
    const domain = `auto-${kind}.myshopify.com`;
    let s: Awaited<ReturnType<typeof setupAutomationEnv>>;

    beforeAll(async () => {
      s = await setupAutomationEnv(kind, { domain, customers: 300, orders: 1000 });
    }, 60_000);
    afterAll(async () => {
      await s?.close();
    });

    const shop = () => s.env.shop;
    const assignmentsOf = async (runId: string) => listAssignments(s.db.prisma, domain, [runId]);
    /** Moves the shared virtual clock (stand-in, client and service) forward. */
    const advance = (days: number) => s.env.sleep(days * DAY);

    let winBackRunId = "";

    it("win-back: every treated customer gets one unique, customer-scoped, single-use, expiring code, a metafield and a tag; the holdout nothing", async () => {
      const automation = await createAutomation(s.db.prisma, domain, { type: "WIN_BACK", name: "Win-back" });
      const preview = await previewAutomation(s.deps, domain, automation.id);
      expect(preview.plan!.treated).toBeGreaterThan(20);

      const result = await runAutomation(s.deps, domain, automation.id);
      winBackRunId = result.runId;
      expect(result.status).toBe("COMPLETED");
      expect(result.resumed).toBe(false);
      const rows = await assignmentsOf(result.runId);
      const treated = rows.filter((r) => r.arm === "TREATMENT");
      const holdout = rows.filter((r) => r.arm === "HOLDOUT");
      // The preview and the run draw from the same eligible population.
      expect(treated.length + holdout.length).toBe(preview.plan!.treated + preview.plan!.holdout);
      expect(holdout.length / rows.length).toBeGreaterThan(0.1);
      expect(holdout.length / rows.length).toBeLessThan(0.3);
      expect(treated.every((r) => r.status === "ISSUED" && r.code && r.discountGid)).toBe(true);

      const codes = standInCodes(shop());
      expect(codes.size).toBe(treated.length);
      const now = s.env.clock();
      for (const r of treated) {
        const c = codes.get(r.code!)!;
        expect(c.customerIds).toEqual([r.customerGid]);
        expect(c.usageLimit).toBe(1);
        expect(c.combines).toBe(false);
        expect(Date.parse(c.endsAt!)).toBe(r.expiresAt!.getTime());
        expect(r.expiresAt!.getTime() - r.createdAt.getTime()).toBe(14 * DAY);
        expect(r.createdAt.getTime()).toBeLessThanOrEqual(now);
        const customer = shop().customers.get(r.customerGid)!;
        expect(customer.tags).toContain(OFFER_TAG);
        expect(customer.tags).toContain("gp-offer-winback");
        expect(customer.metafields.find((m) => m.key === "offer_code")?.value).toBe(r.code);
        expect(customer.metafields.find((m) => m.key === "offer_expires_at")?.type).toBe("date_time");
        expect(customer.marketingState).toBe("SUBSCRIBED");
      }
      // Holdout customers: recorded, no code, no tag, no metafield.
      const allCustomerIds = new Set([...codes.values()].flatMap((c) => c.customerIds));
      for (const r of holdout) {
        expect(r.status).toBe("HOLDOUT");
        expect(r.code).toBeNull();
        expect(allCustomerIds.has(r.customerGid)).toBe(false);
        const customer = shop().customers.get(r.customerGid)!;
        expect(customer.tags).not.toContain(OFFER_TAG);
        expect(customer.metafields.some((m) => m.key === "offer_code")).toBe(false);
      }
    });

    it("running again creates no duplicate codes: everyone offered (or held out) is suppressed", async () => {
      const before = standInCodes(shop()).size;
      const automation = (await s.db.prisma.automation.findFirst({ where: { shop: domain, type: "WIN_BACK" } }))!;
      const again = await runAutomation(s.deps, domain, automation.id);
      expect(again.runId).not.toBe(winBackRunId);
      const rows = await assignmentsOf(again.runId);
      const first = new Set((await assignmentsOf(winBackRunId)).map((r) => r.customerGid));
      expect(rows.filter((r) => first.has(r.customerGid))).toEqual([]);
      expect(standInCodes(shop()).size).toBe(before + rows.filter((r) => r.arm === "TREATMENT").length);
      const perCustomer = new Map<string, number>();
      for (const c of standInCodes(shop()).values())
        for (const id of c.customerIds) perCustomer.set(id, (perCustomer.get(id) ?? 0) + 1);
      expect(Math.max(...perCustomer.values())).toBe(1);
    });

    it("crash after Shopify created a code but before we recorded it: the resumed run adopts it, no duplicates", async () => {
      await advance(31); // past the suppression window
      const automation = await createAutomation(s.db.prisma, domain, { type: "VIP_REWARD", name: "VIP" });
      let creates = 0;
      const crashing = {
        ...s.deps,
        hooks: {
          afterCreate: () => {
            if (++creates === 3) throw new Error("simulated crash");
          },
        },
      };
      await expect(runAutomation(crashing, domain, automation.id)).rejects.toThrow("simulated crash");
      const run = (await s.db.prisma.automationRun.findFirst({
        where: { shop: domain, automationId: automation.id },
      }))!;
      expect(run.status).toBe("FAILED");
      const codesAfterCrash = standInCodes(shop());

      const resumed = await runAutomation(s.deps, domain, automation.id);
      expect(resumed.resumed).toBe(true);
      expect(resumed.runId).toBe(run.id);
      expect(resumed.status).toBe("COMPLETED");
      const rows = await assignmentsOf(run.id);
      const treated = rows.filter((r) => r.arm === "TREATMENT");
      expect(treated.every((r) => r.status === "ISSUED")).toBe(true);
      const vipCodes = [...standInCodes(shop()).keys()].filter((c) => c.startsWith("GPVIP-"));
      expect(vipCodes.length).toBe(treated.length);
      expect(new Set(vipCodes)).toEqual(new Set(treated.map((r) => r.code)));
      // The crashed customer's discount is the one created before the crash (adopted, not re-created).
      // Three discounts existed at the crash (the third unknown to the database); still three for those customers.
      expect([...codesAfterCrash.keys()].filter((c) => c.startsWith("GPVIP-"))).toHaveLength(3);
    });

    it("throttling and 5xx are absorbed by the client: the run completes with one code per treated customer", async () => {
      await advance(31);
      s.env.store.faults.throttleRate = 0.3;
      s.env.store.faults.serverErrorRate = 0.1;
      try {
        const automation = await createAutomation(s.db.prisma, domain, { type: "WIN_BACK", name: "Win-back (faults)" });
        const result = await runAutomation(s.deps, domain, automation.id);
        expect(result.status).toBe("COMPLETED");
        const treated = (await assignmentsOf(result.runId)).filter((r) => r.arm === "TREATMENT");
        expect(treated.length).toBeGreaterThan(5);
        expect(treated.every((r) => r.status === "ISSUED")).toBe(true);
        const codes = standInCodes(shop());
        for (const r of treated) expect(codes.get(r.code!)?.customerIds).toEqual([r.customerGid]);
      } finally {
        s.env.store.faults.throttleRate = 0;
        s.env.store.faults.serverErrorRate = 0;
      }
    });

    it("userErrors (a code taken by a merchant discount, a deleted customer) fail only those customers", async () => {
      await advance(31);
      const automation = await createAutomation(s.db.prisma, domain, {
        type: "WIN_BACK",
        name: "Win-back (userErrors)",
      });
      let sabotaged: string[] = [];
      const deps = {
        ...s.deps,
        hooks: {
          afterIssue: async () => {
            if (sabotaged.length) return;
            const run = (await s.db.prisma.automationRun.findFirst({
              where: { shop: domain, automationId: automation.id },
            }))!;
            const pending = (await assignmentsOf(run.id)).filter((r) => r.status === "PENDING");
            // The merchant happens to own a discount with the next customer's code …
            makeDiscountCode(shop(), {
              code: pending[0].code!,
              title: "Merchant's own",
              startsAt: "2026-01-01T00:00:00Z",
            });
            // … and the one after that was deleted in Shopify.
            shop().customers.delete(pending[1].customerGid);
            sabotaged = [pending[0].customerGid, pending[1].customerGid];
          },
        },
      };
      const result = await runAutomation(deps, domain, automation.id);
      expect(result.status).toBe("COMPLETED");
      const rows = await assignmentsOf(result.runId);
      const failed = rows.filter((r) => r.status === "FAILED");
      expect(failed.map((r) => r.customerGid).sort()).toEqual(sabotaged.sort());
      expect(failed.find((r) => r.customerGid === sabotaged[0])!.error).toMatch(/unique/i);
      expect(failed.find((r) => r.customerGid === sabotaged[1])!.error).toMatch(/Customer does not exist/);
      expect(rows.filter((r) => r.arm === "TREATMENT" && r.status === "ISSUED").length).toBe(
        rows.filter((r) => r.arm === "TREATMENT").length - 2,
      );
      const run = (await s.db.prisma.automationRun.findUnique({ where: { id: result.runId } }))!;
      expect((run.summary as { failed: number }).failed).toBe(2);
    });

    it("respects the per-run budget cap (expected discount cost of the treated arm)", async () => {
      await advance(31);
      const automation = await createAutomation(s.db.prisma, domain, {
        type: "WIN_BACK",
        name: "Win-back (small budget)",
      });
      const config = { ...(automation.config as object), budgetPerRunMinor: 1500 };
      await updateAutomation(s.db.prisma, domain, automation.id, { config });
      const result = await runAutomation(s.deps, domain, automation.id);
      const rows = await assignmentsOf(result.runId);
      const treatedCost = rows.filter((r) => r.arm === "TREATMENT").reduce((sum, r) => sum + r.expectedCostMinor, 0);
      expect(rows.length).toBeGreaterThan(0);
      expect(treatedCost).toBeLessThanOrEqual(1500);
      const run = (await s.db.prisma.automationRun.findUnique({ where: { id: result.runId } }))!;
      expect((run.summary as { budgetLimited: string }).budgetLimited).toBe("run");
      expect((run.summary as { excluded: Record<string, number> }).excluded["over-budget"]).toBeGreaterThan(0);
    });

    it("right after a run there is not enough data yet, with the reason", async () => {
      const automation = (await s.db.prisma.automation.findFirst({
        where: { shop: domain, name: "Win-back (small budget)" },
      }))!;
      const { runs } = await measureAutomation(s.deps, domain, automation.id, { resamples: 200 });
      expect(runs[0].measurement.status).toBe("INSUFFICIENT");
      expect(runs[0].measurement.reasons.join(" ")).toMatch(/open until/);
    });

    it("expired unused codes are deleted with their tag; a redeemed one is kept and marked", async () => {
      const rows = await assignmentsOf(winBackRunId);
      const treated = rows.filter((r) => r.arm === "TREATMENT" && r.status === "ISSUED");
      // Long past expiry. One customer used their code before it expired.
      const user = treated[0];
      const { makeOrder } = await import("../../../devstore/factories");
      const variant = [...shop().variants.values()].find((v) => Number(v.price) > 0)!;
      const code = user.code!;
      makeOrder(shop(), {
        customer: user.customerGid,
        lines: [{ variant, quantity: 1 }],
        createdAt: new Date(s.env.clock()).toISOString(),
        discountCodes: [code],
      });
      await reconcile({ prisma: s.db.prisma, client: s.env.client, sleep: s.env.sleep }, domain);

      const before = standInCodes(shop());
      expect(before.has(code)).toBe(true);
      const result = await cleanupExpiredCodes(s.deps, domain);
      expect(result.redeemed).toBeGreaterThanOrEqual(1);
      expect(result.cleaned).toBeGreaterThan(0);
      const after = await assignmentsOf(winBackRunId);
      expect(after.find((r) => r.customerGid === user.customerGid)!.status).toBe("REDEEMED");
      const cleaned = after.filter((r) => r.status === "CLEANED");
      expect(cleaned.length).toBe(treated.length - 1);
      const codesNow = standInCodes(shop());
      for (const r of cleaned) expect(codesNow.has(r.code!)).toBe(false);
      // The redeemed discount stays in Shopify. Offer tags and metafields are gone, except for
      // customers who hold a still-live offer from the latest (budget-capped) run.
      expect(codesNow.has(code)).toBe(true);
      const live = new Set(
        (
          await s.db.prisma.automationAssignment.findMany({
            where: { shop: domain, status: "ISSUED", expiresAt: { gt: new Date(s.env.clock()) } },
          })
        ).map((r) => r.customerGid),
      );
      expect(live.size).toBeGreaterThan(0);
      let checked = 0;
      for (const r of [...cleaned, after.find((x) => x.customerGid === user.customerGid)!]) {
        const customer = shop().customers.get(r.customerGid);
        if (!customer) continue; // deleted by the userErrors test
        if (live.has(r.customerGid)) {
          expect(customer.tags).toContain("gp-offer");
          continue;
        }
        checked++;
        expect(customer.tags.filter((t) => t.startsWith("gp-offer"))).toEqual([]);
        expect(customer.metafields.some((m) => m.key === "offer_code")).toBe(false);
      }
      expect(checked).toBeGreaterThan(10);
      // Idempotent: nothing left to clean.
      expect(await cleanupExpiredCodes(s.deps, domain)).toEqual({ cleaned: 0, redeemed: 0 });
    });

    it("segment write-back tags customers and writes segment + churn band metafields", async () => {
      const automation = await createAutomation(s.db.prisma, domain, { type: "SEGMENT_WRITEBACK", name: "Segments" });
      const preview = await previewAutomation(s.deps, domain, automation.id);
      expect(preview.writebackChanges).toBeGreaterThan(100);
      const result = await runAutomation(s.deps, domain, automation.id);
      expect(result.status).toBe("COMPLETED");
      // The customer deleted in Shopify by the userErrors test fails (tagsAdd: not found); the rest are written.
      expect(result.counts.WRITTEN + (result.counts.FAILED ?? 0)).toBe(preview.writebackChanges);
      expect(result.counts.FAILED ?? 0).toBeLessThanOrEqual(1);
      const score = (await s.db.prisma.customerScore.findFirst({ where: { shop: domain, segment: "Champions" } }))!;
      const customer = shop().customers.get(score.customerGid)!;
      expect(customer.tags).toContain("gp-segment-champions");
      expect(customer.metafields.find((m) => m.key === "segment")?.value).toBe("Champions");
      expect(["low", "medium", "high"]).toContain(customer.metafields.find((m) => m.key === "churn_band")?.value);
    });

    it("the automation.run job runs due scheduled automations once per period", async () => {
      await advance(31);
      const automation = await createAutomation(s.db.prisma, domain, {
        type: "WIN_BACK",
        name: "Daily win-back",
        schedule: "DAILY",
      });
      await updateAutomation(s.db.prisma, domain, automation.id, { status: "ACTIVE" });
      const first = await runAutomations(s.deps, domain);
      expect(first.map((r) => r.status)).toEqual(["COMPLETED"]);
      expect(await runAutomations(s.deps, domain)).toEqual([]); // not due again the same day
      await advance(1);
      expect((await runAutomations(s.deps, domain)).length).toBe(1);
    });
  });
