import { getDb } from "../db.server";
import { pingDatabase } from "../models/db-types.server";

/** Resolves when the process's database answers `SELECT 1` within `timeoutMs`, else rejects. */
export async function checkDatabase(timeoutMs = 2_000): Promise<void> {
  const { prisma } = await getDb();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pingDatabase(prisma),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
