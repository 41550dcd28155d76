import type { PrismaClient } from "@prisma/client";

/** Records an install (or re-install) of the app on a shop. */
export async function recordInstall(
  prisma: PrismaClient,
  shop: string,
  details: { name?: string; currencyCode?: string; ianaTimezone?: string } = {},
) {
  return prisma.shop.upsert({
    where: { shop },
    create: { shop, ...details },
    update: { ...details, uninstalledAt: null, installedAt: new Date() },
  });
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
