import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formSnapshot, launchChromium, openPage, visible } from "./browser";
import { SHOP, startAdmin, type AdminHarness } from "./harness";

/**
 * Every admin form round-trips: load it, save without touching anything, reload — every field
 * (checkboxes included) shows what it showed before, and the stored record is unchanged. Runs in
 * Chromium against the production build (see harness.ts). Issue 13 item 1: Polaris' Checkbox
 * posts value="" and the server read only "on", so saving an automation unchanged silently
 * unticked "only customers subscribed to marketing".
 */

let h: AdminHarness;
let browser: Browser;

beforeAll(async () => {
  h = await startAdmin();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const storedAutomation = (id: string) =>
  h.prisma.automation.findUniqueOrThrow({
    where: { id },
    select: { name: true, schedule: true, config: true, status: true },
  });

/** Saves the automation settings form as loaded and waits for the confirmation. */
async function saveAutomation(page: Page) {
  await page.locator("#automation-settings").getByRole("button", { name: "Save", exact: true }).click();
  await visible(page.getByText(/^Saved\. The preview below uses the new settings\./));
}

async function createAutomation(page: Page, label: string): Promise<string> {
  await page.getByLabel("New automation").selectOption({ label });
  await page.getByRole("button", { name: "Create with defaults" }).click();
  await page.waitForURL(/\/app\/automations\/[^/]+$/);
  await page.waitForLoadState("networkidle");
  return page.url().split("/").pop()!;
}

describe("admin forms round-trip (save unchanged keeps every field)", () => {
  for (const [label, offer] of [
    ["Win-back", true],
    ["VIP reward", true],
    ["Second-purchase nudge", true],
    ["Bundle offer", true],
    ["Segment → Shopify write-back", false],
  ] as const) {
    it(`automation: ${label}`, async () => {
      const { page, errors } = await openPage(browser, `${h.url}/app/automations`);
      const id = await createAutomation(page, label);
      const form = page.locator("#automation-settings");
      const before = await formSnapshot(form);
      const stored = await storedAutomation(id);
      if (offer) {
        // The consent rule is on by default for every offer and must survive an unchanged save.
        expect(before.sendsMessages).toBe("true");
        expect(before["checkbox:Sent by email/Flow (only customers subscribed to marketing)"]).toBe(true);
      }
      await saveAutomation(page);
      await page.reload({ waitUntil: "networkidle" });
      expect(await formSnapshot(form)).toEqual(before);
      const after = await storedAutomation(id);
      // Saving makes the inherited holdout explicit; everything else is byte-identical.
      const { holdoutShare: savedHoldout, ...rest } = after.config as Record<string, unknown>;
      const { holdoutShare: _inherited, ...restBefore } = stored.config as Record<string, unknown>;
      expect({ ...after, config: rest }).toEqual({ ...stored, config: restBefore });
      if (offer) expect(savedHoldout).toBe(0.2);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it("automation: an unticked consent box stays unticked through an unchanged save", async () => {
    const { page, errors } = await openPage(browser, `${h.url}/app/automations`);
    const id = await createAutomation(page, "Win-back");
    const box = page.getByLabel("Sent by email/Flow (only customers subscribed to marketing)");
    // Polaris hides the real input under its styled backdrop: click the label like a person would.
    await page.getByText("Sent by email/Flow (only customers subscribed to marketing)").click();
    await expect.poll(() => box.isChecked()).toBe(false);
    await saveAutomation(page);
    await page.reload({ waitUntil: "networkidle" });
    const before = await formSnapshot(page.locator("#automation-settings"));
    expect(before.sendsMessages).toBe("false");
    await saveAutomation(page);
    await page.reload({ waitUntil: "networkidle" });
    expect(await formSnapshot(page.locator("#automation-settings"))).toEqual(before);
    expect(((await storedAutomation(id)).config as { sendsMessages: boolean }).sendsMessages).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("settings", async () => {
    const { getShopSettings } = await import("~/models/shops.server");
    const { page, errors } = await openPage(browser, `${h.url}/app/settings`);
    const form = page.locator("#settings-form");
    const before = await formSnapshot(form);
    const stored = await getShopSettings(h.prisma, SHOP);
    expect(before.allowContinueSelling).toBe(stored.recommendationFilters.allowContinueSelling ? "true" : "false");
    await page.getByRole("button", { name: "Save settings" }).click();
    await visible(page.getByText(/^Settings saved/));
    await page.reload({ waitUntil: "networkidle" });
    expect(await formSnapshot(form)).toEqual(before);
    expect(await getShopSettings(h.prisma, SHOP)).toEqual(stored);

    // And the other checkbox state round-trips too.
    await page.getByText("Recommend out-of-stock products that allow overselling (continue selling)").click();
    await page.getByRole("button", { name: "Save settings" }).click();
    await visible(page.getByText(/^Settings saved/));
    await page.reload({ waitUntil: "networkidle" });
    const flipped = await formSnapshot(form);
    expect(flipped.allowContinueSelling).toBe(before.allowContinueSelling === "true" ? "false" : "true");
    await page.getByRole("button", { name: "Save settings" }).click();
    await visible(page.getByText(/^Settings saved/));
    await page.reload({ waitUntil: "networkidle" });
    expect(await formSnapshot(form)).toEqual(flipped);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("tagging", async () => {
    const smallest = (
      await h.prisma.customerScore.groupBy({
        by: ["segment"],
        where: { shop: SHOP },
        _count: { _all: true },
        orderBy: { _count: { segment: "asc" } },
      })
    )[0];
    const slug = smallest.segment.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const { page, errors } = await openPage(browser, `${h.url}/app/segments/${slug}`);
    const form = page.locator("form:has(input[name=tag])");
    const before = await formSnapshot(form);
    expect(before.tag).toMatch(/^growthpilot-/);
    await form.getByRole("button", { name: /^Tag \d+ customers/ }).click();
    await visible(page.getByText("completed", { exact: true }), 30_000);
    await page.reload({ waitUntil: "networkidle" });
    expect(await formSnapshot(form)).toEqual(before);
    const tagged = await h.prisma.customer.count({ where: { shop: SHOP, tags: { has: String(before.tag) } } });
    expect(tagged).toBe(smallest._count._all);
    expect(errors).toEqual([]);
    await page.close();
  });
});
