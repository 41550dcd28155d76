import type { PrismaClient } from "@prisma/client";
import { parseShopSettings, ShopSettingsSchema, type ShopSettings } from "./shop-settings";
import { isAccessGap, type AccessGap } from "./access-gaps";

export interface ShopDetails {
  name?: string;
  currencyCode?: string;
  ianaTimezone?: string;
  planName?: string;
}

/**
 * Records an install, a re-install or a fresh authentication of an installed shop (Shopify runs
 * token exchange again whenever the offline token is missing or expired). Details are refreshed
 * every time; `installedAt` moves only when the app was not installed (new, or uninstalled before),
 * and a re-install clears `uninstalledAt` so the shop's schedules and reconciles resume.
 */
export async function recordInstall(prisma: PrismaClient, shop: string, details: ShopDetails = {}) {
  const existing = await prisma.shop.findUnique({ where: { shop }, select: { uninstalledAt: true } });
  if (!existing) return prisma.shop.create({ data: { shop, ...details } });
  const reinstall = existing.uninstalledAt !== null ? { uninstalledAt: null, installedAt: new Date() } : {};
  return prisma.shop.update({ where: { shop }, data: { ...details, ...reinstall } });
}

export async function getShop(prisma: PrismaClient, shop: string) {
  return prisma.shop.findUnique({ where: { shop } });
}

/** Synced row counts for the admin home (active products, customers with data, all orders). */
export async function countShopData(prisma: PrismaClient, shop: string) {
  const [products, customers, orders] = await Promise.all([
    prisma.product.count({ where: { shop, deletedAt: null } }),
    prisma.customer.count({ where: { shop, redactedAt: null } }),
    prisma.order.count({ where: { shop } }),
  ]);
  return { products, customers, orders };
}

/** Domains of shops that currently have the app installed (the worker schedules their reconciles). */
export async function listInstalledShops(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.shop.findMany({
    where: { uninstalledAt: null },
    select: { shop: true },
    orderBy: { shop: "asc" },
  });
  return rows.map((r) => r.shop);
}

/** The shop's validated settings (defaults for anything missing). */
export async function getShopSettings(prisma: PrismaClient, shop: string): Promise<ShopSettings> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { settings: true } });
  return parseShopSettings(row?.settings);
}

/** Validates and stores settings; throws a ZodError listing bad fields. */
export async function saveShopSettings(prisma: PrismaClient, shop: string, settings: unknown): Promise<ShopSettings> {
  const parsed = ShopSettingsSchema.parse(settings);
  await prisma.shop.update({ where: { shop }, data: { settings: parsed } });
  return parsed;
}

/**
 * Records what one sync step found about an access gap: `missing` adds it, otherwise it is
 * cleared (access granted since). Array update in SQL, so two resources' syncs never overwrite
 * each other's gap.
 */
export async function recordAccessGap(
  prisma: PrismaClient,
  shop: string,
  gap: AccessGap,
  missing: boolean,
): Promise<void> {
  if (missing) {
    await prisma.$executeRaw`UPDATE "Shop" SET "accessGaps" = array_append("accessGaps", ${gap}) WHERE shop = ${shop} AND NOT (${gap} = ANY("accessGaps"))`;
  } else {
    await prisma.$executeRaw`UPDATE "Shop" SET "accessGaps" = array_remove("accessGaps", ${gap}) WHERE shop = ${shop}`;
  }
}

/** The shop's recorded access gaps (unknown values from older code are dropped). */
export async function getAccessGaps(prisma: PrismaClient, shop: string): Promise<AccessGap[]> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { accessGaps: true } });
  return (row?.accessGaps ?? []).filter(isAccessGap);
}

/**
 * Records Flow's trigger lifecycle callback (D28): a newer `timestamp` wins, so callbacks that
 * arrive out of order cannot leave the shop marked with a stale state. False when the shop is
 * unknown or the callback is older than the stored one.
 */
export async function recordFlowTriggerUse(db: PrismaClient, shop: string, inUse: boolean, at: Date): Promise<boolean> {
  const result = await db.shop.updateMany({
    where: { shop, OR: [{ flowTriggerCheckedAt: null }, { flowTriggerCheckedAt: { lt: at } }] },
    data: { flowTriggerInUse: inUse, flowTriggerCheckedAt: at },
  });
  return result.count > 0;
}

export async function isFlowTriggerInUse(db: PrismaClient, shop: string): Promise<boolean> {
  const row = await db.shop.findUnique({ where: { shop }, select: { flowTriggerInUse: true } });
  return row?.flowTriggerInUse ?? false;
}
