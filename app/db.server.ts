import { openDatabase, type Database } from "./db/client.server";
import { env } from "./env.server";

/**
 * The process-wide database: Postgres when DATABASE_URL is set, otherwise PGlite in DATA_DIR.
 * Opened (and migrated) once; `closeDb` must run on shutdown because PGlite only persists
 * reliably once closed.
 */
let opening: Promise<Database> | undefined;

export function getDb(): Promise<Database> {
  opening ??= openDatabase({
    url: env().DATABASE_URL,
    dataDir: env().DATABASE_URL ? undefined : `${env().DATA_DIR}/pglite`,
  });
  return opening;
}

export async function closeDb(): Promise<void> {
  if (!opening) return;
  const db = await opening;
  opening = undefined;
  await db.close();
}
