/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded PGlite. */
import { openDatabase } from "./client.server";
import { env } from "../env.server";

const config = env();
const db = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATABASE_URL ? undefined : `${config.DATA_DIR}/pglite`,
  migrate: true,
});
await db.close();
console.log(`Migrations applied (${db.kind}).`);
