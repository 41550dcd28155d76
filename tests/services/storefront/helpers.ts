import type { PrismaClient } from "@prisma/client";

/**
 * A small catalogue in the database (as the sync would leave it) with one product per storefront
 * filter case. Product n has GID gid://shopify/Product/n and variant gid://shopify/ProductVariant/(n*10).
 */
export const SHOP = "kaldi.myshopify.com";
export const pid = (n: number) => `gid://shopify/Product/${n}`;
export const vid = (n: number) => `gid://shopify/ProductVariant/${n * 10}`;

interface Spec {
  n: number;
  title: string;
  status?: string;
  publishedAt?: Date | null;
  isGiftCard?: boolean;
  deleted?: boolean;
  variants?: { priceMinor: number; inventoryQty: number; inventoryPolicy?: string }[];
}

export const CATALOG: Spec[] = [
  { n: 1001, title: "Ethiopia Yirgacheffe" },
  { n: 1002, title: "Ceramic Dripper" },
  { n: 1003, title: "Paper Filters" },
  { n: 1004, title: "Sold-out Grinder", variants: [{ priceMinor: 5900, inventoryQty: 0 }] },
  {
    n: 1005,
    title: "Backorder Colombia",
    variants: [{ priceMinor: 1350, inventoryQty: 0, inventoryPolicy: "CONTINUE" }],
  },
  { n: 1006, title: "Unpublished Blend", publishedAt: null },
  { n: 1007, title: "Gift Card", isGiftCard: true },
  { n: 1008, title: "Free Sample", variants: [{ priceMinor: 0, inventoryQty: 100 }] },
  { n: 1009, title: "Milk Frother" },
  { n: 1010, title: "Gooseneck Kettle" },
  { n: 1011, title: "Glass Carafe" },
  { n: 1012, title: "Draft Kenya", status: "DRAFT" },
  { n: 1013, title: "Deleted Scale", deleted: true },
  { n: 1014, title: "Brewing Scale" },
];

export async function seedCatalog(prisma: PrismaClient, shop = SHOP, specs: Spec[] = CATALOG) {
  const at = new Date("2026-10-01T00:00:00Z");
  for (const s of specs) {
    await prisma.product.create({
      data: {
        shop,
        gid: pid(s.n),
        title: s.title,
        handle: s.title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
        tags: [],
        collections: [],
        status: s.status ?? "ACTIVE",
        publishedAt: s.publishedAt === undefined ? at : s.publishedAt,
        isGiftCard: s.isGiftCard ?? false,
        deletedAt: s.deleted ? at : null,
        shopifyCreated: at,
        shopifyUpdated: at,
      },
    });
    const variants = s.variants ?? [{ priceMinor: 1500, inventoryQty: 10 }];
    for (const [i, v] of variants.entries()) {
      await prisma.variant.create({
        data: {
          shop,
          gid: `gid://shopify/ProductVariant/${s.n * 10 + i}`,
          productGid: pid(s.n),
          title: "Default Title",
          priceMinor: v.priceMinor,
          inventoryQty: v.inventoryQty,
          inventoryPolicy: v.inventoryPolicy ?? "DENY",
          shopifyUpdated: at,
        },
      });
    }
  }
}

export const items = (...ns: number[]) =>
  ns.map((n, i) => ({ gid: pid(n), score: 1 - i * 0.1, reason: "co-purchase" }));
