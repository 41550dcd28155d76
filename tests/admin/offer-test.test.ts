import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, openPage, seeContains, visible } from "./browser";
import { SHOP, TOKEN, startAdmin, type AdminHarness } from "./harness";

/**
 * The offer test on the automation page (issue #18, D39): arms entered in the settings (a too-deep
 * arm is a field error), a first run with an equal split, 30 simulated days in which the stand-in
 * answers each segment by its own response curve, a second run with a learned split; the page
 * shows the arms, per-arm results with intervals, the plain recommendation and the split per run.
 * Screenshots: artifacts/screenshots/offer-test-*.png.
 */

const SHOTS = path.resolve("artifacts/screenshots");
let h: AdminHarness;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startAdmin({ products: 40, customers: 700, orders: 4000 });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function runOnce(page: Page, id: string, completed: number) {
  await page.getByRole("button", { name: "Approve and run" }).click();
  await expect
    .poll(async () => h.prisma.automationRun.count({ where: { shop: SHOP, automationId: id, status: "COMPLETED" } }), {
      timeout: 150_000,
      interval: 500,
    })
    .toBe(completed);
  await page.reload({ waitUntil: "networkidle", timeout: 90_000 });
}

async function simulate(page: Page) {
  const { waitForJobsIdle } = await import("~/jobs/queue.server");
  await page.getByRole("button", { name: "Simulate 30 days of orders" }).click();
  await seeContains(page.locator("body"), "Simulated", 120_000);
  await expect
    .poll(
      async () => {
        await h.store.deliverPending();
        await waitForJobsIdle();
        return h.prisma.order.count({ where: { shop: SHOP } });
      },
      { timeout: 180_000, interval: 1000 },
    )
    .toBe(h.shop.orders.size);
}

describe("offer test", () => {
  it("arms, per-arm results, the recommendation and the learned split", async () => {
    const { page, errors } = await openPage(browser, `${h.url}/app/automations`);
    await page.getByLabel("New automation").selectOption({ label: "Win-back" });
    await page.getByRole("button", { name: "Create with defaults" }).click();
    await page.waitForURL(/\/app\/automations\/[^/]+$/);
    const id = page.url().split("/").pop()!;

    // A too-deep arm is a field error and nothing is saved.
    await page.getByLabel("Offer test arms").fill("10, 40");
    await page.getByRole("button", { name: "Save" }).click();
    await seeContains(page.locator("body"), "No arm may be deeper than the maximum discount (30%)", 60_000);
    expect((await h.prisma.automation.findFirstOrThrow({ where: { id } })).config).not.toHaveProperty("arms.0");
    await page.getByLabel("Offer test arms").fill("10, 20");
    await page.getByRole("button", { name: "Save" }).click();
    await seeContains(page.locator("body"), "Saved.", 60_000);
    const row = await h.prisma.automation.findFirstOrThrow({ where: { shop: SHOP, id } });
    expect((row.config as { arms: unknown[] }).arms).toEqual([
      { kind: "PERCENTAGE", value: 0.1 },
      { kind: "PERCENTAGE", value: 0.2 },
    ]);
    // Bigger experiment: no consent filter, no budget, customers may be offered again next run.
    await h.prisma.automation.update({
      where: { id },
      data: {
        config: {
          ...(row.config as object),
          sendsMessages: false,
          budgetPerRunMinor: null,
          budgetPerMonthMinor: null,
          suppressionDays: 0,
        },
      },
    });
    await page.reload({ waitUntil: "networkidle", timeout: 90_000 });
    await visible(page.getByText("Offer test", { exact: true }));

    const { createAdminClient } = await import("~/shopify/admin-client.server");
    const { registerWebhooks } = await import("~/services/shop/install.server");
    await registerWebhooks(
      createAdminClient({ shop: SHOP, accessToken: TOKEN, baseUrl: h.store.url, sleep: async () => {} }),
      `${h.url}/webhooks`,
    );
    await runOnce(page, id, 1);
    await simulate(page);
    await runOnce(page, id, 2);
    await simulate(page);
    await page.reload({ waitUntil: "networkidle", timeout: 90_000 });

    await visible(page.getByText("What to offer"), 60_000);
    await visible(page.getByText("How the split learned"));
    await seeContains(page.locator("body"), "equal (first run)");
    await seeContains(page.locator("body"), "learned");
    const recs = await page.locator("li", { hasText: "customers:" }).allTextContents();
    console.info(`offer test recommendations:\n  ${recs.join("\n  ")}`);
    expect(recs.some((r) => /^All customers: /.test(r))).toBe(true);
    expect(recs.some((r) => /(earns|leads) .* margin per customer/.test(r))).toBe(true);
    await visible(page.getByRole("columnheader", { name: "Incremental margin / customer" }));
    await page.screenshot({ path: path.join(SHOTS, "offer-test-desktop.png"), fullPage: true });
    const phone = await openPage(browser, page.url(), { width: 390, height: 844 });
    await visible(phone.page.getByText("What to offer"));
    await phone.page.screenshot({ path: path.join(SHOTS, "offer-test-mobile.png"), fullPage: true });
    expect(errors).toEqual([]);
    expect(phone.errors).toEqual([]);
    await phone.page.close();
    await page.close();
  }, 900_000);
});
