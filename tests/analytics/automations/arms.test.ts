import { describe, expect, it } from "vitest";
import { armKey, armsProblem, stratifiedSlots, stratumSegment } from "~/analytics/automations";
import { mulberry32 } from "~/analytics/rng";

const ids = (n: number, prefix = "c") => Array.from({ length: n }, (_, i) => `gid://shopify/Customer/${prefix}${i}`);

describe("offer arms: stratified, deterministic assignment", () => {
  const shares = () => [0.2, 0.4, 0.4];

  it("same seed and customers → same slots, whatever the order of the list", () => {
    const list = ids(500);
    const strata = list.map((_, i) => (i % 3 === 0 ? "At risk|high" : "Loyal|low"));
    const a = stratifiedSlots(list, strata, shares, 42, mulberry32(7));
    const order = list.map((_, i) => i).reverse();
    const b = stratifiedSlots(
      order.map((i) => list[i]),
      order.map((i) => strata[i]),
      shares,
      42,
      mulberry32(7),
    );
    const byId = new Map(order.map((i, j) => [list[i], b[j]]));
    expect(list.map((id) => byId.get(id))).toEqual(a);
    // Another seed draws another assignment.
    expect(stratifiedSlots(list, strata, shares, 43, mulberry32(7))).not.toEqual(a);
  });

  it("every stratum's slot counts are within one of n × share", () => {
    const list = ids(1000);
    const strata = list.map((_, i) => ["A|low", "A|high", "B|low"][i % 3] + (i % 7 === 0 ? "x" : ""));
    const p = (s: string) => (s.startsWith("A") ? [0.2, 0.5, 0.2, 0.1] : [0.3, 0.1, 0.3, 0.3]);
    const slots = stratifiedSlots(list, strata, p, 5, mulberry32(1));
    for (const s of new Set(strata)) {
      const members = slots.filter((_, i) => strata[i] === s);
      p(s).forEach((share, k) => {
        const count = members.filter((x) => x === k).length;
        expect(Math.abs(count - share * members.length)).toBeLessThanOrEqual(1);
      });
    }
  });

  it("each customer lands in slot k with probability shares[k] (over seeds)", () => {
    const list = ids(7); // small stratum: the remainder is randomised, not always given to one slot
    const strata = list.map(() => "S|low");
    const counts = [0, 0, 0];
    const N = 3000;
    for (let seed = 0; seed < N; seed++) {
      const slots = stratifiedSlots(list, strata, shares, seed, mulberry32(seed + 99));
      counts[slots[0]]++;
    }
    // Binomial sd at N = 3000: ≈ 0.009 for 0.4 → 4 sd ≈ 0.036.
    expect(counts[0] / N).toBeCloseTo(0.2, 1);
    expect(Math.abs(counts[1] / N - 0.4)).toBeLessThan(0.036);
    expect(Math.abs(counts[2] / N - 0.4)).toBeLessThan(0.036);
  });

  it("arms must be 2–4 distinct offers, none deeper than the maximum", () => {
    const pct = (value: number) => ({ kind: "PERCENTAGE" as const, value });
    expect(armsProblem([], 0.3, 6000)).toBeNull();
    expect(armsProblem([pct(0.1), pct(0.2)], 0.3, 6000)).toBeNull();
    expect(armsProblem([pct(0.1)], 0.3, 6000)).toMatch(/2–4/);
    expect(armsProblem([pct(0.1), pct(0.1)], 0.3, 6000)).toMatch(/same/);
    expect(armsProblem([pct(0.1), pct(0.35)], 0.3, 6000)).toMatch(/deeper/);
    // A fixed amount is a depth relative to the shop's average order: $20 of $60 is 33%.
    expect(armsProblem([pct(0.1), { kind: "AMOUNT", value: 2000 }], 0.3, 6000)).toMatch(/deeper/);
    expect(armsProblem([pct(0.1), { kind: "AMOUNT", value: 1500 }], 0.3, 6000)).toBeNull();
    expect(armKey(pct(0.15))).toBe("pct-15");
    expect(stratumSegment("At risk|high")).toBe("At risk");
    expect(stratumSegment("At risk")).toBe("At risk");
  });
});
