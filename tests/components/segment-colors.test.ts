import { describe, expect, it } from "vitest";
import { RFM_GROUPS } from "~/analytics/customers";
import { contrast, relativeLuminance, segmentColor, segmentTextColor } from "~/components/segment-colors";

describe("segment colours", () => {
  it("WCAG luminance and contrast: black on white is 21:1, equal colours 1:1", () => {
    expect(contrast(relativeLuminance("#000000"), relativeLuminance("#ffffff"))).toBeCloseTo(21, 5);
    expect(contrast(relativeLuminance("#767676"), relativeLuminance("#767676"))).toBe(1);
    // #767676 on white is the well-known 4.54:1 AA threshold colour.
    expect(contrast(relativeLuminance("#767676"), relativeLuminance("#ffffff"))).toBeCloseTo(4.54, 2);
  });

  it("every group's label colour reaches AA (4.5:1) on its cell colour", () => {
    for (const g of RFM_GROUPS) {
      const ratio = contrast(relativeLuminance(segmentColor(g)), relativeLuminance(segmentTextColor(g)));
      expect(ratio, g).toBeGreaterThanOrEqual(4.5);
    }
  });
});
