import { describe, expect, it } from "vitest";
import { formatMoney } from "~/components/format";

describe("formatMoney", () => {
  it("never prints a signed zero", () => {
    expect(formatMoney(-40, "USD")).toBe("$0");
    expect(formatMoney(-0.2, "USD", { cents: true })).toBe("$0.00");
    expect(formatMoney(-150, "USD")).toBe("-$2");
  });

  it("shows cents for small values when asked, whole units for large ones", () => {
    expect(formatMoney(42, "USD", { cents: "small" })).toBe("$0.42");
    expect(formatMoney(-1234, "EUR", { cents: "small" })).toBe("-€12.34");
    expect(formatMoney(33_600, "USD", { cents: "small" })).toBe("$336");
    expect(formatMoney(42, "USD")).toBe("$0");
  });
});

describe("formatMoneyCompact", () => {
  it("rounds for people: whole units below a thousand, one decimal below ten thousand/million, then none", async () => {
    const { formatMoneyCompact } = await import("~/components/format");
    expect(formatMoneyCompact(95_000, "USD")).toBe("$950");
    expect(formatMoneyCompact(123_456, "USD")).toBe("$1.2K");
    expect(formatMoneyCompact(3_812_345, "USD")).toBe("$38K");
    expect(formatMoneyCompact(240_000_000, "EUR")).toBe("€2.4M");
    expect(formatMoneyCompact(-123_456, "USD")).toBe("-$1.2K");
  });
});
