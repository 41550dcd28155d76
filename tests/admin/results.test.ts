import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TRUE_UPLIFT } from "../../devstore/simulate-uplift";
import { launchChromium, openPage, seeContains, visible } from "./browser";
import { SHOP, TOKEN, startAdmin, type AdminHarness } from "./harness";

/**
 * The demo proves the product's promise (issue 13 item 4): run a win-back, simulate 30 days in the
 * stand-in (known true effect +25 pts), sync the new orders, reload: the results chart and a
 * positive conversion-lift interval next to the stated truth are on the page. The shop is bigger than
 * the default harness one and the automation sends no messages with a 50% holdout, so both arms
 * are large enough to measure. Screenshots: artifacts/screenshots/results-*.png.
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

const pts = (s: string) => Number(s.replace(/[^\d.+-]/g, ""));

describe("automation results over time", () => {
  it("after a run and 30 simulated days: chart, and a positive interval next to the true lift", async () => {
    const { page, errors } = await openPage(browser, `${h.url}/app/automations`);
    await page.getByLabel("New automation").selectOption({ label: "Win-back" });
    await page.getByRole("button", { name: "Create with defaults" }).click();
    await page.waitForURL(/\/app\/automations\/[^/]+$/);
    const id = page.url().split("/").pop()!;
    const row = await h.prisma.automation.findFirstOrThrow({ where: { shop: SHOP, id } });
    await h.prisma.automation.update({
      where: { id },
      data: {
        config: {
          ...(row.config as object),
          sendsMessages: false,
          holdoutShare: 0.5,
          budgetPerRunMinor: null,
          budgetPerMonthMinor: null,
        },
      },
    });
    await page.reload({ waitUntil: "networkidle", timeout: 90_000 }); // the results loader bootstraps the series: slow on a loaded 2-CPU box
    await page.getByRole("button", { name: "Approve and run" }).click();
    await expect
      .poll(
        async () => h.prisma.automationRun.count({ where: { shop: SHOP, automationId: id, status: "COMPLETED" } }),
        { timeout: 150_000, interval: 500 },
      )
      .toBe(1);
    await page.reload({ waitUntil: "networkidle", timeout: 90_000 }); // the results loader bootstraps the series: slow on a loaded 2-CPU box
    await seeContains(page.locator("body"), `+${DEMO_TRUE_UPLIFT * 100} pts`);

    // Simulated orders reach the app as orders/create webhooks, as in the demo (the harness delivers on demand).
    const { createAdminClient } = await import("~/shopify/admin-client.server");
    const { registerWebhooks } = await import("~/services/shop/install.server");
    const { waitForJobsIdle } = await import("~/jobs/queue.server");
    await registerWebhooks(
      createAdminClient({ shop: SHOP, accessToken: TOKEN, baseUrl: h.store.url, sleep: async () => {} }),
      `${h.url}/webhooks`,
    );
    await page.getByRole("button", { name: "Simulate 30 days of orders" }).click();
    await seeContains(page.locator("body"), "Simulated", 60_000);
    // Every simulated order must reach the app (a delivery the intake turned away is retried).
    await expect
      .poll(
        async () => {
          await h.store.deliverPending();
          await waitForJobsIdle();
          return h.prisma.order.count({ where: { shop: SHOP } });
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(h.shop.orders.size);
    await page.reload({ waitUntil: "networkidle", timeout: 90_000 }); // the results loader bootstraps the series: slow on a loaded 2-CPU box
    await page.screenshot({ path: path.join(SHOTS, "results-desktop.png"), fullPage: true });

    await visible(page.getByText("Treated vs holdout over time (cumulative conversion)"));
    await visible(page.getByText("Incremental margin (total, after discount cost)"));
    const claim = (await page.getByText("The demo’s true effect is").first().textContent()) ?? "";
    const m = /measured lift is ([+-][\d.]+) pts \(([+-][\d.]+) pts to ([+-][\d.]+) pts\)/.exec(claim);
    expect(m, claim).not.toBeNull();
    const [low, high] = [pts(m![2]), pts(m![3])];
    console.info(`browser results: ${claim}`);
    // This run's holdout draw is random (the run id seeds it), so whether one 90% interval covers
    // the truth is itself a 90% event: coverage is asserted where it is reproducible
    // (tests/services/automations/measure.results-e2e.test.ts, fixed ids and clock; tests/devstore/simulate-uplift.test.ts,
    // 60 shops). Here: the page shows a positive interval around its own estimate, and states the truth.
    expect(low).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(low);
    expect(claim).toContain(`+${Math.round(DEMO_TRUE_UPLIFT * 100)} pts`);
    // The chart's numbers are also a table for screen readers.
    expect(await page.locator("table caption", { hasText: "Treated vs holdout over time" }).count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, "results-desktop.png"), fullPage: true });
    const phone = await openPage(browser, page.url(), { width: 390, height: 844 });
    await visible(phone.page.getByText("Treated vs holdout over time (cumulative conversion)"));
    await phone.page.screenshot({ path: path.join(SHOTS, "results-mobile.png"), fullPage: true });
    expect(errors).toEqual([]);
    expect(phone.errors).toEqual([]);
    await phone.page.close();
    await page.close();
  }, 300_000);
});
