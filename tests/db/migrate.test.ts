import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "~/db/migrate.server";
import { createTestDatabase, testDbKinds, type TestDatabase } from "../helpers/db";

describe.each(testDbKinds)("migrations on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("records applied migrations the way prisma migrate deploy does", async () => {
    const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
    }
  });

  it("is idempotent: a second run applies nothing", async () => {
    expect(await applyMigrations(db.sql)).toEqual([]);
  });

  it("creates a schema Prisma can use", async () => {
    await db.prisma.shop.create({ data: { shop: "a.myshopify.com" } });
    expect(await db.prisma.shop.count()).toBe(1);
  });
});
