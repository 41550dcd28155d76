import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appState } from "../../../devstore/app-state";
import { flowLifecycleRequest } from "../../../devstore/flow-lifecycle";
import { testDbKinds } from "../../helpers/db";
import { API_SECRET } from "../sync/helpers";
import { setupAutomationEnv } from "./helpers";
import { createAutomation, listAssignments } from "~/models/automations";
import { runAutomation } from "~/services/automations/issue.server";
import { acceptFlowLifecycle } from "~/services/shop/flow-lifecycle.server";
import { OFFER_TRIGGER_HANDLE, OFFER_TRIGGER_KEYS } from "~/shopify/flow-trigger";

/**
 * Delivery through Shopify Flow (issue 13 item 2): every treated customer of a run starts one
 * "Growthpilot offer issued" trigger run with the code, its expiry, the automation, the segment
 * and up to 3 "for you" products; holdout customers none; a resumed or repeated run sends no
 * second trigger. The stand-in accepts only the handle and keys the extension's TOML declares.
 */

const TOML_PATH = "extensions/growthpilot-offer-issued/shopify.extension.toml";

interface TomlField {
  type: string;
  key?: string;
}

describe("the Flow trigger extension", () => {
  it("declares exactly the handle and payload keys the app sends (customer_reference travels as customer_id)", () => {
    const toml = parse(readFileSync(TOML_PATH, "utf8")) as unknown as {
      extensions: { type: string; handle: string }[];
      settings: { fields: TomlField[] };
    };
    expect(toml.extensions[0].type).toBe("flow_trigger");
    expect(toml.extensions[0].handle).toBe(OFFER_TRIGGER_HANDLE);
    expect(toml.extensions[0].handle.length).toBeLessThanOrEqual(30);
    const keys = toml.settings.fields.map((f) => (f.type === "customer_reference" ? "customer_id" : f.key!));
    expect(keys).toEqual([...OFFER_TRIGGER_KEYS]);
    // Shopify: custom field keys hold only letters and spaces.
    for (const f of toml.settings.fields.filter((x) => x.type !== "customer_reference"))
      expect(f.key).toMatch(/^[A-Za-z ]+$/);
  });
});

describe.each(testDbKinds)("offers delivered through Flow (%s)", (kind) => {
  const domain = `flow-${kind}.myshopify.com`;
  let s: Awaited<ReturnType<typeof setupAutomationEnv>>;

  beforeAll(async () => {
    s = await setupAutomationEnv(kind, {
      domain,
      customers: 300,
      orders: 1000,
      flowTriggers: { [OFFER_TRIGGER_HANDLE]: OFFER_TRIGGER_KEYS },
    });
    // The merchant has a workflow on the trigger: Flow's signed lifecycle callback says so (D28).
    const req = flowLifecycleRequest(s.env.shop, { enabled: true, apiSecret: API_SECRET, nowMs: s.env.clock() });
    await acceptFlowLifecycle(req.body, req.headers["X-Shopify-Hmac-Sha256"], API_SECRET, s.db.prisma);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it("one accepted trigger per treated customer, none for holdout, none again on a re-run", async () => {
    const automation = await createAutomation(s.db.prisma, domain, { type: "WIN_BACK", name: "Come back" });
    const result = await runAutomation(s.deps, domain, automation.id);
    const rows = await listAssignments(s.db.prisma, domain, [result.runId]);
    const treated = rows.filter((r) => r.arm === "TREATMENT" && r.status === "ISSUED");
    const holdout = rows.filter((r) => r.arm === "HOLDOUT");
    expect(treated.length).toBeGreaterThan(0);
    expect(holdout.length).toBeGreaterThan(0);
    const runs = appState(s.env.shop).flowTriggerRuns.filter((r) => r.handle === OFFER_TRIGGER_HANDLE);
    expect(runs).toHaveLength(treated.length);
    const byCustomer = new Map(runs.map((r) => [`gid://shopify/Customer/${r.payload.customer_id}`, r.payload]));
    expect(byCustomer.size).toBe(treated.length);
    for (const h of holdout) expect(byCustomer.has(h.customerGid)).toBe(false);
    for (const t of treated) {
      const p = byCustomer.get(t.customerGid)!;
      expect(p["Discount code"]).toBe(t.code);
      expect(p["Expires at"]).toBe(t.expiresAt!.toISOString());
      expect(p["Automation name"]).toBe("Come back");
      expect(p.Segment).toBe(t.stratum);
      expect(p["Discount text"]).toBe("15% off your next order");
      expect(t.flowStatus).toBe("ACCEPTED");
    }
    // "For you" products ride along with title and storefront URL.
    const withProducts = runs.filter((r) => typeof r.payload["Product one title"] === "string");
    expect(withProducts.length).toBeGreaterThan(0);
    expect(String(withProducts[0].payload["Product one url"])).toMatch(new RegExp(`^https://${domain}/products/`));

    // Running again plans nobody new (suppression) and re-sends nothing.
    await runAutomation(s.deps, domain, automation.id);
    expect(appState(s.env.shop).flowTriggerRuns).toHaveLength(treated.length);
  });
});
