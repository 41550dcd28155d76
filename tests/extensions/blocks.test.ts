import { describe, expect, it } from "vitest";
import { createEngine, readSchema, renderBlock, schemaDefaults } from "./helpers/liquid";
import { blockContext, buildStore, routes, type ProductDrop } from "./helpers/store";

/**
 * The Liquid blocks rendered with liquidjs against realistic storefront objects: filters
 * (docs/contracts.md §6), the no-empty-frame rule, attribution markup, settings and both locales.
 */

const store = buildStore();
const { products: p } = store;
const engine = createEngine();

const handlesIn = (html: string) => [...html.matchAll(/href="\/products\/([^"]+)"/g)].map((m) => m[1]);

async function productPage(block: string, settings: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return renderBlock(engine, block, {
    product: p.ethiopia,
    cart: store.cart([p.frother]),
    routes,
    block: blockContext(`${block}-1`, { ...schemaDefaults(block), ...settings }),
    ...extra,
  });
}

describe("Frequently bought together", () => {
  it("renders the anchor plus the eligible recommendations, in metafield order", async () => {
    const html = await productPage("bought-together", { count: 4 });
    expect(handlesIn(html)).toEqual(["ethiopia-yirgacheffe", "ceramic-dripper", "paper-filters", "backorder-colombia"]);
  });

  it("filters sold-out, draft (nil), unpublished, price-0, gift cards and items already in the cart", async () => {
    const html = await productPage("bought-together", { count: 4 });
    for (const excluded of ["sold-out-grinder", "unpublished-blend", "gift-card", "free-sample", "in-cart-frother"]) {
      expect(html).not.toContain(`/products/${excluded}`);
    }
    // Out of stock but the variant continues selling: Shopify reports it available, so it stays.
    expect(html).toContain("/products/backorder-colombia");
  });

  it("respects the merchant's count", async () => {
    const html = await productPage("bought-together", { count: 1 });
    expect(handlesIn(html)).toEqual(["ethiopia-yirgacheffe", "ceramic-dripper"]);
  });

  it("adds everything with one plain form post (no JavaScript) and marks recommended lines", async () => {
    const html = await productPage("bought-together", { count: 2 });
    expect(html).toMatch(/<form action="\/cart\/add" method="post" class="gp-fbt">/);
    expect(html).toContain(`name="items[0][id]" value="${p.ethiopia.selected_or_first_available_variant.id}"`);
    expect(html).toContain(`name="items[1][id]" value="${p.dripper.selected_or_first_available_variant.id}"`);
    expect(html).toContain(`name="items[2][id]" value="${p.filters.selected_or_first_available_variant.id}"`);
    expect(html.match(/name="items\[\d\]\[properties\]\[_gp_rec\]" value="fbt"/g)).toHaveLength(2);
    // The anchor is the buyer's own choice: not credited to the block.
    expect(html).not.toContain('name="items[0][properties]');
    expect(html).toContain("Add all 3 to cart");
    expect(html).toContain("$45.00"); // 14.50 + 24.00 + 6.50
    expect(html).not.toMatch(/<script/i);
  });

  it("renders nothing — not an empty frame — when the product has no recommendations", async () => {
    const html = await productPage("bought-together", {}, { product: p.noRecs });
    expect(html).not.toContain("gp-recs");
    expect(html).not.toContain("<h2");
  });

  it("renders nothing when every recommendation is filtered out", async () => {
    const onlyBad = {
      ...p.noRecs,
      metafields: { $app: { bought_together: { value: [p.grinder, p.giftCard, p.freebie, null] } } },
    };
    expect(await productPage("bought-together", {}, { product: onlyBad })).not.toContain("gp-recs");
  });

  it("shows the merchant's fallback collection only when there are no recommendations", async () => {
    const fallback = { fallback_collection: store.collection };
    const none = await productPage("also-bought", fallback, { product: p.noRecs });
    expect(handlesIn(none)).toEqual(["ethiopia-yirgacheffe", "ceramic-dripper", "kenya-aa", "brewing-scale"]);
    const withRecs = await productPage("also-bought", fallback);
    expect(handlesIn(withRecs)).not.toContain("brewing-scale");
  });
});

describe("You may also like", () => {
  it("renders eligible also-bought products with quick-add forms marked for attribution", async () => {
    const html = await productPage("also-bought");
    expect(handlesIn(html)).toEqual(["gooseneck-kettle", "glass-carafe", "kenya-aa", "ceramic-dripper"]);
    expect(html.match(/name="properties\[_gp_rec\]" value="also"/g)).toHaveLength(4);
    expect(html).toContain('data-gp-click="also:1010"');
    expect(html).toContain("From $39.00");
    expect(html).not.toMatch(/<script/i);
  });

  it("never recommends the product being viewed", async () => {
    const self = { ...p.dripper, metafields: { $app: { also_bought: { value: [p.dripper, p.carafe] } } } };
    expect(handlesIn(await productPage("also-bought", {}, { product: self }))).toEqual(["glass-carafe"]);
  });

  it("supports carousel and list layouts with accessible markup", async () => {
    const carousel = await productPage("also-bought", { layout: "carousel" });
    expect(carousel).toContain("gp-recs--carousel");
    expect(carousel).toMatch(
      /<ul\s+class="gp-recs__list"\s+role="list"\s+tabindex="0"\s+aria-label="You may also like: scroll for more products"/,
    );
    const list = await productPage("also-bought", { layout: "list", show_price: false, show_badges: false });
    expect(list).toContain("gp-recs--list");
    expect(list).not.toContain("gp-card__price");
  });

  it("escapes hostile product titles and image alt text (merchant data is not markup)", async () => {
    const hostile = buildStore();
    const payload = '"><img src=x onerror=alert(1)>';
    hostile.products.dripper.title = payload;
    hostile.products.dripper.featured_image = {
      src: "https://cdn.shopify.com/x.png",
      alt: payload,
      width: 480,
      height: 480,
    };
    const html = await renderBlock(engine, "bought-together", {
      product: hostile.products.ethiopia,
      cart: hostile.cart([hostile.products.frother]),
      routes,
      block: blockContext("bought-together-1", { ...schemaDefaults("bought-together"), count: 4 }),
    });
    expect(handlesIn(html)).toContain("ceramic-dripper"); // the hostile product is shown…
    expect(html).not.toContain("<img src=x"); // …as text
    expect(html).not.toMatch(/onerror=alert\(1\)>/);
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  });

  it("uses the merchant's heading when set", async () => {
    const html = await productPage("also-bought", { heading: "Pairs well with <yours>" });
    expect(html).toContain(">Pairs well with &lt;yours&gt;</h2>");
  });
});

describe("Complete your order (cart)", () => {
  async function cartPage(items: ProductDrop[], settings: Record<string, unknown> = {}) {
    return renderBlock(engine, "cart-complete", {
      cart: store.cart(items),
      routes,
      block: blockContext("cart-1", { ...schemaDefaults("cart-complete"), ...settings }),
    });
  }

  it("pools the bought-together lists of the cart's products, excluding what is already in the cart", async () => {
    const html = await cartPage([p.ethiopia, p.frother]);
    expect(handlesIn(html)).toEqual(["ceramic-dripper", "paper-filters", "backorder-colombia", "glass-carafe"]);
    expect(html.match(/name="properties\[_gp_rec\]" value="cart"/g)).toHaveLength(4);
  });

  it("keeps a hidden, empty mount for the script when there is nothing to show", async () => {
    const html = await cartPage([p.noRecs]);
    expect(html).toMatch(/data-gp-cart-recs[\s\S]*\bhidden\b/);
    expect(html).not.toContain("gp-recs__heading");
    expect(await cartPage([])).not.toContain("gp-recs__heading");
  });
});

describe("Recommended for you", () => {
  async function page(customer: unknown, extra: Record<string, unknown> = {}) {
    return renderBlock(engine, "for-you", {
      customer,
      cart: store.cart([p.frother]),
      routes,
      block: blockContext("fy-1", schemaDefaults("for-you")),
      ...extra,
    });
  }

  it("renders the logged-in customer's list, filtered", async () => {
    expect(handlesIn(await page(store.customer))).toEqual([
      "kenya-aa",
      "backorder-colombia",
      "gooseneck-kettle",
      "brewing-scale",
    ]);
  });

  it("renders nothing for guests", async () => {
    expect(await page(null)).not.toContain("gp-recs");
  });

  it("excludes the product on a product page", async () => {
    expect(handlesIn(await page(store.customer, { product: p.kenya }))).not.toContain("kenya-aa");
  });
});

describe("Cart drawer embed", () => {
  it("renders only an inert hidden mount with its settings", async () => {
    const html = await renderBlock(engine, "cart-drawer", {
      routes,
      block: blockContext("drawer", schemaDefaults("cart-drawer")),
    });
    expect(html).toMatch(/<div\s+class="gp-block gp-drawer-recs"\s+hidden\s+data-gp-drawer/);
    expect(html).toContain('data-gp-limit="3"');
    expect(html).toContain('data-gp-mount="cart-drawer .drawer__footer');
  });
});

describe("schema and locales", () => {
  it("product blocks are product-only, the cart block cart-only, and only cart/drawer load the script", () => {
    expect(readSchema("bought-together")).toMatchObject({ target: "section", enabled_on: { templates: ["product"] } });
    expect(readSchema("also-bought")).toMatchObject({ target: "section", enabled_on: { templates: ["product"] } });
    expect(readSchema("cart-complete")).toMatchObject({
      target: "section",
      javascript: "gp-cart.js",
      enabled_on: { templates: ["cart"] },
    });
    expect(readSchema("cart-drawer")).toMatchObject({ target: "body", javascript: "gp-cart.js" });
    for (const name of ["bought-together", "also-bought", "for-you"])
      expect(readSchema(name)).not.toHaveProperty("javascript");
  });

  it("renders in Simplified Chinese", async () => {
    const zh = createEngine({ locale: "zh-CN" });
    const html = await renderBlock(zh, "bought-together", {
      product: p.ethiopia,
      cart: store.cart([]),
      routes,
      block: blockContext("zh", { ...schemaDefaults("bought-together"), count: 2 }),
    });
    expect(html).toContain("经常一起购买");
    expect(html).toContain("全部 3 件加入购物车");
    expect(html).not.toContain("translation missing");
  });
});
