import { readFileSync } from "node:fs";
import path from "node:path";
import { EXTENSION_DIR } from "./liquid";

/**
 * A small coffee shop as Shopify's Liquid would expose it: product drops with the fields the
 * blocks read, app-owned metafields under `metafields['$app']`, a cart and a customer. Each
 * product that must be filtered out carries the reason in its handle, so assertions on the HTML
 * read naturally (`not.toContain("sold-out-grinder")`).
 *
 * How Shopify resolves list.product_reference values matters for realism: a reference to a draft
 * product resolves to nil on the storefront; an unpublished product has no `published_at`.
 */

export interface ProductDrop {
  id: number;
  title: string;
  handle: string;
  url: string;
  available: boolean;
  price: number;
  price_min: number;
  price_varies: boolean;
  compare_at_price: number | null;
  "gift_card?": boolean;
  published_at: string | null;
  featured_image: { src: string; alt: string; width: number; height: number } | null;
  selected_or_first_available_variant: { id: number };
  metafields: Record<string, Record<string, { value: unknown }>>;
}

const PALETTE = ["#c8a27a", "#6f8f72", "#b5654b", "#5b6c8f", "#d9b44a", "#8a6f9e", "#4f7f86", "#a34e5d"];

/** An inline SVG product shot: a coloured backdrop with a simple bag/cup silhouette and a label. */
function productImage(title: string, index: number): string {
  const bg = PALETTE[index % PALETTE.length];
  const label = title
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]/.test(w))
    .slice(0, 2)
    .map((w) => w[0])
    .join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 480"><rect width="480" height="480" fill="${bg}"/><rect x="150" y="110" width="180" height="260" rx="18" fill="#fff" opacity="0.92"/><rect x="150" y="110" width="180" height="40" rx="12" fill="#222" opacity="0.15"/><text x="240" y="275" font-family="Georgia,serif" font-size="64" text-anchor="middle" fill="#333">${label}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

let nextVariant = 40_000;

function product(
  id: number,
  title: string,
  handle: string,
  price: number,
  extra: Partial<Omit<ProductDrop, "id" | "title" | "handle" | "price">> = {},
): ProductDrop {
  return {
    id,
    title,
    handle,
    url: `/products/${handle}`,
    available: true,
    price,
    price_min: price,
    price_varies: false,
    compare_at_price: null,
    "gift_card?": false,
    published_at: "2025-03-01T09:00:00Z",
    featured_image: { src: productImage(title, id), alt: title, width: 480, height: 480 },
    selected_or_first_available_variant: { id: nextVariant++ },
    metafields: {},
    ...extra,
  };
}

export function buildStore() {
  const ethiopia = product(1001, "Ethiopia Yirgacheffe — 250 g", "ethiopia-yirgacheffe", 1450);
  const dripper = product(1002, "Ceramic Pour-Over Dripper", "ceramic-dripper", 2400);
  const filters = product(1003, "Paper Filters (100)", "paper-filters", 650, { compare_at_price: 800 });
  const grinder = product(1004, "Hand Grinder", "sold-out-grinder", 5900, { available: false });
  // Inventory 0 but the variant continues selling: Shopify reports it available.
  const colombia = product(1005, "Colombia Huila — 250 g", "backorder-colombia", 1350);
  const unpublished = product(1006, "Seasonal Blend", "unpublished-blend", 1500, { published_at: null });
  const giftCard = product(1007, "Gift Card", "gift-card", 2500, { "gift_card?": true });
  const freebie = product(1008, "Free Sample Pack", "free-sample", 0);
  const frother = product(1009, "Milk Frother", "in-cart-frother", 2900);
  const kettle = product(1010, "Gooseneck Kettle", "gooseneck-kettle", 4500, { price_varies: true, price_min: 3900 });
  const carafe = product(1011, "Glass Carafe 600 ml", "glass-carafe", 1900);
  const kenya = product(1012, "Kenya AA — 250 g", "kenya-aa", 1600, { featured_image: null });
  const scale = product(1013, "Brewing Scale", "brewing-scale", 2700);
  const draftReference = null; // a draft product referenced by the metafield resolves to nil

  const refs = (...items: (ProductDrop | null)[]) => ({ value: items });
  ethiopia.metafields.$app = {
    bought_together: refs(dripper, grinder, draftReference, filters, giftCard, colombia, freebie, frother, unpublished),
    also_bought: refs(unpublished, kettle, carafe, kenya, dripper, freebie, grinder, colombia, scale),
  };
  frother.metafields.$app = { bought_together: refs(carafe, ethiopia, scale, grinder) };
  const noRecs = product(1020, "Decaf Swiss Water — 250 g", "decaf", 1500);

  const customer = {
    id: 7001,
    first_name: "Mei",
    metafields: { $app: { for_you: refs(kenya, colombia, kettle, frother, giftCard, freebie, scale) } },
  };
  const collection = { title: "Best sellers", products: [ethiopia, dripper, kenya, scale, grinder, carafe] };

  return {
    products: {
      ethiopia,
      dripper,
      filters,
      grinder,
      colombia,
      unpublished,
      giftCard,
      freebie,
      frother,
      kettle,
      carafe,
      kenya,
      scale,
      noRecs,
    },
    customer,
    collection,
    /** A cart holding the frother (and, for the cart page, the Ethiopia beans too). */
    cart(items: ProductDrop[]) {
      return {
        item_count: items.length,
        items: items.map((p) => ({
          product_id: p.id,
          product: p,
          quantity: 1,
          title: p.title,
          final_line_price: p.price,
          variant_id: p.selected_or_first_available_variant.id,
        })),
        total_price: items.reduce((s, p) => s + p.price, 0),
      };
    },
  };
}

export const routes = { root_url: "/", cart_url: "/cart", cart_add_url: "/cart/add" };

export function blockContext(id: string, settings: Record<string, unknown>) {
  return { id, settings, shopify_attributes: "" };
}

/**
 * A Dawn-like page: Dawn's colour/typography variables, header, a main product or cart section,
 * the app blocks where a merchant would drop them, and the extension's stylesheet.
 */
export function themePage(options: {
  title: string;
  main: string;
  blocks: string[];
  lang?: string;
  extraHead?: string;
  bodyEnd?: string;
}): string {
  const css = readFileSync(path.join(EXTENSION_DIR, "assets", "gp-recs.css"), "utf8");
  return `<!doctype html>
<html lang="${options.lang ?? "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${options.title}</title>
<style>
  :root {
    --font-body-family: Assistant, "Helvetica Neue", Arial, sans-serif;
    --font-heading-family: Assistant, "Helvetica Neue", Arial, sans-serif;
    --font-heading-weight: 400; --font-heading-scale: 1;
    --color-foreground: 18, 18, 18; --color-background: 255, 255, 255;
    --color-button: 18, 18, 18; --color-button-text: 255, 255, 255;
    --color-badge-background: 51, 79, 180; --color-badge-foreground: 255, 255, 255;
    --buttons-radius: 0px; --product-card-corner-radius: 0rem;
  }
  html { font-size: 62.5%; box-sizing: border-box; }
  *, *::before, *::after { box-sizing: inherit; }
  body { margin: 0; font-family: var(--font-body-family); font-size: 1.6rem; letter-spacing: 0.06rem; line-height: 1.8;
         color: rgb(var(--color-foreground)); background: rgb(var(--color-background)); }
  .announcement { background: #121212; color: #fff; text-align: center; font-size: 1.3rem; padding: 0.8rem; }
  header { display: flex; justify-content: space-between; align-items: center; padding: 2rem 5rem; border-bottom: 1px solid rgba(18,18,18,.08); }
  header .logo { font-size: 2.4rem; letter-spacing: 0.1rem; }
  header nav a { margin-left: 2.4rem; color: inherit; text-decoration: none; font-size: 1.5rem; }
  .page-width { max-width: 120rem; margin: 0 auto; padding: 0 5rem; }
  .product { display: grid; grid-template-columns: 1.2fr 1fr; gap: 4rem; padding: 3.6rem 0; }
  .product__media { aspect-ratio: 1/1; background: #c8a27a; display: grid; place-items: center; color: #fff; font-size: 4rem; }
  .product__title { font-size: 4rem; font-weight: 400; line-height: 1.2; margin: 0 0 1rem; }
  .price { font-size: 1.8rem; margin-bottom: 2rem; }
  .button { display: block; width: 100%; min-height: 4.6rem; background: #121212; color: #fff; border: 0; font: inherit; font-size: 1.5rem; margin-top: 1rem; }
  .button--secondary { background: #fff; color: #121212; border: 1px solid #121212; }
  .cart-table { width: 100%; border-collapse: collapse; margin: 2rem 0; }
  .cart-table td { padding: 1.2rem 0; border-bottom: 1px solid rgba(18,18,18,.08); }
  footer { margin-top: 6rem; padding: 3rem 5rem; border-top: 1px solid rgba(18,18,18,.08); font-size: 1.3rem; color: rgba(18,18,18,.75); }
  @media (max-width: 749px) {
    header { padding: 1.6rem 1.5rem; } header nav { display: none; }
    .page-width { padding: 0 1.5rem; }
    .product { grid-template-columns: 1fr; gap: 2rem; padding: 1.5rem 0; }
    .product__title { font-size: 3rem; }
  }
  ${css}
</style>
${options.extraHead ?? ""}
</head>
<body>
<div class="announcement">Free shipping on orders over $50</div>
<header><span class="logo">Kaldi &amp; Co.</span><nav><a href="/collections/all">Shop</a><a href="/pages/about">About</a><a href="/cart">Cart</a></nav></header>
<main class="page-width">
${options.main}
${options.blocks.join("\n")}
</main>
<footer>© 2026 Kaldi &amp; Co. — Powered by Shopify</footer>
${options.bodyEnd ?? ""}
</body>
</html>`;
}
