import { describe, expect, it } from "vitest";
import { automationFormValues, OfferTestFormSchema } from "~/forms/automation";

/** The offer test's form fields (D39): arms as text, the merchant's maximum, clear errors. */
const parse = (offerArms: string, maxDiscountPercent = "30") =>
  OfferTestFormSchema.safeParse({ offerArms, maxDiscountPercent });
const error = (offerArms: string, max?: string) => {
  const r = parse(offerArms, max);
  return r.success ? null : r.error.issues[0].message;
};

describe("offer test form", () => {
  it("parses percentages and fixed amounts; empty means no test", () => {
    expect(parse("10, 15%, fixed 5.00")).toEqual({
      success: true,
      data: {
        arms: [
          { kind: "PERCENTAGE", value: 0.1 },
          { kind: "PERCENTAGE", value: 0.15 },
          { kind: "AMOUNT", value: 500 },
        ],
        maxDiscountShare: 0.3,
      },
    });
    expect(parse("")).toEqual({ success: true, data: { arms: [], maxDiscountShare: 0.3 } });
  });

  it("rejects bad arms with a message the merchant can act on", () => {
    expect(error("10")).toMatch(/2 to 4 arms/);
    expect(error("5, 10, 15, 20, 25")).toMatch(/2 to 4 arms/);
    expect(error("10, 10")).toMatch(/same/);
    expect(error("10, 35")).toMatch(/deeper than the maximum discount \(30%\)/);
    expect(error("10, 25", "20")).toMatch(/deeper/);
    expect(error("10, abc")).toMatch(/percentage .* or a fixed amount/);
    expect(error("10, 0")).toMatch(/percentage/);
    expect(error("10, 15", "95")).toMatch(/Between 1 and 90/);
  });

  it("round trip: stored arms → form text → the same arms", () => {
    const arms = [
      { kind: "PERCENTAGE" as const, value: 0.125 },
      { kind: "AMOUNT" as const, value: 750 },
    ];
    const v = automationFormValues({
      name: "x",
      schedule: "MANUAL",
      offerShare: 0.1,
      holdoutShare: 0.2,
      budgetPerRunMinor: null,
      budgetPerMonthMinor: null,
      sendsMessages: true,
      arms,
      maxDiscountShare: 0.25,
    });
    expect(v.offerArms).toBe("12.5, fixed 7.50");
    expect(parse(v.offerArms, v.maxDiscountPercent)).toEqual({ success: true, data: { arms, maxDiscountShare: 0.25 } });
  });
});
