import path from "node:path";
import { defineConfig } from "prisma/config";

/**
 * Prisma CLI configuration. The native schema engine cannot be downloaded on our machines, so the
 * CLI runs Prisma's Wasm schema engine through a driver adapter (`engine: "js"`). It is used for
 * `prisma generate` and `prisma migrate diff`; migrations are *applied* by app/db/migrate.server.ts
 * (see docs/decisions.md — Wasm `migrate deploy` fails on Postgres, prisma/orm#27403). In
 * production, `prisma migrate deploy` with the regular engine applies the same files.
 */
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const { PGlite } = await import("@electric-sql/pglite");
    // Older adapter-utils types in pglite-prisma-adapter; same runtime contract (see app/db/client.server.ts).
    return new PrismaPGlite(
      new PGlite(),
    ) as unknown as import("@prisma/driver-adapter-utils").SqlMigrationAwareDriverAdapterFactory;
  },
});
