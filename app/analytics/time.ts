/**
 * Time constants shared by the engine and, read-only, by the rest of the app (D26): analytics may
 * import nothing outside itself, so the one definition lives here and services, models, the dev
 * store and the benchmarks import it. UTC days: the engine never uses local time.
 */
export const DAY_MS = 86_400_000;
