import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, launchChromium, openPage, seeContains, visible } from "./browser";
import { startAdmin, type AdminHarness } from "./harness";

/**
 * The charts' empty and short-history states in the browser: a shop with products and customers
 * but no orders, synced and scored like the main suite's shop (its own harness, so its own process
 * database and demo shop).
 */

let h: AdminHarness;
let browser: Browser;

beforeAll(async () => {
  mkdirSync("artifacts/screenshots", { recursive: true });
  h = await startAdmin({ products: 5, customers: 5, orders: 0 });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe("charts without orders", () => {
  it("home: sales charts and the forecast say what they need instead of drawing nothing", async () => {
    const { page, errors } = await openPage(browser, h.url + "/app");
    await seeContains(page.locator("body"), "No orders in the last 60 days yet");
    expect(await page.getByTestId("chart-revenue").count()).toBe(0);
    await seeContains(page.locator("#forecast"), "A forecast needs");
    expect(await page.locator("#forecast svg").count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: "artifacts/screenshots/admin-home-empty.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("retention: cohorts, revenue per customer and segment movement each explain their empty state", async () => {
    const { page, errors } = await openPage(browser, h.url + "/app/retention");
    await visible(page.getByText("No first orders in the last 12 complete months yet"));
    await visible(page.getByText("This needs a cohort with three complete months of history."));
    await visible(page.getByText("No customer has ordered yet, so there is no movement to show."));
    expect(await page.getByTestId("cohort-heatmap").count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: "artifacts/screenshots/admin-retention-empty.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
