import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../admin/browser";
import { createEngine, EXTENSION_DIR, renderBlock, schemaDefaults } from "./helpers/liquid";
import { blockContext, buildStore, routes, themePage } from "./helpers/store";

/**
 * The blocks in a real browser: a Dawn-like product page and cart page (Liquid rendered by
 * liquidjs), served from a fake storefront origin by request interception, screenshotted at
 * desktop and mobile sizes into artifacts/screenshots/, plus the cart-drawer script against
 * mocked storefront endpoints (/cart.js, /products/<handle>.js, the app proxy).
 */

const ORIGIN = "http://shop.test";
const SHOTS = path.resolve("artifacts/screenshots");
const store = buildStore();
const { products: p } = store;
const engine = createEngine();

let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Writes artifacts/screenshots/<name>.png afresh (a stale file from an earlier run does not count). */
async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}) {
  const file = path.join(SHOTS, `${name}.png`);
  rmSync(file, { force: true });
  await page.screenshot({ path: file, ...opts });
  expect(existsSync(file), file).toBe(true);
}

const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  mobile: { width: 390, height: 844 },
} as const;

async function productPageHtml() {
  const cart = store.cart([p.frother]);
  const ctx = { product: p.ethiopia, cart, routes, customer: store.customer };
  const blocks = [
    await renderBlock(engine, "bought-together", {
      ...ctx,
      block: blockContext("fbt", { ...schemaDefaults("bought-together"), count: 2 }),
    }),
    await renderBlock(engine, "also-bought", { ...ctx, block: blockContext("also", schemaDefaults("also-bought")) }),
    await renderBlock(engine, "for-you", {
      ...ctx,
      block: blockContext("foryou", { ...schemaDefaults("for-you"), layout: "carousel" }),
    }),
    // A product without recommendations and no fallback: must add nothing to the page.
    await renderBlock(engine, "also-bought", {
      ...ctx,
      product: p.noRecs,
      block: blockContext("empty", schemaDefaults("also-bought")),
    }),
  ];
  const main = `<section class="product">
    <div class="product__media" role="img" aria-label="Ethiopia Yirgacheffe bag">EY</div>
    <div><h1 class="product__title">Ethiopia Yirgacheffe — 250 g</h1><div class="price">$14.50 USD</div>
    <p>Floral, bergamot and stone fruit. Washed process, roasted light for filter.</p>
    <button class="button button--secondary" type="button" id="theme-add">Add to cart</button></div>
  </section>`;
  return themePage({ title: "Ethiopia Yirgacheffe", main, blocks });
}

async function cartPageHtml() {
  const cart = store.cart([p.ethiopia, p.frother]);
  const block = await renderBlock(engine, "cart-complete", {
    cart,
    routes,
    block: blockContext("cart", schemaDefaults("cart-complete")),
  });
  const rows = cart.items
    .map((i) => `<tr><td>${i.title}</td><td>1</td><td>$${(i.final_line_price / 100).toFixed(2)}</td></tr>`)
    .join("");
  const main = `<h1 class="product__title">Your cart</h1><table class="cart-table">${rows}</table>
    <p class="price">Subtotal $${(cart.total_price / 100).toFixed(2)} USD</p><button class="button" type="button">Check out</button>`;
  return themePage({ title: "Your cart", main, blocks: [block] });
}

interface Served {
  page: Page;
  context: BrowserContext;
  requests: Request[];
}

async function open(
  html: string,
  viewport: { width: number; height: number },
  extraRoutes?: (context: BrowserContext) => Promise<void>,
): Promise<Served> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const requests: Request[] = [];
  context.on("request", (r) => requests.push(r));
  if (extraRoutes) await extraRoutes(context);
  await context.route(`${ORIGIN}/`, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: html }));
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/`, { waitUntil: "load" });
  return { page, context, requests };
}

async function a11yProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const img of document.querySelectorAll(".gp-recs img"))
      if (!img.getAttribute("alt")) problems.push(`img without alt: ${img.outerHTML.slice(0, 80)}`);
    for (const b of document.querySelectorAll(".gp-recs button"))
      if (!(b.getAttribute("aria-label") || b.textContent?.trim())) problems.push("button without name");
    for (const s of document.querySelectorAll(".gp-recs")) {
      const id = s.getAttribute("aria-labelledby");
      if (!id || !document.getElementById(id)) problems.push("section without heading");
    }
    const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
    if (new Set(ids).size !== ids.length) problems.push("duplicate ids");
    return problems;
  });
}

describe("storefront blocks in Chromium", () => {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    it(`product page (${name}): renders, fits the viewport, accessible, no scripts — screenshot`, async () => {
      const { page, context, requests } = await open(await productPageHtml(), viewport);
      try {
        expect(await page.locator(".gp-recs").count()).toBe(3);
        expect(await page.locator("#shopify-block-empty .gp-recs").count()).toBe(0);
        expect(await page.locator("#shopify-block-empty").evaluate((e) => (e as HTMLElement).offsetHeight)).toBe(0);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        expect(await a11yProblems(page)).toEqual([]);
        // Zero-cost path: no script, no XHR — only the document itself.
        expect(requests.filter((r) => r.resourceType() !== "document").map((r) => r.url())).toEqual([]);
        await screenshot(page, `product-${name}`, { fullPage: true });
        // Cards are keyboard reachable.
        await page.locator(".gp-recs a").first().focus();
        expect(await page.evaluate(() => document.activeElement?.className)).toContain("gp-card__link");
      } finally {
        await context.close();
      }
    });

    it(`cart page (${name}): complete-your-order block — screenshot`, async () => {
      const { page, context } = await open(await cartPageHtml(), viewport);
      try {
        const titles = await page.locator("#shopify-block-cart .gp-card__title").allTextContents();
        expect(titles.map((t) => t.trim())).toEqual([
          "Ceramic Pour-Over Dripper",
          "Paper Filters (100)",
          "Colombia Huila — 250 g",
          "Glass Carafe 600 ml",
        ]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
          0,
        );
        expect(await a11yProblems(page)).toEqual([]);
        await screenshot(page, `cart-${name}`, { fullPage: true });
      } finally {
        await context.close();
      }
    });
  }

  // The default proxy path, and one a merchant picked in their admin (prefix and sub path both changed).
  for (const proxy of [undefined, "/tools/gp-recs"]) {
    it(`cart drawer: the script stays idle until the cart changes, then fills the drawer from the proxy at ${proxy ?? "the default path"}`, async () => {
      const proxyPath = proxy ?? "/apps/growthpilot";
      const script = readFileSync(path.join(EXTENSION_DIR, "assets/gp-cart.js"), "utf8");
      const settings = { ...schemaDefaults("cart-drawer"), ...(proxy ? { proxy_path: proxy } : {}) };
      const embed = await renderBlock(engine, "cart-drawer", { routes, block: blockContext("drawer", settings) });
      const drawer = `
      <style>
        .drawer { position: fixed; inset: 0; z-index: 10; visibility: hidden; background: rgba(0,0,0,.4); }
        .drawer.active { visibility: visible; }
        .drawer__inner { position: absolute; top: 0; right: 0; height: 100%; width: 40rem; max-width: 100%; background: #fff;
                         padding: 2.4rem; transform: translateX(100%); display: flex; flex-direction: column; overflow-y: auto; }
        .drawer.active .drawer__inner { transform: none; }
        .drawer__footer { border-top: 1px solid rgba(18,18,18,.08); padding-top: 1.6rem; margin-top: auto; }
      </style>
      <cart-drawer class="drawer"><div class="drawer__inner" role="dialog" aria-label="Your cart">
        <h2 class="product__title" style="font-size:2.4rem">Your cart</h2><p>Ethiopia Yirgacheffe — 250 g · $14.50</p><p>Milk Frother · $29.00</p>
        <div class="drawer__footer"><p class="price">Subtotal $43.50</p><button class="button" type="button">Check out</button></div>
      </div></cart-drawer>
      ${embed}
      <script>
        document.getElementById('theme-add').addEventListener('click', async () => {
          await fetch('/cart/add.js', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ items: [{ id: 1, quantity: 1 }] }) });
          document.querySelector('cart-drawer').classList.add('active');
        });
      </script>
      <script src="/assets/gp-cart.js" defer></script>`;
      const html = (await productPageHtml()).replace("</body>", `${drawer}</body>`);
      const posted: { url: string; body: unknown }[] = [];
      const proxyCalls: string[] = [];
      const live = (prod: typeof p.dripper, available = true) => ({
        id: prod.id,
        title: prod.title,
        handle: prod.handle,
        url: prod.url,
        available,
        featured_image: `//shop.test/cdn/${prod.handle}.svg`,
        variants: [{ id: prod.selected_or_first_available_variant.id, available, price: prod.price }],
      });
      const { page, context, requests } = await open(html, VIEWPORTS.desktop, async (ctx) => {
        await ctx.route(`${ORIGIN}/assets/gp-cart.js`, (r) =>
          r.fulfill({ contentType: "application/javascript", body: script }),
        );
        await ctx.route(`${ORIGIN}/cdn/*`, (r) => {
          const handle = new URL(r.request().url()).pathname.replace(/^\/cdn\/|\.svg$/g, "");
          const src = Object.values(p).find((x) => x.handle === handle)?.featured_image?.src ?? "";
          r.fulfill({ contentType: "image/svg+xml", body: Buffer.from(src.split(",")[1] ?? "", "base64") });
        });
        await ctx.route(`${ORIGIN}/cart.js`, (r) =>
          r.fulfill({ json: { items: [{ product_id: 1009 }, { product_id: 1001 }] } }),
        );
        await ctx.route(`${ORIGIN}/*/*/recs?**`, (r) => {
          proxyCalls.push(r.request().url());
          r.fulfill({
            json: {
              products: [p.dripper, p.grinder, p.carafe, p.scale].map((x) => ({
                id: x.id,
                handle: x.handle,
                title: x.title,
                variantId: 1,
                price: x.price,
                reason: "bought_together",
              })),
            },
          });
        });
        await ctx.route(`${ORIGIN}/products/*.js`, (r) => {
          const handle = new URL(r.request().url()).pathname.replace(/^\/products\/|\.js$/g, "");
          const prod = Object.values(p).find((x) => x.handle === handle)!;
          r.fulfill({ json: live(prod, handle !== "sold-out-grinder") });
        });
        await ctx.route(/\/cart\/(add|update)\.js$/, (r) => {
          posted.push({ url: r.request().url(), body: r.request().postDataJSON() });
          r.fulfill({ json: { items: [] } });
        });
      });
      try {
        await page.waitForFunction(() => (window as unknown as { __gpCart?: boolean }).__gpCart === true);
        // Idle: loaded, but no cart or proxy request until something happens.
        expect(requests.filter((r) => /\/cart\.js|\/recs\?/.test(r.url()))).toEqual([]);

        await page.click("#theme-add");
        const cards = page.locator("cart-drawer .gp-drawer-recs .gp-card__title");
        await cards.first().waitFor();
        expect((await cards.allTextContents()).map((t) => t.trim())).toEqual([
          "Ceramic Pour-Over Dripper",
          "Glass Carafe 600 ml",
          "Brewing Scale",
        ]);
        expect(proxyCalls).toHaveLength(1);
        expect(new URL(proxyCalls[0]).pathname).toBe(`${proxyPath}/recs`);
        expect(new URL(proxyCalls[0]).searchParams.get("products")).toBe("1001,1009");
        expect(new URL(proxyCalls[0]).searchParams.get("limit")).toBe("3");
        expect(await page.locator("cart-drawer .gp-drawer-recs").evaluate((e) => e.nextElementSibling?.className)).toBe(
          "drawer__footer",
        );
        expect(await a11yProblems(page)).toEqual([]);
        await page.waitForFunction(() =>
          [...document.querySelectorAll<HTMLImageElement>(".gp-drawer-recs img")].every((i) => i.complete),
        );
        if (!proxy) await screenshot(page, "drawer-desktop");

        await page.locator("cart-drawer .gp-drawer-recs button").first().click();
        await expect
          .poll(
            () =>
              posted.find((x) => x.url.endsWith("/cart/add.js") && JSON.stringify(x.body).includes("_gp_rec"))?.body,
          )
          .toEqual({
            items: [
              { id: p.dripper.selected_or_first_available_variant.id, quantity: 1, properties: { _gp_rec: "drawer" } },
            ],
          });

        // Click-through attribution from a server-rendered block (the embed script listens page-wide).
        await page.evaluate(() => {
          document.querySelector("cart-drawer")!.classList.remove("active");
          document
            .querySelector<HTMLAnchorElement>('[data-gp-click="also:1011"]')!
            .addEventListener("click", (e) => e.preventDefault());
        });
        await page.locator('[data-gp-click="also:1011"]').click();
        await expect
          .poll(() => posted.find((x) => x.url.endsWith("/cart/update.js"))?.body)
          .toEqual({ attributes: { _gp_clicks: "also:1011" } });
      } finally {
        await context.close();
      }
    });
  }
});
