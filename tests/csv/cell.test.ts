import { describe, expect, it } from "vitest";
import { csvCell } from "~/csv/cell";

describe("csvCell", () => {
  it("quotes RFC 4180 specials", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"'.replace("\n", "\n"));
    expect(csvCell(null)).toBe("");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(-3.5)).toBe("-3.5");
  });

  it("defuses every OWASP formula trigger in text, tab and carriage return included", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    // The two the review found left as they were:
    expect(csvCell("\t=1+1")).toBe("'\t=1+1");
    expect(csvCell("\r=1+1")).toBe("\"'\r=1+1\"");
  });
});
