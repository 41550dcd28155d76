import type { Prisma, PrismaClient } from "@prisma/client";

/**
 * A Prisma client or an interactive-transaction client: model functions accept either, so the
 * sync can commit rows and its checkpoint in one transaction.
 */
export type Db = PrismaClient | Prisma.TransactionClient;

/** Interactive transaction options for sync batches (PGlite on a slow disk needs headroom). */
export const BATCH_TX_OPTIONS = { maxWait: 30_000, timeout: 300_000 } as const;

/** One `SELECT 1`: whether the database answers at all (`GET /healthz`). */
export async function pingDatabase(prisma: Db): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}
