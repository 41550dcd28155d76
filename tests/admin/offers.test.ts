import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appState } from "../../devstore/app-state";
import { launchChromium, openPage, seeContains, visible } from "./browser";
import { SHOP, startAdmin, type AdminHarness } from "./harness";

/**
 * The automation page says how codes reach customers before a run and how many Flow triggers were
 * accepted / failed after it; the per-customer code CSV is session-only and formula-safe.
 * Screenshots (desktop and phone) go to artifacts/screenshots/offers-*.png.
 */

const SHOTS = path.resolve("artifacts/screenshots");
let h: AdminHarness;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startAdmin();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe("offer delivery on the automation page", () => {
  it("before: explains Flow delivery with an email template; after: one accepted trigger per treated customer, none for holdout; CSV of codes", async () => {
    const { page, errors } = await openPage(browser, `${h.url}/app/automations`);
    await page.getByLabel("New automation").selectOption({ label: "Win-back" });
    await page.getByRole("button", { name: "Create with defaults" }).click();
    await page.waitForURL(/\/app\/automations\/[^/]+$/);
    await page.waitForLoadState("networkidle");
    const id = page.url().split("/").pop()!;
    await seeContains(page.locator("#flow-delivery"), "Growthpilot offer issued");
    await seeContains(page.locator("[data-testid=email-template]"), "{{ growthpilotOfferIssued.discountCode }}");
    await page.getByRole("button", { name: "简体中文" }).click();
    await seeContains(page.locator("[data-testid=email-template]"), "专属优惠码");
    await page.screenshot({ path: path.join(SHOTS, "offers-before.png"), fullPage: true });

    await page.getByRole("button", { name: "Approve and run" }).click();
    await seeContains(page.locator("#flow-delivery"), "Last run:", 60_000);
    await expect
      .poll(
        async () => h.prisma.automationRun.count({ where: { shop: SHOP, automationId: id, status: "COMPLETED" } }),
        { timeout: 60_000 },
      )
      .toBe(1);
    await page.reload({ waitUntil: "networkidle" });
    const rows = await h.prisma.automationAssignment.findMany({ where: { shop: SHOP, automationId: id } });
    const treated = rows.filter((r) => r.arm === "TREATMENT" && r.status === "ISSUED");
    const holdout = rows.filter((r) => r.arm === "HOLDOUT");
    const triggered = new Set(
      appState(h.store.shops.get(SHOP)!).flowTriggerRuns.map((r) => `gid://shopify/Customer/${r.payload.customer_id}`),
    );
    expect(triggered.size).toBe(treated.length);
    for (const t of holdout) expect(triggered.has(t.customerGid)).toBe(false);
    await seeContains(
      page.locator("#flow-delivery"),
      `Flow triggers ${treated.length.toLocaleString("en-US")} accepted, 0 failed`,
    );
    // Offer tags: one bulk mutation for the run (D33), counted on the page; holdout untagged.
    await seeContains(
      page.locator("#flow-delivery"),
      `Tags (gp-offer): ${treated.length.toLocaleString("en-US")} applied, 0 failed`,
    );
    const standInShop = h.store.shops.get(SHOP)!;
    for (const t of treated) expect(standInShop.customers.get(t.customerGid)!.tags).toContain("gp-offer");
    for (const t of holdout) expect(standInShop.customers.get(t.customerGid)!.tags).not.toContain("gp-offer");
    await page.screenshot({ path: path.join(SHOTS, "offers-after.png"), fullPage: true });
    const phone = await openPage(browser, page.url(), { width: 390, height: 844 });
    await visible(phone.page.locator("#flow-delivery"));
    await phone.page.screenshot({ path: path.join(SHOTS, "offers-after-mobile.png"), fullPage: true });

    const csv = await (await fetch(`${h.url}/app/automations/${id}/codes`)).text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("customer_id,first_name,last_name,email,code,expires_at,segment,status,flow_trigger");
    expect(lines).toHaveLength(rows.filter((r) => r.arm === "TREATMENT").length + 1);
    expect(lines.slice(1).every((l) => !/^[=+\-@]|,[=+\-@]/.test(l))).toBe(true);
    expect(errors).toEqual([]);
    expect(phone.errors).toEqual([]);
    await phone.page.close();
    await page.close();
  });

  it("the codes CSV of an unknown automation is a 404", async () => {
    expect((await fetch(`${h.url}/app/automations/nope/codes`)).status).toBe(404);
  });
});
