/**
 * Time constants shared by the engine and, read-only, by the rest of the app (D26): analytics may
 * import nothing outside itself, so the one definition lives here and services, models, the dev
 * store and the benchmarks import it.
 *
 * Days are counted in one way everywhere (D36): **calendar days in the shop's timezone**. The
 * engine itself counts UTC days of the timestamps it is given; the app hands it timestamps on the
 * shop's wall clock (`shopClock`), so "UTC day of the shifted time" is the shop's calendar day,
 * and every page and explanation derives its day counts from the same shifted times.
 */
export const DAY_MS = 86_400_000;

/** Timezone offsets change on quarter-hour boundaries at most, so one lookup per quarter hour. */
const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * Epoch ms → the same instant read as wall-clock time in `timeZone`, expressed as if it were UTC
 * (10:30 in Tokyo → 10:30Z). Deterministic: uses the ICU tables, not the machine's zone. An empty
 * or unknown zone is UTC. DST: the repeated autumn hour maps two instants to one wall time.
 */
export function shopClock(timeZone: string | null | undefined): (ms: number) => number {
  const format = formatter(timeZone);
  if (!format) return (ms) => ms;
  const offsets = new Map<number, number>();
  return (ms) => {
    if (!Number.isFinite(ms)) return ms;
    const bucket = Math.floor(ms / QUARTER_HOUR_MS);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      const at = bucket * QUARTER_HOUR_MS;
      offset = wallClock(format, at) - at;
      offsets.set(bucket, offset);
    }
    return ms + offset;
  };
}

function formatter(timeZone: string | null | undefined): Intl.DateTimeFormat | null {
  if (!timeZone || timeZone === "UTC" || timeZone === "Etc/UTC") return null;
  try {
    return new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  } catch {
    return null;
  }
}

function wallClock(format: Intl.DateTimeFormat, ms: number): number {
  const p: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(ms))) if (part.type !== "literal") p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + (ms % 1000);
}

/** The calendar day (days since 1970-01-01) of an instant in the shop's timezone. */
export function calendarDay(ms: number, timeZone: string | null | undefined): number {
  return Math.floor(shopClock(timeZone)(ms) / DAY_MS);
}

/**
 * Whole calendar days from `from`'s day to `to`'s day in the shop's timezone (0 = same day). The
 * engine's "days since the last order" is `calendarDaysBetween(lastOrder, asOf − 1 ms)`: the last
 * day that can hold orders before asOf.
 */
export function calendarDaysBetween(from: number, to: number, timeZone: string | null | undefined): number {
  const clock = shopClock(timeZone);
  return Math.floor(clock(to) / DAY_MS) - Math.floor(clock(from) / DAY_MS);
}
