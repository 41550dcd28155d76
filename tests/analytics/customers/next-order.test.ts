import { describe, expect, it } from "vitest";
import { fitBgNbd } from "../../../app/analytics/customers/bgnbd";
import {
  firstOrderDays,
  fitTimingLevels,
  nextOrderDays,
  RAW_LEVELS,
  timingReport,
} from "../../../app/analytics/customers/next-order";
import { summarizeCustomers } from "../../../app/analytics/customers/summary";
import { mulberry32 } from "../../../app/analytics/rng";
import type { Order } from "../../../app/analytics/types";

const DAY = 86_400_000;
const start = Date.UTC(2023, 0, 1);

/** Clockwork buyers: each orders every `gap` days (20–60, with ±3 days jitter) — far from BG/NBD's Poisson timing. */
function regularShop(seed: number, customers: number, days: number): Order[] {
  const rng = mulberry32(seed);
  const out: Order[] = [];
  for (let c = 0; c < customers; c++) {
    const gap = 20 + Math.floor(rng() * 40);
    for (let t = Math.floor(rng() * gap); t < days; t += gap + Math.round(rng() * 6 - 3))
      out.push({ id: `${c}-${t}`, customer: `c${c}`, at: start + t * DAY + 3_600_000, lines: [], totalMinor: 1000 });
  }
  return out;
}

describe("next-order timing", () => {
  const orders = regularShop(3, 400, 720);
  const H = 90;
  const snapshot = (at: number) => {
    const histories = summarizeCustomers(orders, at);
    return { histories, bg: fitBgNbd(histories), first: firstOrderDays(orders, at, H) };
  };
  const earlier = snapshot(start + 450 * DAY);
  const later = snapshot(start + 540 * DAY);

  it("gives a point estimate inside an ordered 80 % interval of whole days within the horizon", () => {
    for (const h of later.histories.slice(0, 50)) {
      const d = nextOrderDays(later.bg, h, H, RAW_LEVELS);
      expect(d.low).toBeGreaterThanOrEqual(1);
      expect(d.low).toBeLessThanOrEqual(d.mid);
      expect(d.mid).toBeLessThanOrEqual(d.high);
      expect(d.high).toBeLessThanOrEqual(H);
    }
  });

  it("recalibrated levels learnt at an earlier snapshot cover ≈ 80 % at a later one", () => {
    const levels = fitTimingLevels(earlier.bg, earlier.histories, earlier.first, H);
    expect(levels.fittedOn).toBeGreaterThan(300);
    const report = timingReport(later.bg, later.histories, later.first, H, levels);
    expect(report.buyers).toBeGreaterThan(300);
    expect(report.coverage!).toBeGreaterThan(0.72);
    expect(report.coverage!).toBeLessThan(0.88);
    // Nominal BG/NBD levels are not calibrated on these clockwork buyers; recalibration moves coverage toward 80 %.
    expect(Math.abs(report.coverage! - 0.8)).toBeLessThanOrEqual(Math.abs(report.rawCoverage! - 0.8));
  });

  it("counts the first order's day after the snapshot (1 = the snapshot's own day)", () => {
    const at = start + 10 * DAY;
    const days = firstOrderDays(
      [
        { id: "a", customer: "x", at: at + 2 * DAY + 5, lines: [], totalMinor: 1 },
        { id: "b", customer: "x", at: at + 5, lines: [], totalMinor: 1 },
        { id: "c", customer: "y", at: at + 200 * DAY, lines: [], totalMinor: 1 },
      ],
      at,
      90,
    );
    expect(days.get("x")).toBe(1);
    expect(days.has("y")).toBe(false);
  });
});
