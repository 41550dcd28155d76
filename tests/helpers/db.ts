import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "~/db/client.server";

/**
 * Test databases. Every suite gets its own: an in-memory PGlite, or — when TEST_DATABASE_URL is set
 * (CI sets it) — a freshly created Postgres database that is dropped again afterwards.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export type TestDbKind = "pglite" | "postgres";

/** The kinds to run data-layer suites against: PGlite always, Postgres when configured. */
export const testDbKinds: TestDbKind[] = TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export interface TestDatabase extends Database {
  /** Connection string (Postgres only) — lets a test open a second client on the same data. */
  url?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: TestDbKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const db = await openDatabase({});
    return { ...db, drop: () => db.close() };
  }
  const admin = new URL(TEST_DATABASE_URL!);
  const name = `gp_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolSize: 4 });
  return {
    ...db,
    url: url.toString(),
    async drop() {
      await db.close();
      await withAdmin(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin(url: URL, fn: (c: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
