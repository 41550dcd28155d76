/**
 * The generated catalogue: categories of a specialty coffee & tea shop, products built from word
 * lists, price ranges and margins per category, variants with SKUs, a realistic sprinkle of draft /
 * archived / unpublished / out-of-stock products, one gift card, one free sample, and a
 * complementary structure (a brewer sells with its filters and a coffee; a teapot with a tea) that
 * gives "bought together" and collaborative filtering something real to find.
 *
 * Longer than 300 lines because of data: the CATEGORIES table (about 215 lines) is most of it.
 */
import { escapeHtml, isoSeconds, makeProduct } from "../factories.js";
import type { DsProduct, DsShop, DsVariant } from "../model.js";
import { formatMinor } from "../money.js";
import type { Rng } from "./random";
import { chance, cumulative, intBetween, pick, uniform } from "./random";
import * as W from "./words";
import { DAY_MS } from "../../app/analytics/time";

/** Shopper personas; category affinities depend on them (coffee people rarely buy teapots). */
export const PERSONAS = ["coffee", "tea", "both"] as const;
export type Persona = (typeof PERSONAS)[number];

interface VariantOption {
  title: string;
  priceFactor: number;
}

export interface CategorySpec {
  key: string;
  productType: string;
  collection: string;
  skuPrefix: string;
  /** Share of the catalogue's products. */
  share: number;
  /** Re-bought on a cycle (coffee, tea, filters…) rather than once. */
  consumable: boolean;
  /** Price range of the base variant, major units. */
  price: [number, number];
  vendors: string[];
  tagPool: string[];
  /** Relative demand per persona. */
  affinity: Record<Persona, number>;
  /** Complements: each product gets a partner from `category` with probability `p`. */
  complements: { category: string; p: number }[];
  title(rng: Rng): string;
  variantOptions(rng: Rng): VariantOption[];
}

const single = (): VariantOption[] => [{ title: "Default Title", priceFactor: 1 }];
/** The first 1–3 options of `options` (one option collapses to Shopify's "Default Title"). */
const someOf = (rng: Rng, options: VariantOption[]): VariantOption[] => {
  const n = intBetween(rng, 1, Math.min(3, options.length));
  return n === 1 ? single() : options.slice(0, n);
};

export const CATEGORIES: CategorySpec[] = [
  {
    key: "coffee",
    productType: "Coffee",
    collection: "Coffee",
    skuPrefix: "COF",
    share: 0.25,
    consumable: true,
    price: [13, 29],
    vendors: ["Northbound Roasters", "Copper Kettle Coffee", "Lighthouse Roastery", "Altitude Coffee Co."],
    tagPool: ["organic", "fair-trade", "single-origin", "blend", "fruity", "chocolatey", "nutty"],
    affinity: { coffee: 0.42, tea: 0.04, both: 0.25 },
    complements: [
      { category: "syrups", p: 0.15 },
      { category: "snacks", p: 0.2 },
    ],
    title: (rng) =>
      chance(rng, 0.7)
        ? `${pick(rng, W.COFFEE_ORIGINS)} ${pick(rng, W.COFFEE_STYLES)}`
        : `${pick(rng, W.COFFEE_BLENDS)} ${pick(rng, W.COFFEE_STYLES)}`,
    variantOptions: (rng) =>
      someOf(rng, [
        { title: "250 g / Whole Bean", priceFactor: 1 },
        { title: "250 g / Ground", priceFactor: 1 },
        { title: "1 kg / Whole Bean", priceFactor: 3.4 },
      ]),
  },
  {
    key: "tea",
    productType: "Tea",
    collection: "Tea",
    skuPrefix: "TEA",
    share: 0.18,
    consumable: true,
    price: [8, 24],
    vendors: ["Misty Peak Tea", "Leaf & Ladle", "Old Harbor Tea Co."],
    tagPool: ["organic", "caffeine-free", "green", "black", "herbal", "loose-leaf"],
    affinity: { coffee: 0.04, tea: 0.46, both: 0.2 },
    complements: [{ category: "snacks", p: 0.2 }],
    title: (rng) =>
      chance(rng, 0.6) ? `${pick(rng, W.TEA_NAMES)} ${pick(rng, W.TEA_STYLES)}` : pick(rng, W.TEA_NAMES),
    variantOptions: (rng) =>
      someOf(rng, [
        { title: "50 g", priceFactor: 1 },
        { title: "100 g", priceFactor: 1.8 },
        { title: "250 g", priceFactor: 3.9 },
      ]),
  },
  {
    key: "brewers",
    productType: "Brewing Equipment",
    collection: "Brewing Gear",
    skuPrefix: "BRW",
    share: 0.08,
    consumable: false,
    price: [22, 140],
    vendors: ["Bloom Brewware", "Drip Lab", "Kettle & Co."],
    tagPool: ["pour-over", "immersion", "gift-idea", "beginner"],
    affinity: { coffee: 0.07, tea: 0.005, both: 0.05 },
    complements: [
      { category: "supplies", p: 1 },
      { category: "coffee", p: 0.6 },
    ],
    title: (rng) => `${pick(rng, W.MATERIALS)} ${pick(rng, W.BREWERS)}`,
    variantOptions: (rng) =>
      chance(rng, 0.6)
        ? single()
        : [
            { title: "Small", priceFactor: 1 },
            { title: "Large", priceFactor: 1.25 },
          ],
  },
  {
    key: "accessories",
    productType: "Brewing Accessories",
    collection: "Brewing Gear",
    skuPrefix: "ACC",
    share: 0.06,
    consumable: false,
    price: [15, 190],
    vendors: ["Drip Lab", "Kettle & Co.", "Grindhaus"],
    tagPool: ["gift-idea", "barista", "precision"],
    affinity: { coffee: 0.05, tea: 0.01, both: 0.04 },
    complements: [{ category: "coffee", p: 0.4 }],
    title: (rng) => `${pick(rng, W.MATERIALS)} ${pick(rng, W.GEAR)}`,
    variantOptions: (rng) =>
      someOf(rng, [
        { title: "Black", priceFactor: 1 },
        { title: "White", priceFactor: 1 },
        { title: "Copper", priceFactor: 1.15 },
      ]),
  },
  {
    key: "supplies",
    productType: "Filters & Supplies",
    collection: "Brewing Gear",
    skuPrefix: "SUP",
    share: 0.07,
    consumable: true,
    price: [4, 14],
    vendors: ["Drip Lab", "Bloom Brewware", "CleanCup"],
    tagPool: ["refill", "unbleached", "compostable"],
    affinity: { coffee: 0.08, tea: 0.01, both: 0.05 },
    complements: [],
    title: (rng) => `${pick(rng, W.SUPPLIES)} ${pick(rng, ["#1", "#2", "#4", "Small", "Large", "Pro", "Classic"])}`,
    variantOptions: (rng) =>
      chance(rng, 0.5)
        ? single()
        : [
            { title: "100 pack", priceFactor: 1 },
            { title: "300 pack", priceFactor: 2.5 },
          ],
  },
  {
    key: "drinkware",
    productType: "Drinkware",
    collection: "Mugs & Cups",
    skuPrefix: "MUG",
    share: 0.12,
    consumable: false,
    price: [12, 42],
    vendors: ["Claybird Studio", "Hearth Ceramics", "Glasswork Supply"],
    tagPool: ["handmade", "dishwasher-safe", "gift-idea", "stoneware"],
    affinity: { coffee: 0.08, tea: 0.1, both: 0.09 },
    complements: [{ category: "snacks", p: 0.3 }],
    title: (rng) =>
      `${pick(rng, ["Everyday", "Stoneware", "Handmade", "Classic", "Studio", "Nordic", "Café", "Speckled"])} ${pick(rng, W.DRINKWARE)}`,
    variantOptions: (rng) => {
      const n = intBetween(rng, 1, 3);
      if (n === 1) return single();
      const colours = new Set<string>();
      while (colours.size < n) colours.add(pick(rng, W.COLOURS));
      return [...colours].map((title) => ({ title, priceFactor: 1 }));
    },
  },
  {
    key: "teaware",
    productType: "Teaware",
    collection: "Teaware",
    skuPrefix: "TWR",
    share: 0.07,
    consumable: false,
    price: [9, 95],
    vendors: ["Claybird Studio", "Leaf & Ladle", "Tetsu Ironworks"],
    tagPool: ["gift-idea", "cast-iron", "ceramic", "ceremony"],
    affinity: { coffee: 0.005, tea: 0.14, both: 0.06 },
    complements: [{ category: "tea", p: 1 }],
    title: (rng) => `${pick(rng, W.MATERIALS)} ${pick(rng, W.TEAWARE)}`,
    variantOptions: (rng) =>
      chance(rng, 0.6)
        ? single()
        : [
            { title: "0.5 L", priceFactor: 1 },
            { title: "1 L", priceFactor: 1.3 },
          ],
  },
  {
    key: "snacks",
    productType: "Snacks",
    collection: "Snacks",
    skuPrefix: "SNK",
    share: 0.1,
    consumable: true,
    price: [3, 12],
    vendors: ["Crumb Bakehouse", "Cocoa Coast", "Nonna's Biscotti"],
    tagPool: ["vegan", "gluten-free", "sweet", "small-batch"],
    affinity: { coffee: 0.1, tea: 0.12, both: 0.11 },
    complements: [],
    title: (rng) => `${pick(rng, W.FLAVOURS)} ${pick(rng, W.SNACKS)}`,
    variantOptions: (rng) =>
      chance(rng, 0.5)
        ? single()
        : [
            { title: "Single", priceFactor: 1 },
            { title: "Box of 6", priceFactor: 5.2 },
          ],
  },
  {
    key: "syrups",
    productType: "Syrups",
    collection: "Syrups",
    skuPrefix: "SYR",
    share: 0.05,
    consumable: true,
    price: [7, 15],
    vendors: ["Sweet Drop Syrups", "Maple Row"],
    tagPool: ["sugar-free", "seasonal", "natural"],
    affinity: { coffee: 0.07, tea: 0.02, both: 0.05 },
    complements: [],
    title: (rng) => `${pick(rng, W.SYRUPS)} ${pick(rng, ["Syrup", "Sauce", "Syrup Reserve"])}`,
    variantOptions: (rng) =>
      chance(rng, 0.5)
        ? single()
        : [
            { title: "250 ml", priceFactor: 1 },
            { title: "750 ml", priceFactor: 2.4 },
          ],
  },
  {
    key: "gift-sets",
    productType: "Gift Sets",
    collection: "Gifts",
    skuPrefix: "GFT",
    share: 0.02,
    consumable: false,
    price: [30, 85],
    vendors: [],
    tagPool: ["gift-idea", "holiday", "bundle"],
    affinity: { coffee: 0.03, tea: 0.04, both: 0.04 },
    complements: [],
    title: (rng) => `${pick(rng, W.GIFT_ADJECTIVES)} ${pick(rng, W.GIFT_SETS)}`,
    variantOptions: single,
  },
];

/** One sellable product plus what the basket sampler needs about it. */
export interface CatalogueItem {
  product: DsProduct;
  variants: DsVariant[];
  /** Cumulative variant weights: the first variant sells best. */
  variantCum: Float64Array;
  /** Index into CATEGORIES, -1 for the gift card and the sample. */
  category: number;
  createdMs: number;
  consumable: boolean;
  /** Items (indexes) often bought together with this one. */
  partners: number[];
}

export interface Catalogue {
  items: CatalogueItem[];
  /** Per category: item indexes and their cumulative popularity (Zipf over a random rank). */
  byCategory: { items: number[]; cum: Float64Array }[];
  /** Per category and vendor (key `${category}|${vendor}`), for customers loyal to a brand. */
  byVendor: Map<string, { items: number[]; cum: Float64Array }>;
  giftCard: number;
  sample: number;
}

interface ProductDraft {
  category: number;
  title: string;
  vendor: string;
  createdMs: number;
  options: VariantOption[];
  basePriceMinor: number;
}

/** 12.37 → 12.99 (charm pricing); ≥ 100 rounds to whole units. */
function charmPriceMinor(major: number): number {
  return major >= 100 ? Math.round(major) * 100 : Math.floor(major) * 100 + 99;
}

/** Splits `total` products across categories by share (largest remainder). */
function productsPerCategory(total: number): number[] {
  const exact = CATEGORIES.map((c) => c.share * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k][1]]++;
  return counts;
}

function uniqueTitle(rng: Rng, spec: CategorySpec, used: Set<string>): string {
  let title = spec.title(rng);
  for (let i = 0; i < 20 && used.has(title); i++) title = spec.title(rng);
  for (let n = 2; used.has(title); n++) title = `${spec.title(rng)} No. ${n}`;
  used.add(title);
  return title;
}

/** Mostly older than the window; ~15% launched during it (they only sell after launch). */
function launchTime(rng: Rng, startMs: number, endMs: number): number {
  const lateLaunchEnd = endMs - 14 * DAY_MS;
  if (lateLaunchEnd > startMs && chance(rng, 0.15)) return uniform(rng, startMs, lateLaunchEnd);
  return uniform(rng, startMs - 730 * DAY_MS, startMs - DAY_MS);
}

function draftProducts(rng: Rng, count: number, shopName: string, startMs: number, endMs: number): ProductDraft[] {
  const used = new Set<string>();
  const drafts: ProductDraft[] = [];
  productsPerCategory(count).forEach((n, category) => {
    const spec = CATEGORIES[category];
    for (let i = 0; i < n; i++) {
      drafts.push({
        category,
        title: uniqueTitle(rng, spec, used),
        vendor: spec.vendors.length ? pick(rng, spec.vendors) : shopName,
        createdMs: launchTime(rng, startMs, endMs),
        options: spec.variantOptions(rng),
        basePriceMinor: charmPriceMinor(uniform(rng, spec.price[0], spec.price[1])),
      });
    }
  });
  return drafts;
}

/** ~5% draft, ~2% archived, ~2% active but unpublished, the rest active and published. */
function lifecycle(rng: Rng): { status: DsProduct["status"]; published: boolean } {
  const u = rng();
  if (u < 0.05) return { status: "DRAFT", published: false };
  if (u < 0.07) return { status: "ARCHIVED", published: false };
  if (u < 0.09) return { status: "ACTIVE", published: false };
  return { status: "ACTIVE", published: true };
}

function insertDraft(
  shop: DsShop,
  rng: Rng,
  draft: ProductDraft,
  seq: number,
  rank: number,
  endMs: number,
): CatalogueItem {
  const spec = CATEGORIES[draft.category];
  const { status, published } = lifecycle(rng);
  const outOfStock = chance(rng, 0.08);
  const continueSelling = outOfStock && chance(rng, 0.3);
  const hasCost = chance(rng, 0.8);
  const onSale = chance(rng, 0.1);
  const createdAt = isoSeconds(draft.createdMs);
  const bestseller = rank < 3;
  const tags = [spec.key, ...new Set([pick(rng, spec.tagPool), pick(rng, spec.tagPool)])];
  if (bestseller) tags.push("bestseller");
  if (onSale) tags.push("sale");
  const collections = [spec.collection];
  if (bestseller) collections.push("Best Sellers");
  if (spec.key === "gift-sets" || draft.basePriceMinor >= 4000) collections.push("Gifts");
  if (onSale) collections.push("Sale");
  if (draft.createdMs > endMs - 60 * DAY_MS) collections.push("New Arrivals");

  const product = makeProduct(shop, {
    title: draft.title,
    productType: spec.productType,
    vendor: draft.vendor,
    tags,
    collections,
    status,
    publishedAt: published ? createdAt : null,
    createdAt,
    updatedAt: isoSeconds(uniform(rng, draft.createdMs, Math.max(draft.createdMs, endMs))),
    descriptionHtml: `<p>${escapeHtml(`${draft.title} from ${draft.vendor}.`)}</p>`,
    variants: draft.options.map((option, v) => {
      const priceMinor = charmPriceMinor((draft.basePriceMinor / 100) * option.priceFactor);
      return {
        title: option.title,
        sku: `${spec.skuPrefix}-${String(seq).padStart(4, "0")}-${v + 1}`,
        price: formatMinor(priceMinor),
        compareAtPrice: onSale ? formatMinor(charmPriceMinor((priceMinor / 100) * 1.25)) : null,
        inventoryQuantity: outOfStock ? 0 : intBetween(rng, 3, 240),
        inventoryPolicy: continueSelling ? "CONTINUE" : "DENY",
        unitCost: hasCost ? formatMinor(Math.round(priceMinor * (1 - uniform(rng, 0.3, 0.7)))) : null,
      };
    }),
  });
  return itemOf(shop, product, draft.category, draft.createdMs, spec.consumable);
}

function itemOf(
  shop: DsShop,
  product: DsProduct,
  category: number,
  createdMs: number,
  consumable: boolean,
): CatalogueItem {
  const variants = product.variantIds.map((id) => shop.variants.get(id)!);
  return {
    product,
    variants,
    variantCum: cumulative(variants.map((_, i) => (i === 0 ? 0.6 : 0.4 / (variants.length - 1)))),
    category,
    createdMs,
    consumable,
    partners: [],
  };
}

function insertGiftCard(shop: DsShop, createdMs: number): CatalogueItem {
  const createdAt = isoSeconds(createdMs);
  const product = makeProduct(shop, {
    title: `${shop.name} Gift Card`,
    productType: "Gift Card",
    vendor: shop.name,
    tags: ["gift-card"],
    collections: ["Gifts"],
    isGiftCard: true,
    createdAt,
    variants: ["25.00", "50.00", "100.00"].map((price, i) => ({
      title: `$${price.replace(".00", "")}`,
      sku: `GC-${i + 1}`,
      price,
      // Gift cards are not stocked: Shopify keeps selling them at zero inventory.
      inventoryQuantity: 0,
      inventoryPolicy: "CONTINUE" as const,
      unitCost: null,
    })),
  });
  return itemOf(shop, product, -1, createdMs, false);
}

function insertSample(shop: DsShop, createdMs: number): CatalogueItem {
  const product = makeProduct(shop, {
    title: "Coffee Sample Pack",
    productType: "Coffee",
    vendor: shop.name,
    tags: ["sample", "free"],
    collections: [],
    createdAt: isoSeconds(createdMs),
    variants: [{ sku: "SAMPLE-1", price: "0.00", inventoryQuantity: 500, unitCost: "1.20" }],
  });
  return itemOf(shop, product, -1, createdMs, false);
}

/** Complements per CategorySpec: each item draws its partners from the named categories. */
function linkComplements(rng: Rng, catalogue: Catalogue): void {
  const categoryIndex = new Map(CATEGORIES.map((c, i) => [c.key, i]));
  for (const item of catalogue.items) {
    if (item.category < 0) continue;
    for (const { category, p } of CATEGORIES[item.category].complements) {
      const pool = catalogue.byCategory[categoryIndex.get(category)!].items;
      if (pool.length && chance(rng, p)) item.partners.push(pick(rng, pool));
    }
  }
}

function popularityIndex(items: number[], rank: Map<number, number>): { items: number[]; cum: Float64Array } {
  return { items, cum: cumulative(items.map((i) => 1 / Math.pow(rank.get(i)! + 1, 0.9))) };
}

/**
 * Creates `count` products in the shop (ids ascending with createdAt) and returns the sampler's view
 * of them. With ≥ 3 products one is the gift card; with ≥ 20 one is a price-0 sample.
 */
export function buildCatalogue(shop: DsShop, rng: Rng, count: number, startMs: number, endMs: number): Catalogue {
  const withGiftCard = count >= 3;
  const withSample = count >= 20;
  const regular = count - (withGiftCard ? 1 : 0) - (withSample ? 1 : 0);
  const drafts = draftProducts(rng, regular, shop.name, startMs, endMs);
  // A random popularity rank inside each category (0 = best seller), drawn before sorting by time.
  const rankOf = new Map<ProductDraft, number>();
  CATEGORIES.forEach((_, c) => {
    const inCategory = drafts.filter((d) => d.category === c);
    const ranks = inCategory.map((_, i) => i);
    for (let i = ranks.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [ranks[i], ranks[j]] = [ranks[j], ranks[i]];
    }
    inCategory.forEach((d, i) => rankOf.set(d, ranks[i]));
  });
  drafts.sort((a, b) => a.createdMs - b.createdMs);
  // The gift card and the sample are the shop's first products, so ids ascend with createdAt.
  const firstMs = Math.min(startMs - 365 * DAY_MS, drafts.length ? drafts[0].createdMs : startMs) - 2 * DAY_MS;

  const items: CatalogueItem[] = [];
  const rank = new Map<number, number>();
  let giftCard = -1;
  let sample = -1;
  if (withGiftCard) {
    giftCard = items.length;
    items.push(insertGiftCard(shop, firstMs));
  }
  if (withSample) {
    sample = items.length;
    items.push(insertSample(shop, firstMs + DAY_MS));
  }
  drafts.forEach((draft, seq) => {
    rank.set(items.length, rankOf.get(draft)!);
    items.push(insertDraft(shop, rng, draft, seq + 1, rankOf.get(draft)!, endMs));
  });

  const byCategory = CATEGORIES.map((_, c) =>
    popularityIndex(
      items.flatMap((it, i) => (it.category === c ? [i] : [])),
      rank,
    ),
  );
  const byVendor = new Map<string, { items: number[]; cum: Float64Array }>();
  CATEGORIES.forEach((_, c) => {
    const vendors = new Map<string, number[]>();
    for (const i of byCategory[c].items) {
      const list = vendors.get(items[i].product.vendor) ?? [];
      list.push(i);
      vendors.set(items[i].product.vendor, list);
    }
    for (const [vendor, list] of vendors) byVendor.set(`${c}|${vendor}`, popularityIndex(list, rank));
  });
  const catalogue: Catalogue = { items, byCategory, byVendor, giftCard, sample };
  linkComplements(rng, catalogue);
  return catalogue;
}
