import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  axeViolations,
  launchChromium,
  openPage,
  seeAttr,
  seeContains,
  seeText,
  visible,
  type Opened,
} from "./browser";
import { API_SECRET, SHOP, startAdmin, type AdminHarness } from "./harness";
import { makeOrder } from "../../devstore/factories";
import { restOrder } from "../../devstore/webhook-payloads";
import { signedWebhookRequest } from "../helpers/webhook-request";

/**
 * The merchant admin in a real browser (Debian chromium via playwright-core) against the
 * production build served in-process, on a small generated shop that was bulk-synced and scored.
 * Every page must render without console errors, show the numbers the database holds, and its
 * actions must reach the stand-in (tags) or the database (settings, sync). Screenshots go to
 * artifacts/screenshots/admin-*.png.
 */

const SHOTS = path.resolve("artifacts/screenshots");
const DAY_MS = 86_400_000;
const fmt = (n: number) => n.toLocaleString("en-US");

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

/** Opens a page, recording console errors and uncaught exceptions, and waits for hydration. */
const open = (pathname: string, viewport?: { width: number; height: number }): Promise<Opened> =>
  openPage(browser, h.url + pathname, viewport);

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `admin-${name}.png`), fullPage: true });
}

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? "").trim();

describe("admin pages", () => {
  it("home: KPIs, counts and segments match the database; Do this now links to where work is done", async () => {
    const { page, errors } = await open("/app");
    const now = new Date();
    const from = new Date(now.getTime() - 30 * DAY_MS);
    const [orders, products, customers, ordersInPeriod, scored] = await Promise.all([
      h.prisma.order.count({ where: { shop: SHOP } }),
      h.prisma.product.count({ where: { shop: SHOP, deletedAt: null } }),
      h.prisma.customer.count({ where: { shop: SHOP, redactedAt: null } }),
      h.prisma.order.count({ where: { shop: SHOP, cancelledAt: null, shopifyCreated: { gte: from, lt: now } } }),
      h.prisma.customerScore.groupBy({ by: ["segment"], where: { shop: SHOP }, _count: { _all: true } }),
    ]);
    expect(await text(page, "#count-orders")).toBe(fmt(orders));
    expect(await text(page, "#count-products")).toBe(fmt(products));
    expect(await text(page, "#count-customers")).toBe(fmt(customers));
    expect(await text(page, "#kpi-orders")).toBe(fmt(ordersInPeriod));
    const revenue = await h.prisma.order.aggregate({
      where: { shop: SHOP, cancelledAt: null, shopifyCreated: { gte: from, lt: now } },
      _sum: { totalMinor: true, refundedMinor: true },
    });
    const net = ((revenue._sum.totalMinor ?? 0) - (revenue._sum.refundedMinor ?? 0)) / 100;
    expect(await text(page, "#kpi-revenue")).toBe(
      new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(net),
    );
    for (const s of scored) {
      // Each segment's bar carries its exact count (the accessible table under the chart).
      const row = page
        .locator("figure table tr")
        .filter({ has: page.locator("th", { hasText: new RegExp(`^${s.segment}$`) }) });
      await seeText(row.locator("td"), String(s._count._all));
    }
    const actions = page.locator("[data-testid^=action-]");
    expect(await actions.count()).toBeGreaterThan(0);
    await seeAttr(page.locator("[data-testid=action-win-back] a"), "href", /\/app\/automations/);
    await visible(page.getByText("Can these numbers be trusted?"));
    await shot(page, "home");

    // Changing the period re-queries the KPIs.
    await page.getByLabel("Period").selectOption("365");
    await page.waitForURL(/period=365/);
    const yearOrders = await h.prisma.order.count({
      where: { shop: SHOP, cancelledAt: null, shopifyCreated: { gte: new Date(Date.now() - 365 * DAY_MS) } },
    });
    await seeText(page.locator("#kpi-orders"), fmt(yearOrders));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("home: every Do this now count equals what its link opens (segment total, automation list, automation preview)", async () => {
    /** Follows each counted item's link and reads the same audience's number on the page it opens. */
    const followAll = async () => {
      const { page, errors } = await open("/app");
      const items = page.locator("[data-testid^=action-][data-count]");
      const seen: Record<string, { count: number; href: string }> = {};
      for (const el of await items.all()) {
        const id = (await el.getAttribute("data-testid"))!.replace("action-", "");
        seen[id] = {
          count: Number(await el.getAttribute("data-count")),
          href: (await el.locator("a").getAttribute("href"))!,
        };
      }
      for (const [id, { count, href }] of Object.entries(seen)) {
        await page.goto(h.url + "/app", { waitUntil: "networkidle" });
        await page.locator(`[data-testid=action-${id}] a`).click();
        await page.waitForURL((u) => u.pathname + u.search === href);
        await page.waitForLoadState("networkidle");
        if (href.startsWith("/app/segments/"))
          await seeContains(page.locator("main, body").first(), `${fmt(count)} customers`);
        else if (href.includes("?template=")) await seeText(page.getByTestId("template-audience"), fmt(count));
        else await seeText(page.getByTestId("preview-qualifying"), fmt(count));
      }
      expect(errors).toEqual([]);
      await page.close();
      return seen;
    };
    const before = await followAll();
    // The demo shop has all three audiences; each number is the audience's own definition.
    expect(Object.keys(before).sort()).toEqual(["at-risk", "second-order", "win-back"]);
    expect(before["at-risk"].count).toBe(
      await h.prisma.customerScore.count({ where: { shop: SHOP, segment: "At risk" } }),
    );
    expect(before["win-back"].href).toBe("/app/automations?template=win-back");

    // Once the merchant has a win-back automation, the item opens it and counts with its rules.
    const { page } = await open("/app/automations?template=win-back");
    await page.getByRole("button", { name: "Create with defaults" }).click();
    await page.waitForURL(/\/app\/automations\/[^/?]+$/);
    const id = new URL(page.url()).pathname.split("/").pop()!;
    await page.close();
    try {
      const after = await followAll();
      expect(after["win-back"]).toEqual({ count: before["win-back"].count, href: `/app/automations/${id}` });
    } finally {
      // Other tests in this file see the shop without automations.
      await h.prisma.automation.deleteMany({ where: { shop: SHOP, id } });
    }
    // Eight page loads and two automation previews; the default minute is tight on a loaded machine.
  }, 180_000);

  it("accessibility: axe-core finds no WCAG 2 A/AA violation on any admin page, at desktop and phone width", async () => {
    const customer = await h.prisma.customerScore.findFirst({ where: { shop: SHOP }, orderBy: { customerGid: "asc" } });
    const automation = await h.prisma.automation.create({
      data: { shop: SHOP, type: "WIN_BACK", name: "Axe win-back", config: {} },
    });
    const pages = [
      "/app",
      "/app/segments",
      "/app/segments/at-risk",
      "/app/segments/cluster-1",
      `/app/customers/${customer!.customerGid.split("/").pop()}`,
      "/app/recommendations",
      "/app/retention",
      "/app/automations",
      `/app/automations/${automation.id}`,
      "/app/settings",
      "/app/privacy",
      "/app/segments/no-such-segment",
    ];
    const found: Record<string, unknown> = {};
    try {
      for (const viewport of [
        { width: 1280, height: 900 },
        { width: 390, height: 844 },
      ]) {
        for (const pathname of pages) {
          const { page } = await open(pathname, viewport);
          const violations = await axeViolations(page);
          if (violations.length) found[`${viewport.width} ${pathname}`] = violations;
          // Every page at both widths, for looking at (artifacts/screenshots/admin-page-*.png).
          const name = pathname.replace(/^\/app\/?/, "").replace(/[^a-z0-9]+/gi, "-") || "home";
          await shot(page, `page-${name.replace(/-[a-z0-9]{20,}$/, "-id")}-${viewport.width}`);
          await page.close();
        }
      }
    } finally {
      await h.prisma.automation.deleteMany({ where: { shop: SHOP, id: automation.id } });
    }
    expect(found).toEqual({});
    // 12 pages × 2 widths, each loaded, hydrated and scanned: about a minute on an idle machine.
  }, 300_000);

  it("charts: sales vs the period before, new vs returning, the stored forecast with its accuracy, cohorts and RFM movement", async () => {
    const { page, errors } = await open("/app");
    for (const id of ["chart-revenue", "chart-orders", "chart-new-returning"]) {
      const chart = page.getByTestId(id);
      await visible(chart.locator("svg"));
      // The default 30-day period is drawn per day; the data table has one row per day.
      expect(await chart.locator("table tbody tr").count()).toBe(30);
    }
    const run = await h.prisma.modelRun.findFirstOrThrow({
      where: { shop: SHOP, status: "COMPLETED" },
      orderBy: { startedAt: "desc" },
    });
    const forecast = (
      run.metrics as {
        forecast: {
          weeks: number;
          revenue: { forecast: { value: number }[] };
          orders: { forecast: { value: number }[] };
        };
      }
    ).forecast;
    const total = Math.round(forecast.orders.forecast.reduce((a, w) => a + w.value, 0));
    await seeText(page.getByTestId("forecast-orders"), fmt(total));
    await seeContains(page.locator("#forecast"), `Next ${forecast.weeks} weeks`);
    await seeContains(page.locator("#forecast"), "a typical week was off by");
    await seeContains(page.locator("#forecast"), "the 80 % range held the actual week");
    await visible(page.locator("#forecast").getByText("Top sellers: units expected and stock"));
    // The revenue mix splits the same revenue as the KPI (each row rounded to whole units).
    const mix = await page.getByTestId("revenue-mix").locator("td:nth-of-type(1)").allTextContents();
    const mixed = mix.reduce((a, t) => a + Number(t.replace(/[^0-9.-]/g, "")), 0);
    const kpi = Number((await text(page, "#kpi-revenue")).replace(/[^0-9.-]/g, ""));
    expect(Math.abs(mixed - kpi)).toBeLessThanOrEqual(2);
    await shot(page, "home-charts");
    expect(errors).toEqual([]);
    await page.close();

    const retention = await open("/app/retention");
    const heatmap = retention.page.getByTestId("cohort-heatmap");
    await visible(heatmap);
    const firstMonth = await heatmap.locator("tbody tr td:first-of-type").allTextContents();
    expect(firstMonth.length).toBeGreaterThan(6);
    expect(new Set(firstMonth)).toEqual(new Set(["100%"]));
    await visible(retention.page.getByTestId("chart-cumulative").locator("svg"));
    // Every scored customer is in exactly one cell of the movement matrix.
    const cells = await retention.page.getByTestId("rfm-movement").locator("tbody td").allTextContents();
    const moved = cells.reduce((a, c) => a + Number(c.replace(/,/g, "")), 0);
    expect(moved).toBe(await h.prisma.customerScore.count({ where: { shop: SHOP } }));
    await shot(retention.page, "retention");
    expect(retention.errors).toEqual([]);
    await retention.page.close();
  });

  it("home and retention on a phone-sized screen", async () => {
    for (const pathname of ["/app", "/app/retention"]) {
      const { page, errors } = await open(pathname, { width: 390, height: 844 });
      await shot(page, `${pathname === "/app" ? "home-charts" : "retention"}-mobile`);
      // Nothing wider than the screen but the scrollable tables, which scroll inside themselves.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("home: a banner names the access Shopify withholds and exactly what to request; none when all is granted", async () => {
    const { recordAccessGap } = await import("~/models/shops.server");
    const granted = await open("/app");
    await visible(granted.page.getByText("Do this now"));
    expect(await granted.page.locator("[data-access-gap]").count()).toBe(0);
    await granted.page.close();

    await recordAccessGap(h.prisma, SHOP, "protected_customer_data", true);
    await recordAccessGap(h.prisma, SHOP, "read_all_orders", true);
    try {
      const { page, errors } = await open("/app");
      await visible(page.getByText("Growthpilot is working with limited store data"));
      await seeContains(
        page.locator("[data-access-gap=protected_customer_data]"),
        "Customer names and emails are hidden by Shopify.",
      );
      await seeContains(
        page.locator("[data-access-gap=protected_customer_data]"),
        "API access → Protected customer data",
      );
      await seeContains(
        page.locator("[data-access-gap=read_all_orders]"),
        "Only the last 60 days of orders are visible.",
      );
      await seeContains(
        page.locator("[data-access-gap=read_all_orders]"),
        "request the read_all_orders scope in the Partner Dashboard",
      );
      await shot(page, "home-access-gaps");
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await recordAccessGap(h.prisma, SHOP, "protected_customer_data", false);
      await recordAccessGap(h.prisma, SHOP, "read_all_orders", false);
    }
  });

  it("home renders on a phone-sized screen", async () => {
    const { page, errors } = await open("/app", { width: 390, height: 844 });
    await shot(page, "home-mobile");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("segments: groups, RFM grid and clusters match the scores", async () => {
    const { page, errors } = await open("/app/segments");
    const scored = await h.prisma.customerScore.groupBy({
      by: ["segment"],
      where: { shop: SHOP },
      _count: { _all: true },
    });
    const total = scored.reduce((s, r) => s + r._count._all, 0);
    for (const s of scored) {
      const row = page.locator("[data-testid=segments-table] tr", {
        has: page.getByRole("link", { name: s.segment, exact: true }),
      });
      await seeText(row.locator("td").first(), fmt(s._count._all));
    }
    const cells = await page.locator("[data-testid^=rfm-cell-]").allTextContents();
    expect(cells).toHaveLength(25);
    const gridTotal = cells.map((c) => Number(c.replace(/[^0-9]/g, ""))).reduce((a, b) => a + b, 0);
    expect(gridTotal).toBe(total);
    const clusters = await h.prisma.customerScore.groupBy({
      by: ["cluster"],
      where: { shop: SHOP },
      _count: { _all: true },
    });
    expect(await page.locator("[data-testid=clusters-table] tbody tr").count()).toBe(
      clusters.filter((c) => c.cluster >= 0).length,
    );
    await visible(page.locator("[data-testid=churn-backtest]"));
    // The per-shop model choice in words, its reliability table and the tree's rules (D34).
    const run = await h.prisma.modelRun.findFirst({
      where: { shop: SHOP, status: "COMPLETED" },
      orderBy: { startedAt: "desc" },
    });
    const selection = (run!.metrics as { selection?: { chosen: string; reliability: unknown[]; segments: unknown[] } })
      .selection;
    expect(selection).toBeTruthy();
    await seeContains(page.locator("[data-testid=model-choice]"), "Scores come from");
    expect(await page.locator("[data-testid=reliability-table] tbody tr").count()).toBe(selection!.reliability.length);
    expect(await page.locator("[data-testid=tree-segments] tbody tr").count()).toBe(selection!.segments.length);
    await page.getByRole("button", { name: "Show the numbers behind the choice" }).click();
    await visible(page.getByText("Behind the best (90%)"));
    await shot(page, "segments");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("segment drill-down: paginated, sortable by churn risk and CLV, exportable as CSV", async () => {
    const biggest = (
      await h.prisma.customerScore.groupBy({
        by: ["segment"],
        where: { shop: SHOP },
        _count: { _all: true },
        orderBy: { _count: { segment: "desc" } },
      })
    )[0];
    const slug = biggest.segment.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const { page, errors } = await open(`/app/segments/${slug}`);
    const rows = page.locator("[data-testid=segment-customers] tbody tr");
    expect(await rows.count()).toBe(Math.min(25, biggest._count._all));
    // Lapsed groups open sorted by value at stake (D34), the others by churn risk.
    const lapsed = ["At risk", "Almost lost", "Previously loyal", "Dormant"].includes(biggest.segment);
    const riskiest = await h.prisma.customerScore.findFirst({
      where: { shop: SHOP, segment: biggest.segment },
      orderBy: lapsed
        ? [{ valueAtStakeMinor: "desc" }, { customerGid: "asc" }]
        : [{ churnRisk: "desc" }, { rfmM: "desc" }, { rfmF: "desc" }, { customerGid: "asc" }],
    });
    const riskiestId = riskiest!.customerGid.split("/").pop();
    await seeAttr(rows.first().locator("a").first(), "href", `/app/customers/${riskiestId}`);
    await shot(page, "segment-drill");

    await page.getByRole("link", { name: "Lifetime value" }).click();
    await page.waitForURL(/sort=clv/);
    const richest = await h.prisma.customerScore.findFirst({
      where: { shop: SHOP, segment: biggest.segment },
      orderBy: [{ clvMinor: "desc" }, { customerGid: "asc" }],
    });
    await seeAttr(rows.first().locator("a").first(), "href", `/app/customers/${richest!.customerGid.split("/").pop()}`);
    if (biggest._count._all > 25) {
      await page.getByRole("link", { name: "Next" }).click();
      await page.waitForURL(/page=2/);
      await visible(page.getByText(`Page 2 of ${Math.ceil(biggest._count._all / 25)}`));
    }

    const csv = await (await fetch(`${h.url}/app/segments/${slug}/export`)).text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toMatch(/^customer_id,name,email,/);
    expect(lines).toHaveLength(biggest._count._all + 1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a lapsed group lists the most value at stake first, with explanations instead of bare zeros", async () => {
    const lapsedGroups = ["At risk", "Almost lost", "Previously loyal", "Dormant"];
    const group = (
      await h.prisma.customerScore.groupBy({
        by: ["segment"],
        where: { shop: SHOP, segment: { in: lapsedGroups } },
        _count: { _all: true },
        orderBy: { _count: { segment: "desc" } },
      })
    )[0];
    const slug = group.segment.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const { page, errors } = await open(`/app/segments/${slug}`);
    const top = await h.prisma.customerScore.findFirst({
      where: { shop: SHOP, segment: group.segment },
      orderBy: [{ valueAtStakeMinor: "desc" }, { customerGid: "asc" }],
    });
    const rows = page.locator("[data-testid=segment-customers] tbody tr");
    await seeAttr(rows.first().locator("a").first(), "href", `/app/customers/${top!.customerGid.split("/").pop()}`);
    expect(top!.valueAtStakeMinor).toBeGreaterThan(0);
    await shot(page, "segment-lapsed");
    const phone = await open(`/app/segments/${slug}`, { width: 390, height: 844 });
    await visible(phone.page.locator("[data-testid=segment-customers]"));
    await shot(phone.page, "segment-lapsed-mobile");
    expect([...errors, ...phone.errors]).toEqual([]);
    await page.close();
    await phone.page.close();
  });

  it("tag these customers: invalid tag → field error; valid tag → tags visible in the stand-in", async () => {
    const smallest = (
      await h.prisma.customerScore.groupBy({
        by: ["segment"],
        where: { shop: SHOP },
        _count: { _all: true },
        orderBy: { _count: { segment: "asc" } },
      })
    )[0];
    const slug = smallest.segment.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const { page, errors } = await open(`/app/segments/${slug}`);
    const tagField = page.getByLabel("Tag", { exact: true });
    await tagField.fill("bad,tag");
    await page.getByRole("button", { name: /^Tag \d+ customers/ }).click();
    await visible(page.getByText("Tags cannot contain commas"));

    await tagField.fill("gp-admin-test");
    await page.getByRole("button", { name: /^Tag \d+ customers/ }).click();
    await seeText(
      page.locator("#tag-progress"),
      `Tagging: ${fmt(smallest._count._all)} of ${fmt(smallest._count._all)}`,
      30_000,
    );
    await visible(page.getByText("completed", { exact: true }), 10_000);
    const members = await h.prisma.customerScore.findMany({
      where: { shop: SHOP, segment: smallest.segment },
      select: { customerGid: true },
    });
    for (const m of members) {
      expect(h.store.shops.get(SHOP)!.customers.get(m.customerGid)!.tags).toContain("gp-admin-test");
    }
    const local = await h.prisma.customer.count({ where: { shop: SHOP, tags: { has: "gp-admin-test" } } });
    expect(local).toBe(members.length);
    await shot(page, "segment-tagged");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("customer: predictions with reasons, order timeline and recommendations", async () => {
    const score =
      (await h.prisma.customerScore.findFirst({
        where: { shop: SHOP, segment: "Champions" },
        orderBy: { clvMinor: "desc" },
      })) ?? (await h.prisma.customerScore.findFirst({ where: { shop: SHOP }, orderBy: { clvMinor: "desc" } }));
    const id = score!.customerGid.split("/").pop();
    const { page, errors } = await open(`/app/customers/${id}`);
    await seeText(page.locator("#prediction-segment"), score!.segment);
    const r = score!.churnRisk;
    await seeText(page.locator("#prediction-churn"), r < 0.01 ? "<1%" : r > 0.99 ? ">99%" : `${Math.round(r * 100)}%`);
    const orders = await h.prisma.order.count({ where: { shop: SHOP, customerGid: score!.customerGid } });
    expect(await page.locator("[data-testid=order-timeline] > li").count()).toBe(Math.min(25, orders));
    for (const label of ["P(alive)", "Expected next order", "Value at stake", "The facts behind it"])
      await visible(page.getByText(label, { exact: true }));
    // The model's next-order date with its 80 % range (D34), stored on the score row.
    expect(score!.nextOrderAt).not.toBeNull();
    await visible(page.getByText(/If they do order, most likely around .* \(80% between /));
    const forYou = await h.prisma.recommendation.findUnique({
      where: { shop_kind_subject: { shop: SHOP, kind: "FOR_YOU", subject: score!.customerGid } },
    });
    const first = (forYou!.items as { gid: string }[])[0];
    const title = (await h.prisma.product.findUnique({ where: { shop_gid: { shop: SHOP, gid: first.gid } } }))!.title;
    await visible(page.getByRole("link", { name: title }).first());
    expect(await page.getByText("gid://shopify/").count()).toBe(0);
    await shot(page, "customer");
    const phone = await open(`/app/customers/${id}`, { width: 390, height: 844 });
    await visible(phone.page.locator("#prediction-value-at-stake"));
    await shot(phone.page, "customer-mobile");
    await phone.page.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("customer who just ordered: the signed webhook's rescore makes the page say today, not lapsed (D36)", async () => {
    const lapsed = await h.prisma.customerScore.findFirstOrThrow({
      where: { shop: SHOP, rfmR: 1, explanation: { contains: "days since the last order" } },
      orderBy: { churnRisk: "desc" },
    });
    const customer = h.shop.customers.get(lapsed.customerGid)!;
    const variant = [...h.shop.variants.values()].find((v) => !h.shop.products.get(v.productId)?.isGiftCard)!;
    const order = makeOrder(h.shop, {
      customer,
      lines: [{ variant, quantity: 1 }],
      createdAt: new Date(Date.now() - 1000).toISOString(),
    });
    const request = signedWebhookRequest(API_SECRET, {
      topic: "orders/create",
      shop: SHOP,
      body: JSON.stringify(restOrder(h.shop, order)),
    });
    const sent = Date.now();
    const res = await fetch(`${h.url}/webhooks`, {
      method: "POST",
      headers: request.headers,
      body: await request.text(),
    });
    expect(res.status).toBe(200);
    // Without Redis the write and its rescore happen before the 200: the row is fresh on arrival.
    const row = await h.prisma.customerScore.findUniqueOrThrow({
      where: { shop_customerGid: { shop: SHOP, customerGid: lapsed.customerGid } },
    });
    expect(row.scoredAt.getTime()).toBeGreaterThanOrEqual(sent - 1000);
    expect(row.rfmR).toBe(5);
    for (const viewport of [undefined, { width: 390, height: 844 }]) {
      const { page, errors } = await open(`/app/customers/${lapsed.customerGid.split("/").pop()}`, viewport);
      await seeContains(page.locator("#prediction-churn ~ p"), "ordered today");
      expect(await page.getByText(/probably lapsed/).count()).toBe(0);
      await seeContains(page.locator("#scores-as-of"), "Predictions as of");
      await visible(page.getByText(order.name, { exact: false }).first());
      await shot(page, viewport ? "customer-just-ordered-mobile" : "customer-just-ordered");
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("recommendations: search a product → its lists with reasons; coverage; backtest vs popularity", async () => {
    const lists = await h.prisma.recommendation.findMany({
      where: { shop: SHOP, kind: "BOUGHT_TOGETHER" },
      orderBy: { subject: "asc" },
    });
    const products = await h.prisma.product.findMany({
      where: { shop: SHOP, status: "ACTIVE", isGiftCard: false, deletedAt: null },
    });
    const list = lists.find((l) => (l.items as unknown[]).length >= 3 && products.some((p) => p.gid === l.subject))!;
    const product = products.find((p) => p.gid === list.subject)!;
    const { page, errors } = await open("/app/recommendations");
    await page.getByLabel("Find a product").fill(product.title);
    await page.waitForURL(/q=/);
    // The item's overlay link sits under its content, as in Polaris: click the row like a person would.
    await page.locator(".Polaris-ResourceItem__ListItem", { hasText: product.title }).first().click();
    await seeText(page.locator("#selected-product"), product.title);
    const items = list.items as { gid: string; reason: string }[];
    const shown = page.locator("[data-testid=bought-together] li");
    expect(await shown.count()).toBe(Math.min(10, items.length));
    const firstTitle = (await h.prisma.product.findUnique({ where: { shop_gid: { shop: SHOP, gid: items[0].gid } } }))!
      .title;
    await seeText(shown.first().locator("a"), firstTitle);
    expect(await page.getByText("gid://shopify/").count()).toBe(0);

    const active = await h.prisma.product.count({ where: { shop: SHOP, status: "ACTIVE", deletedAt: null } });
    expect(await text(page, "#coverage-products")).toMatch(/^\d+%|<1%$/);
    expect(active).toBeGreaterThan(0);
    const run = await h.prisma.modelRun.findFirst({
      where: { shop: SHOP, status: "COMPLETED" },
      orderBy: { startedAt: "desc" },
    });
    const engine = (
      (run!.metrics as { recommendations: { task: string; method: string; hitRate: number }[] }).recommendations ?? []
    ).find((r) => r.task === "completion" && r.method === "engine");
    if (engine) {
      await seeContains(page.locator("[data-testid=backtest-completion] tbody tr").first(), engine.hitRate.toFixed(3));
      await seeContains(page.locator("[data-testid=backtest-completion]"), "Best-sellers, last 30 days");
    }
    await shot(page, "recommendations");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("recommendation-assisted revenue: empty state, then the same 30-day number per block on the page and the home KPI", async () => {
    const { recommendationAssistedRevenue } = await import("~/services/storefront/attribution.server");
    const before = await open("/app/recommendations");
    await seeContains(before.page.locator("#assisted-empty"), "No orders credited to recommendations yet.");
    await seeContains(before.page.locator("#assisted-empty"), "Add the blocks to your theme");
    await shot(before.page, "recommendations-assisted-empty");
    expect(before.errors).toEqual([]);
    await before.page.close();

    const products = await h.prisma.product.findMany({
      where: { shop: SHOP, deletedAt: null },
      orderBy: { gid: "asc" },
      take: 3,
    });
    const created = new Date(Date.now() - 2 * DAY_MS);
    const seeded: string[] = [];
    async function order(
      n: number,
      lines: { total: number; qty?: number; refunded?: number; rec?: string }[],
      extra: { clicks?: string; currency?: string } = {},
    ) {
      const gid = `gid://shopify/Order/${990_000 + n}`;
      seeded.push(gid);
      const total = lines.reduce((sum, l) => sum + l.total, 0);
      const refunded = lines.reduce((sum, l) => sum + Math.round((l.total * (l.refunded ?? 0)) / (l.qty ?? 1)), 0);
      await h.prisma.order.create({
        data: {
          shop: SHOP,
          gid,
          name: `#A${n}`,
          financialStatus: refunded ? "PARTIALLY_REFUNDED" : "PAID",
          currencyCode: extra.currency ?? "USD",
          subtotalMinor: total,
          totalMinor: total,
          refundedMinor: refunded,
          attributes: extra.clicks ? [{ key: "_gp_clicks", value: extra.clicks }] : [],
          shopifyCreated: created,
          shopifyUpdated: created,
          lines: {
            create: lines.map((l, i) => ({
              gid: `gid://shopify/LineItem/${(990_000 + n) * 10 + i}`,
              productGid: products[i % products.length].gid,
              name: products[i % products.length].title,
              quantity: l.qty ?? 1,
              unitPriceMinor: Math.round(l.total / (l.qty ?? 1)),
              totalMinor: l.total,
              refundedQty: l.refunded ?? 0,
              properties: l.rec ? [{ name: "_gp_rec", value: l.rec }] : [],
            })),
          },
        },
      });
    }
    try {
      await order(1, [{ total: 1450 }, { total: 240_000, rec: "fbt" }]);
      await order(2, [{ total: 380_000, qty: 2, refunded: 1, rec: "also" }]); // half refunded: 1,900.00 credited
      await order(3, [
        { total: 12_345, rec: "drawer" },
        { total: 5_000, rec: "for_you" },
        { total: 7_700, rec: "cart" },
      ]);
      const clicked = products[0].gid.split("/").pop();
      await order(4, [{ total: 45_000 }], { clicks: `also:${clicked}` }); // click-through credit
      await order(5, [{ total: 99_900, rec: "fbt" }], { currency: "EUR" });

      const now = new Date();
      const report = await recommendationAssistedRevenue(h.prisma, SHOP, {
        from: new Date(now.getTime() - 30 * DAY_MS),
        to: now,
      });
      const usd = report.currencies.find((c) => c.currencyCode === "USD")!;
      const eur = report.currencies.find((c) => c.currencyCode === "EUR")!;
      expect(usd.assistedRevenueMinor).toBe(240_000 + 190_000 + 12_345 + 5_000 + 7_700 + 45_000);
      const money = (minor: number, currency: string) =>
        new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 0 }).format(minor / 100);
      const usdText = money(usd.assistedRevenueMinor, "USD");
      const eurText = money(eur.assistedRevenueMinor, "EUR");

      const { page, errors } = await open("/app/recommendations");
      const card = page.locator("#assisted-revenue");
      await seeText(card.locator("#assisted-revenue-USD"), usdText);
      await seeText(card.locator("#assisted-revenue-EUR"), eurText);
      await seeText(card.locator("#assisted-share-USD"), `${(usd.share * 100).toFixed(0)}%`);
      await seeText(
        card.locator("#assisted-window"),
        /^Last 30 days, [A-Z][a-z]{2} \d{1,2}(, \d{4})? – [A-Z][a-z]{2} \d{1,2}, \d{4}$/,
      );
      await seeContains(card, "Click-attributed, last touch");
      await seeContains(card, "refunds deducted");
      await seeContains(card, "not incremental");
      const names: Record<string, string> = {
        fbt: "Frequently bought together",
        also: "Customers also bought",
        cart: "Complete your order (cart)",
        drawer: "Cart drawer",
        for_you: "Picked for you",
      };
      for (const [block, minor] of Object.entries(usd.byBlock)) {
        const row = card.locator(`[data-currency=USD] [data-block=${block}]`);
        await seeText(row, money(minor, "USD"));
        await seeContains(row.locator("xpath=.."), names[block]);
      }
      expect(await card.locator("[data-currency=USD] [data-block]").count()).toBe(5);
      expect(await card.locator("#assisted-empty").count()).toBe(0);
      await shot(page, "recommendations-assisted");
      expect(errors).toEqual([]);
      await page.close();

      const phone = await open("/app/recommendations", { width: 390, height: 844 });
      await seeText(phone.page.locator("#assisted-revenue-USD"), usdText);
      await shot(phone.page, "recommendations-assisted-mobile");
      expect(phone.errors).toEqual([]);
      await phone.page.close();

      const home = await open("/app");
      await seeText(home.page.locator("#kpi-assisted-revenue"), `${usdText} · ${eurText}`);
      await seeAttr(home.page.locator("#kpi-assisted-revenue-link"), "href", /^\/app\/recommendations/);
      await shot(home.page, "home-assisted");
      expect(home.errors).toEqual([]);
      await home.page.close();
      const homePhone = await open("/app", { width: 390, height: 844 });
      await seeText(homePhone.page.locator("#kpi-assisted-revenue"), `${usdText} · ${eurText}`);
      await shot(homePhone.page, "home-assisted-mobile");
      expect(homePhone.errors).toEqual([]);
      await homePhone.page.close();
    } finally {
      await h.prisma.order.deleteMany({ where: { shop: SHOP, gid: { in: seeded } } });
    }
  });

  it("settings: saves valid values, shows field errors for invalid ones", async () => {
    const { page, errors } = await open("/app/settings");
    await page.getByLabel("Churn horizon").fill("60");
    await page.getByLabel("Holdout group").fill("25");
    await page.getByRole("button", { name: "Save settings" }).click();
    await visible(page.getByText(/^Settings saved/));
    const { getShopSettings } = await import("~/models/shops.server");
    let settings = await getShopSettings(h.prisma, SHOP);
    expect(settings.churnHorizonDays).toBe(60);
    expect(settings.automation.holdoutShare).toBe(0.25);

    await page.getByLabel("Churn horizon").fill("5");
    await page.getByLabel("Never recommend these products").fill("no-such-product");
    await expect.poll(() => page.getByLabel("Churn horizon").inputValue()).toBe("5");
    await page.getByRole("button", { name: "Save settings" }).click();
    await visible(page.getByText("Fix the highlighted fields."));
    await seeContains(page.locator("#churnHorizonDaysError"), "Churn horizon must be at least 14");
    await shot(page, "settings-errors");
    settings = await getShopSettings(h.prisma, SHOP);
    expect(settings.churnHorizonDays).toBe(60);

    // Unknown product handles are reported on their own field once the numbers are valid.
    await page.getByLabel("Churn horizon").fill("60");
    await page.getByRole("button", { name: "Save settings" }).click();
    await seeContains(page.locator("#excludedHandlesError"), "no-such-product");
    const handle = (await h.prisma.product.findFirst({
      where: { shop: SHOP, deletedAt: null },
      orderBy: { gid: "asc" },
    }))!;
    await page.getByLabel("Never recommend these products").fill(handle.handle);
    await page.getByRole("button", { name: "Save settings" }).click();
    await visible(page.getByText(/^Settings saved/));
    settings = await getShopSettings(h.prisma, SHOP);
    expect(settings.recommendationFilters.excludedSkus).toEqual([handle.gid]);
    expect(await page.getByLabel("Never recommend these products").inputValue()).toBe(handle.handle);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("settings: Sync now runs a reconciliation and a scoring run in the background", async () => {
    // A non-default horizon saved by this test itself, so the run below shows it used the saved one.
    const { getShopSettings, saveShopSettings } = await import("~/models/shops.server");
    await saveShopSettings(h.prisma, SHOP, { ...(await getShopSettings(h.prisma, SHOP)), churnHorizonDays: 60 });
    const runsBefore = await h.prisma.modelRun.count({ where: { shop: SHOP } });
    const { page, errors } = await open("/app/settings");
    const started = Date.now();
    await page.getByRole("button", { name: "Sync now" }).click();
    await visible(page.getByText(/Sync started|Initial import started/));
    // The request returned before the work finished; poll the database for the outcome.
    await expect
      .poll(
        async () =>
          (await h.prisma.syncRun.findMany({ where: { shop: SHOP, kind: "RECONCILE", status: "COMPLETED" } })).length,
        { timeout: 40_000 },
      )
      .toBeGreaterThanOrEqual(3);
    await expect
      .poll(
        async () =>
          h.prisma.modelRun.count({
            where: { shop: SHOP, status: "COMPLETED", startedAt: { gte: new Date(started - 1000) } },
          }),
        { timeout: 40_000 },
      )
      .toBe(1);
    expect(await h.prisma.modelRun.count({ where: { shop: SHOP } })).toBe(runsBefore + 1);
    // The run used the saved horizon.
    const run = await h.prisma.modelRun.findFirst({ where: { shop: SHOP }, orderBy: { startedAt: "desc" } });
    expect(run!.horizonDays).toBe(60);
    await page.reload({ waitUntil: "networkidle" });
    await seeContains(page.locator("#scoring-status"), "computed");
    await shot(page, "settings");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("privacy: a data request Shopify forwarded → listed with its deadline, exports download, mark sent", async () => {
    const { recordDataRequest } = await import("~/services/shop/data-requests.server");
    const customer = (await h.prisma.customer.findFirst({
      where: { shop: SHOP, email: { not: null } },
      orderBy: { gid: "asc" },
    }))!;
    const orders = await h.prisma.order.count({ where: { shop: SHOP, customerGid: customer.gid } });
    const receivedAt = new Date(Date.now() - 2 * DAY_MS);
    await recordDataRequest(h.prisma, SHOP, {
      requestKey: "admin-test-1",
      customerGid: customer.gid,
      orderGids: [],
      receivedAt,
    });
    const id = customer.gid.split("/").pop();

    const { page, errors } = await open("/app/privacy");
    const row = page.locator("tr", { hasText: `Customer ${id}` });
    await visible(row);
    await seeContains(row, "Open");
    await visible(page.getByText("1 request to answer"));
    await shot(page, "privacy");
    const phone = await open("/app/privacy", { width: 390, height: 844 });
    await shot(phone.page, "privacy-phone");
    expect(phone.errors).toEqual([]);
    await phone.page.close();

    const requestId = (await h.prisma.dataRequest.findFirst({ where: { shop: SHOP, requestKey: "admin-test-1" } }))!.id;
    const json = (await (await fetch(`${h.url}/app/privacy/${requestId}?format=json`)).json()) as {
      customer: { email: string };
      orders: unknown[];
    };
    expect(json.customer.email).toBe(customer.email);
    expect(json.orders).toHaveLength(orders);
    const csv = await (await fetch(`${h.url}/app/privacy/${requestId}?format=csv`)).text();
    expect(csv.split("\r\n")[0]).toBe("record,field,value");
    expect(csv).toContain(`customer,email,${customer.email}`);
    expect((await fetch(`${h.url}/app/privacy/not-a-request?format=csv`)).status).toBe(404);

    await row.getByRole("button", { name: "Mark sent" }).click();
    await visible(page.getByText("Marked as sent."));
    await seeContains(page.locator("tr", { hasText: `Customer ${id}` }), "Sent");
    expect((await h.prisma.dataRequest.findUnique({ where: { id: requestId } }))!.sentAt).not.toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("documents carry Shopify's embedded-app CSP: framed only by the shop's admin", async () => {
    // https://shopify.dev/docs/apps/build/security/app-server/set-up-iframe-protection
    const csp = (await fetch(`${h.url}/app?shop=${SHOP}`)).headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(
      new RegExp(`^frame-ancestors https://${SHOP.replace(/\./g, "\\.")} https://admin\\.shopify\\.com`),
    );
    // A shop parameter that is not a shop domain never becomes a frame ancestor.
    const forged = (await fetch(`${h.url}/app?shop=evil.example.com`)).headers.get("content-security-policy") ?? "";
    expect(forged).not.toContain("evil.example.com");
  });

  it("a URL with no route is logged as one 404 line, without a stack", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await fetch(`${h.url}/no-such-page?x=1`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("Page not found");
      // A client-side navigation's data request for the same URL: Remix reports it as a server error.
      expect((await fetch(`${h.url}/no-such-page?_data=routes%2Fno-such-page`)).status).toBe(404);
      expect(warn.mock.calls.map((c) => c.join(" "))).toContain("404 GET /no-such-page");
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });

  it("unknown customers and segments get a friendly error page", async () => {
    for (const [pathname, message] of [
      ["/app/customers/999999999", "Customer not found"],
      ["/app/segments/not-a-segment", "Unknown segment"],
    ] as const) {
      const page = await browser.newPage();
      const res = await page.goto(h.url + pathname, { waitUntil: "networkidle" });
      expect(res?.status()).toBe(404);
      await visible(page.getByText(message));
      await visible(page.getByRole("link", { name: "Back to the home page" }));
      if (pathname.includes("customers")) await shot(page, "not-found");
      await page.close();
    }
  });
});

describe("read models", () => {
  it("the home page's one-statement aggregates equal the per-window reference queries", async () => {
    const { homeAggregates, retentionSignals, windowEndingAt, windowKpis } = await import("~/models/admin-kpis.server");
    const asOf = new Date();
    for (const periodDays of [30, 365]) {
      const current = windowEndingAt(asOf, periodDays);
      const previous = windowEndingAt(current.from, periodDays);
      const all = await homeAggregates(h.prisma, SHOP, { asOf, periodDays });
      expect(all.current).toEqual(await windowKpis(h.prisma, SHOP, current));
      expect(all.previous).toEqual(await windowKpis(h.prisma, SHOP, previous));
      const signals = await retentionSignals(h.prisma, SHOP, { asOf, periodDays });
      expect(all.signals.likelyChurners.customers).toBe(signals.likelyChurners.customers);
      expect(
        Math.abs(all.signals.likelyChurners.revenueAtRiskMinor - signals.likelyChurners.revenueAtRiskMinor),
      ).toBeLessThanOrEqual(1);
      expect(all.current.orders).toBeGreaterThan(0);
    }
  });
});

describe("empty shop", () => {
  it("every page's service explains what data is needed instead of failing", async () => {
    const empty = "empty-shop.myshopify.com";
    const { getDashboard } = await import("~/admin/dashboard.server");
    const { getSegmentsOverview } = await import("~/admin/segments.server");
    const { getRecommendationsPage } = await import("~/admin/recommendations.server");
    const { getSettingsPage } = await import("~/admin/settings.server");
    const admin = { prisma: h.prisma, now: () => new Date() };
    const home = await getDashboard(admin, empty);
    expect(home.counts).toEqual({ products: 0, customers: 0, orders: 0 });
    expect(home.actions.map((a) => a.id)).toEqual(["sync"]);
    expect(home.sufficiency).toBeNull();
    expect(home.kpis.repeatRate).toBeNull();
    const segments = await getSegmentsOverview(admin, empty);
    expect(segments.total).toBe(0);
    expect(segments.clusters).toEqual([]);
    const recs = await getRecommendationsPage(admin, empty, { q: "" });
    expect(recs.results).toEqual([]);
    expect(recs.selected).toBeNull();
    expect(recs.backtest).toEqual([]);
    expect(recs.assisted.currencies).toEqual([]);
    expect(home.assisted.currencies).toEqual([]);
    const settings = await getSettingsPage(admin, empty);
    expect(settings.values.churnHorizonDays).toBe("90");
  });
});
