import { describe, expect, it } from "vitest";
import { slugify } from "~/analytics/slug";

describe("slugify", () => {
  it("lowercases and joins words with one hyphen", () => {
    expect(slugify("Needs attention")).toBe("needs-attention");
    expect(slugify("Cluster 2")).toBe("cluster-2");
    expect(slugify("At Risk / Can't lose")).toBe("at-risk-can-t-lose");
  });

  it("trims hyphens at both ends and keeps an all-symbol label empty", () => {
    expect(slugify("  -Champions!- ")).toBe("champions");
    expect(slugify("—")).toBe("");
  });
});
