import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** Runs SQL (possibly several statements) and returns rows of the last statement. */
export type SqlExecutor = {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
};

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

/**
 * Applies `prisma/migrations/<name>/migration.sql` in order and records each in
 * `_prisma_migrations` with the same columns and checksum (SHA-256 of the file) that
 * `prisma migrate deploy` writes, so production can switch to `migrate deploy` on the same database
 * without re-applying anything. We apply them ourselves because Prisma's Wasm schema engine (the
 * only one usable offline here) fails `migrate deploy` on Postgres (prisma/orm#27403).
 * Each migration runs in its own transaction; an advisory lock serialises concurrent starters.
 */
export async function applyMigrations(db: SqlExecutor, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
  await db.query("SELECT pg_advisory_lock(72707369)");
  try {
    const applied = await db.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const appliedByName = new Map(applied.map((m) => [m.migration_name, m.checksum]));
    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const newlyApplied: string[] = [];
    for (const name of names) {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const previous = appliedByName.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new Error(`Migration ${name} was modified after it was applied (checksum mismatch)`);
        }
        continue;
      }
      await applyOne(db, name, sql, checksum);
      newlyApplied.push(name);
    }
    return newlyApplied;
  } finally {
    await db.query("SELECT pg_advisory_unlock(72707369)");
  }
}

async function applyOne(db: SqlExecutor, name: string, sql: string, checksum: string) {
  const id = randomUUID();
  await db.exec("BEGIN");
  try {
    await db.exec(sql);
    await db.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 1)`,
      [id, checksum, name],
    );
    await db.exec("COMMIT");
  } catch (error) {
    await db.exec("ROLLBACK");
    throw new Error(`Migration ${name} failed: ${(error as Error).message}`);
  }
}
