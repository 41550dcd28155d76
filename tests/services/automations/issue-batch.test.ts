import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appState } from "../../../devstore/app-state";
import { flowLifecycleRequest } from "../../../devstore/flow-lifecycle";
import { testDbKinds } from "../../helpers/db";
import { API_SECRET } from "../sync/helpers";
import { setupAutomationEnv, standInCodes } from "./helpers";
import { createAutomation, FLOW_SKIPPED_REASON, FLOW_STATUS, listAssignments } from "~/models/automations";
import { isFlowTriggerInUse } from "~/models/shops.server";
import { runAutomation } from "~/services/automations/issue.server";
import type { AutomationDeps } from "~/services/automations/shared.server";
import { acceptFlowLifecycle } from "~/services/shop/flow-lifecycle.server";
import { OFFER_TRIGGER_HANDLE, OFFER_TRIGGER_KEYS } from "~/shopify/flow-trigger";

/**
 * Batched issuing (D28, issue 13 item 5) and Flow's trigger lifecycle callback: one customer's
 * rejection inside a batch fails only that customer; a crash or exhausted throttling mid-batch
 * leaves the run resumable with no second code and no second Flow trigger for anyone.
 */
const DAY = 86_400_000;

// One shop's Flow history, kept in order even under `--sequence.shuffle`: the first run needs the
// trigger still unused, the lifecycle step turns it on for the runs after it, and the later runs
// exclude the customer the userError step deleted. Self-contained tests would each need their own
// synced 1,000-order shop.
for (const kind of testDbKinds)
  describe(`batched issuing (${kind})`, { shuffle: false }, () => {
    const domain = `batch-${kind}.myshopify.com`;
    let s: Awaited<ReturnType<typeof setupAutomationEnv>>;
    /** Small batches so a run spans several. */
    let deps: AutomationDeps;
    /** The customer the userError test deletes from Shopify; later runs may plan them again and fail them. */
    let victim = "";
    const treatedOf = async (runId: string) =>
      (await listAssignments(s.db.prisma, domain, [runId])).filter(
        (r) => r.arm === "TREATMENT" && r.customerGid !== victim,
      );

    beforeAll(async () => {
      s = await setupAutomationEnv(kind, {
        domain,
        customers: 300,
        orders: 1000,
        flowTriggers: { [OFFER_TRIGGER_HANDLE]: OFFER_TRIGGER_KEYS },
      });
      deps = { ...s.deps, batchSize: 10 };
    }, 60_000);
    afterAll(async () => {
      await s?.close();
    });

    const triggerRuns = () => appState(s.env.shop).flowTriggerRuns.filter((r) => r.handle === OFFER_TRIGGER_HANDLE);
    /** Trigger runs per customer (legacy id) since `from` (an earlier run may have sent theirs). */
    const triggersPerCustomer = (from = 0) => {
      const n = new Map<string, number>();
      for (const r of triggerRuns().slice(from))
        n.set(String(r.payload.customer_id), (n.get(String(r.payload.customer_id)) ?? 0) + 1);
      return n;
    };
    /** Every treated customer of the run holds exactly one code, and the stand-in gained exactly that many. */
    const expectOneCodeEach = (treated: { code: string | null; customerGid: string }[], codesBefore: number) => {
      const codes = standInCodes(s.env.shop);
      expect(codes.size - codesBefore).toBe(treated.length);
      for (const r of treated) expect(codes.get(r.code!)?.customerIds).toEqual([r.customerGid]);
    };
    const lifecycle = (enabled: boolean, atMs: number, secret = API_SECRET) => {
      const req = flowLifecycleRequest(s.env.shop, { enabled, apiSecret: secret, nowMs: atMs });
      return acceptFlowLifecycle(req.body, req.headers["X-Shopify-Hmac-Sha256"], API_SECRET, s.db.prisma);
    };
    const nextRun = async (type: "WIN_BACK" | "VIP_REWARD", name: string, d: AutomationDeps = deps) => {
      await s.env.sleep(31 * DAY); // past every earlier run's suppression window
      const automation = await createAutomation(s.db.prisma, domain, { type, name });
      return { automation, run: () => runAutomation(d, domain, automation.id) };
    };

    it("without a workflow on the trigger nothing goes to Flow, and each assignment says why", async () => {
      expect(await isFlowTriggerInUse(s.db.prisma, domain)).toBe(false);
      const { run } = await nextRun("WIN_BACK", "No workflow yet");
      const result = await run();
      expect(result.status).toBe("COMPLETED");
      const treated = (await listAssignments(s.db.prisma, domain, [result.runId])).filter((r) => r.arm === "TREATMENT");
      expect(treated.length).toBeGreaterThan(10);
      expect(
        treated.every(
          (r) => r.status === "ISSUED" && r.flowStatus === FLOW_STATUS.SKIPPED && r.flowError === FLOW_SKIPPED_REASON,
        ),
      ).toBe(true);
      expect(triggerRuns()).toHaveLength(0);
    });

    it("Flow's lifecycle callback: a wrong signature is refused and changes nothing; a signed one turns the trigger on; an older one never overrides", async () => {
      const now = s.env.clock();
      expect(await lifecycle(true, now, "not-the-app-secret")).toEqual({ status: 401 });
      expect(await isFlowTriggerInUse(s.db.prisma, domain)).toBe(false);
      expect(await lifecycle(true, now)).toEqual({ status: 200, recorded: true });
      expect(await isFlowTriggerInUse(s.db.prisma, domain)).toBe(true);
      expect(await lifecycle(false, now - 60_000)).toEqual({ status: 200, recorded: false });
      expect(await isFlowTriggerInUse(s.db.prisma, domain)).toBe(true);
      expect((await acceptFlowLifecycle("{not json", "x", API_SECRET, s.db.prisma)).status).toBe(401);
    });

    it("one customer's userError inside a batch fails only that customer; the rest of the batch is issued and triggered", async () => {
      const withVictim: AutomationDeps = {
        ...deps,
        hooks: {
          // The customer disappears from Shopify after their code was made (e.g. deleted by the merchant).
          afterBatchStep: (step, gids) => {
            if (step === "codes" && !victim && gids.length > 3) {
              victim = gids[2];
              s.env.shop.customers.delete(victim);
            }
          },
        },
      };
      const before = triggerRuns().length;
      const { run } = await nextRun("VIP_REWARD", "VIP batch", withVictim);
      const result = await run();
      expect(result.status).toBe("COMPLETED");
      const treated = (await listAssignments(s.db.prisma, domain, [result.runId])).filter((r) => r.arm === "TREATMENT");
      const failed = treated.filter((r) => r.status === "FAILED");
      expect(failed.map((r) => r.customerGid)).toEqual([victim]);
      expect(failed[0].error).toMatch(/metafieldsSet rejected/);
      const issued = treated.filter((r) => r.status === "ISSUED");
      expect(issued.length).toBe(treated.length - 1);
      for (const r of issued) {
        const customer = s.env.shop.customers.get(r.customerGid)!;
        expect(customer.metafields.find((m) => m.key === "offer_code")?.value).toBe(r.code);
        expect(r.flowStatus).toBe("ACCEPTED");
      }
      expect(triggerRuns().length - before).toBe(issued.length);
    });

    it("crash after a batch's triggers were sent, before ISSUED was committed: the resumed run sends no second trigger and mints no second code", async () => {
      let batches = 0;
      const crashing: AutomationDeps = {
        ...deps,
        hooks: {
          afterBatchStep: (step) => {
            if (step === "flow" && ++batches === 2) throw new Error("simulated crash");
          },
        },
      };
      const { run, automation } = await nextRun("WIN_BACK", "Crash mid-batch", crashing);
      const triggersBefore = triggerRuns().length;
      const codesBefore = standInCodes(s.env.shop).size;
      await expect(run()).rejects.toThrow("simulated crash");
      const resumed = await runAutomation(deps, domain, automation.id);
      expect(resumed.resumed).toBe(true);
      expect(resumed.status).toBe("COMPLETED");
      const treated = await treatedOf(resumed.runId);
      expect(treated.every((r) => r.status === "ISSUED")).toBe(true);
      // The crashed batch's triggers did reach Flow; they are recorded as unconfirmed, not sent again.
      expect(treated.filter((r) => r.flowStatus === FLOW_STATUS.UNCONFIRMED)).toHaveLength(10);
      const triggered = triggersPerCustomer(triggersBefore);
      expect(triggered.size).toBe(treated.length);
      for (const r of treated) expect(triggered.get(r.customerGid.split("/").pop()!)).toBe(1);
      expectOneCodeEach(treated, codesBefore);
    });

    it("throttling that outlasts the client's retries mid-batch: the run fails resumable, and the resume issues everyone exactly once", async () => {
      let batches = 0;
      const throttling: AutomationDeps = {
        ...deps,
        hooks: {
          // From the second batch's Flow request on, every request comes back THROTTLED.
          afterBatchStep: (step) => {
            if (step === "metafields" && ++batches === 2) s.env.store.faults.throttleRate = 1;
          },
        },
      };
      const { run, automation } = await nextRun("VIP_REWARD", "Throttled", throttling);
      const triggersBefore = triggerRuns().length;
      const codesBefore = standInCodes(s.env.shop).size;
      await expect(run()).rejects.toThrow(/THROTTLED/);
      s.env.store.faults.throttleRate = 0;
      const mid = await treatedOf(
        (await s.db.prisma.automationRun.findFirst({ where: { shop: domain, automationId: automation.id } }))!.id,
      );
      const runId = (await s.db.prisma.automationRun.findFirst({
        where: { shop: domain, automationId: automation.id },
      }))!.id;
      const all = (await listAssignments(s.db.prisma, domain, [runId])).filter((r) => r.arm === "TREATMENT");
      // Exactly the first batch of 10 finished (issued, or FAILED if it held the deleted customer);
      // the throttled batch holds codes but is not ISSUED; nothing else was touched.
      expect(all.filter((r) => r.status === "ISSUED" || r.status === "FAILED")).toHaveLength(10);
      expect(all.filter((r) => r.status === "FAILED").every((r) => r.customerGid === victim)).toBe(true);
      expect(mid.filter((r) => r.status === "CODE_CREATED").length).toBe(Math.min(10, all.length - 10));
      expect(mid.filter((r) => r.status === "PENDING").length).toBe(Math.max(0, all.length - 20));

      const resumed = await runAutomation(deps, domain, automation.id);
      expect(resumed.status).toBe("COMPLETED");
      const treated = await treatedOf(resumed.runId);
      expect(treated.every((r) => r.status === "ISSUED" && r.flowStatus === "ACCEPTED")).toBe(true);
      const triggered = triggersPerCustomer(triggersBefore);
      expect(triggered.size).toBe(treated.length);
      for (const r of treated) expect(triggered.get(r.customerGid.split("/").pop()!)).toBe(1);
      expectOneCodeEach(treated, codesBefore);
    });
  });
