import type { PrismaClient } from "@prisma/client";
import pg from "pg";
import type { DsShop } from "../../devstore/model";
import { parseMinor } from "../../devstore/money";

/**
 * Shared by the fault suite: canonical dumps of a shop's synced rows (to compare two databases or
 * two delivery orders), the stand-in's expected state in the same shape, and Postgres helpers.
 */

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** Bookkeeping columns that legitimately differ between two runs that converge (our own timestamps). */
const VOLATILE = new Set(["shop", "syncedAt"]);

function canonical(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row).sort()) {
    if (VOLATILE.has(key)) continue;
    const v = row[key];
    out[key] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

/** Every synced row of a shop (catalogue, customers, orders, lines), without the shop column and our timestamps, sorted by GID. */
export async function dumpShop(prisma: PrismaClient, shop: string) {
  const byGid = { orderBy: { gid: "asc" as const }, where: { shop } };
  const [products, variants, customers, orders, lines] = await Promise.all([
    prisma.product.findMany(byGid),
    prisma.variant.findMany(byGid),
    prisma.customer.findMany(byGid),
    prisma.order.findMany(byGid),
    prisma.orderLine.findMany(byGid),
  ]);
  return {
    products: products.map(canonical),
    variants: variants.map(canonical),
    customers: customers.map(canonical),
    orders: orders.map(canonical),
    lines: lines.map(canonical),
  };
}

/** Rows whose GID appears more than once for the shop (must be none: the primary key is (shop, gid)). */
export async function duplicateGids(prisma: PrismaClient, shop: string): Promise<number> {
  const rows = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT (SELECT count(*) - count(DISTINCT gid) FROM "Order" WHERE shop = $1)
          + (SELECT count(*) - count(DISTINCT gid) FROM "OrderLine" WHERE shop = $1) AS n`,
    shop,
  );
  return Number(rows[0].n);
}

/**
 * What the stand-in holds for the fields a lost update would show: per order its updatedAt,
 * status, cancellation, refunded amount and line count; per customer its updatedAt and tags.
 */
export function expectedState(shop: DsShop) {
  const orders = [...shop.orders.values()]
    .map((o) => ({
      gid: o.id,
      shopifyUpdated: new Date(o.updatedAt).toISOString(),
      financialStatus: o.financialStatus,
      cancelledAt: o.cancelledAt ? new Date(o.cancelledAt).toISOString() : null,
      refundedMinor: o.refunds.reduce((s, r) => s + parseMinor(r.totalRefunded), 0),
      lines: o.lineItems.length,
    }))
    .sort((a, b) => (a.gid < b.gid ? -1 : 1));
  const customers = [...shop.customers.values()]
    .map((c) => ({ gid: c.id, shopifyUpdated: new Date(c.updatedAt).toISOString(), tags: [...c.tags].sort() }))
    .sort((a, b) => (a.gid < b.gid ? -1 : 1));
  return { orders, customers };
}

/** The same fields read back from the database. */
export async function storedState(prisma: PrismaClient, shop: string) {
  const orders = await prisma.order.findMany({
    where: { shop },
    include: { _count: { select: { lines: true } } },
    orderBy: { gid: "asc" },
  });
  const customers = await prisma.customer.findMany({ where: { shop }, orderBy: { gid: "asc" } });
  return {
    orders: orders.map((o) => ({
      gid: o.gid,
      shopifyUpdated: o.shopifyUpdated.toISOString(),
      financialStatus: o.financialStatus,
      cancelledAt: o.cancelledAt?.toISOString() ?? null,
      refundedMinor: o.refundedMinor,
      lines: o._count.lines,
    })),
    customers: customers.map((c) => ({
      gid: c.gid,
      shopifyUpdated: c.shopifyUpdated.toISOString(),
      tags: [...c.tags].sort(),
    })),
  };
}

/** Runs `fn` with a client on the server's maintenance database (not one of the app's connections). */
export async function withAdminClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, application_name: "gp-fault-admin" });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Kills every backend connected to `database` (the app's pool), as a Postgres restart or failover would. Returns how many. */
export async function terminateBackends(database: string): Promise<number> {
  return withAdminClient(async (c) => {
    const { rows } = await c.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
    return rows.filter((r) => r.ok).length;
  });
}

export function databaseName(url: string): string {
  return new URL(url).pathname.replace(/^\//, "");
}

/** Polls `probe` until it returns a truthy value (bounded; no fixed sleeps). */
export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 30_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
