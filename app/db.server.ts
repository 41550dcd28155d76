import { openDatabase, type Database } from "./db/client.server";
import { env } from "./env.server";

/**
 * The process-wide database: Postgres when DATABASE_URL is set, otherwise PGlite in DATA_DIR.
 * Opened (and migrated) once; `closeDb` must run on shutdown because PGlite only persists
 * reliably once closed.
 *
 * The handle lives on `globalThis` because this module is loaded twice in one process — once by
 * the server entry (demo, sync, jobs) and once inside the Remix server bundle — and two PGlite
 * instances on one data directory would corrupt it.
 */
const KEY = Symbol.for("growthpilot.db");
type Holder = { [KEY]?: Promise<Database> };
const holder = globalThis as Holder;

export function getDb(): Promise<Database> {
  holder[KEY] ??= openDatabase({
    url: env().DATABASE_URL,
    dataDir: env().DATABASE_URL ? undefined : `${env().DATA_DIR}/pglite`,
  });
  return holder[KEY];
}

export async function closeDb(): Promise<void> {
  const opening = holder[KEY];
  if (!opening) return;
  holder[KEY] = undefined;
  await (await opening).close();
}
