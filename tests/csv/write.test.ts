import { describe, expect, it } from "vitest";
import { csvField } from "~/csv/write";

describe("csvField", () => {
  it("quotes RFC 4180 specials", () => {
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"'.replace("\n", "\n"));
    expect(csvField(null)).toBe("");
    expect(csvField(42)).toBe("42");
    expect(csvField(-3.5)).toBe("-3.5");
  });

  it("defuses every OWASP formula trigger in text, tab and carriage return included", () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    // The two the review found left as they were:
    expect(csvField("\t=1+1")).toBe("'\t=1+1");
    expect(csvField("\r=1+1")).toBe('"\'\r=1+1"');
  });
});
