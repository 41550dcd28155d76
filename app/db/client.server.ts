import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations, type SqlExecutor } from "./migrate.server";

export interface Database {
  prisma: PrismaClient;
  /** Raw SQL access for migrations and bulk statements. */
  sql: SqlExecutor;
  kind: "postgres" | "pglite";
  /** Closes the client; PGlite only persists reliably once closed. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Postgres connection string; when absent, PGlite is used. */
  url?: string;
  /** PGlite data directory; absent = in-memory (tests). */
  dataDir?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** pg pool size (Postgres only). */
  poolSize?: number;
}

/** Opens Postgres (when a URL is given) or PGlite, applies migrations and returns a Prisma client. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const db = options.url ? openPostgres(options.url, options.poolSize) : openPglite(options.dataDir);
  if (options.migrate !== false) {
    try {
      if (options.url) await migratePostgres(options.url);
      else await applyMigrations(db.sql);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}

function openPostgres(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle pooled connection can be closed by the server (restart, failover, admin termination).
  // pg reports that as an 'error' event on the pool, which would crash the process if unhandled;
  // the pool drops the dead client and opens a fresh one on the next query.
  pool.on("error", (error) =>
    console.warn(
      `database: idle connection lost (${(error as Error & { code?: string }).code ?? error.message}); it will be replaced`,
    ),
  );
  releaseClientsOnConnectionLoss(pool);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    sql: {
      async exec(text) {
        await pool.query(text);
      },
      async query(text, params) {
        return (await pool.query(text, params as unknown[])).rows;
      },
    },
    kind: "postgres",
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * Connections lost while checked out (mid-transaction) must go back to the pool too. Prisma 6.19's
 * driver-adapter transactions release their pg client only after COMMIT/ROLLBACK succeeds; when
 * the connection died mid-transaction that statement fails and the client is never returned, so
 * after `max` such failures every later query waits for a free client forever (seen in
 * tests/faults/postgres-drop.test.ts). A checked-out client whose connection errors or ends is
 * released (and so discarded) here. Every client also gets a permanent 'error' listener: a late
 * error on a client the pool is discarding would otherwise crash the process. The statement that
 * hit the dead connection still fails; callers retry (the sync resumes at its checkpoint, jobs retry).
 */
function releaseClientsOnConnectionLoss(pool: pg.Pool): void {
  const checkedOut = new WeakSet<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_error, client) => checkedOut.delete(client as pg.PoolClient));
  pool.on("connect", (client) => {
    const lost = (error?: Error) => {
      const held = client as pg.PoolClient;
      if (!checkedOut.has(held)) return;
      checkedOut.delete(held);
      const release = held.release;
      // The holder may still call release() later; the client is gone either way.
      held.release = () => {};
      try {
        release(error ?? new Error("connection ended"));
      } catch {
        // already released
      }
    };
    client.on("error", lost);
    client.on("end", () => lost());
  });
}

/**
 * Migrations need one session for BEGIN/COMMIT and the advisory lock, which a pool cannot
 * promise, so Postgres gets a dedicated connection for them.
 */
async function migratePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await applyMigrations({
      exec: async (text) => void (await client.query(text)),
      query: async (text, params) => (await client.query(text, params as unknown[])).rows,
    });
  } finally {
    await client.end();
  }
}

function openPglite(dataDir?: string): Database {
  if (dataDir) mkdirSync(path.resolve(dataDir), { recursive: true });
  const pglite = new PGlite(dataDir ? path.resolve(dataDir) : undefined);
  // pglite-prisma-adapter pins an older @prisma/driver-adapter-utils; the runtime contract is the
  // same (the migration and data-layer suites exercise it), only the declared types differ.
  const adapter = new PrismaPGlite(pglite) as unknown as SqlDriverAdapterFactory;
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    sql: {
      async exec(text) {
        await pglite.exec(text);
      },
      async query(text, params) {
        return (await pglite.query(text, params as unknown[])).rows as never[];
      },
    },
    kind: "pglite",
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
