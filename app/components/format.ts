/**
 * Number formatting shared by the admin pages (client-safe). Fixed "en-US" locale so server and
 * browser render the same text (a locale mismatch would break hydration).
 */
const LOCALE = "en-US";

/**
 * Money in the shop currency. `cents: "small"` shows cents below 100 units (a per-customer $0.42
 * must not read "$0" next to a non-zero total). A value that rounds to zero has no sign ("-$0"
 * reads like a loss).
 */
export function formatMoney(minor: number, currency: string, opts: { cents?: boolean | "small" } = {}): string {
  const digits = opts.cents === true || (opts.cents === "small" && Math.abs(minor) < 100_00) ? 2 : 0;
  const units = minor / 100;
  const rounded = Math.round(units * 10 ** digits) / 10 ** digits;
  return new Intl.NumberFormat(LOCALE, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(rounded === 0 ? 0 : units);
}

export function formatNumber(n: number): string {
  return n.toLocaleString(LOCALE);
}

/** A share in [0, 1] as a percentage; tiny non-zero values read "<1%". */
export function formatPercent(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  if (v > 0 && v < 0.01 && digits === 0) return "<1%";
  return `${(v * 100).toFixed(digits)}%`;
}

/** Metric in [0, 1] with three decimals (recall, NDCG, AUC). */
export function formatMetric(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(3);
}

/** A date; in the shop's timezone where a page knows it (the customer page, D36), else UTC. */
export function formatDate(iso: string | null | undefined, timeZone: string | null = "UTC"): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleDateString(LOCALE, {
    year: "numeric",
    month: "short",
    day: "numeric",
    timeZone: timeZone ?? "UTC",
  });
}

export function formatDateTime(iso: string | null | undefined, timeZone: string | null = "UTC"): string {
  if (!iso) return "—";
  const zone = timeZone ?? "UTC";
  return (
    new Date(iso).toLocaleString(LOCALE, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: zone,
    }) + (zone === "UTC" ? " UTC" : "")
  );
}

/** Relative change current vs previous, or null when there is no base to compare with. */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / previous;
}

/** A window [from, to) as "Nov 2 – Dec 2, 2026" (UTC; the year once when both ends share it). */
export function formatDateRange(fromIso: string, toIso: string): string {
  const from = new Date(fromIso);
  const to = new Date(toIso);
  const sameYear = from.getUTCFullYear() === to.getUTCFullYear();
  const start = from.toLocaleDateString(LOCALE, {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
    ...(sameYear ? {} : { year: "numeric" }),
  });
  return `${start} – ${formatDate(toIso)}`;
}

/**
 * Money rounded for chart axes and headlines: "$950", "$1.2K", "$38K", "$2.4M" (shop currency, no
 * cents). Not Intl's compact notation: Node's ICU and the browser's disagree on it, which breaks
 * hydration; scaling by hand and formatting the scaled number is identical on both.
 */
export function formatMoneyCompact(minor: number, currency: string): string {
  const units = Math.round(minor / 100);
  const abs = Math.abs(units);
  const [scale, suffix] = abs >= 1e6 ? [1e6, "M"] : abs >= 1e3 ? [1e3, "K"] : [1, ""];
  const scaled = units / scale;
  const digits = scale > 1 && Math.abs(scaled) < 10 ? 1 : 0;
  return (
    new Intl.NumberFormat(LOCALE, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(scaled) + suffix
  );
}

/** A short UTC day for chart labels: "Nov 3". */
export function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString(LOCALE, { month: "short", day: "numeric", timeZone: "UTC" });
}

/** "Jan 2026" from a "2026-01" month key. */
export function formatMonth(key: string): string {
  return new Date(`${key}-01T00:00:00Z`).toLocaleDateString(LOCALE, {
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}
