import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { Heatmap, ink, shade } from "~/components/charts/Heatmap";
import { contrast, relativeLuminance } from "~/components/segment-colors";

describe("Heatmap", () => {
  it("every shade's text colour reaches AA contrast (4.5:1), including the mid-tones", () => {
    for (let t = 0; t <= 1.0001; t += 0.01) {
      const bg = shade(t);
      const ratio = contrast(relativeLuminance(bg), relativeLuminance(ink(bg)));
      expect(ratio, `t=${t.toFixed(2)} ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("is a real table: caption, column and row headers, every number as text; empty cells stay empty", () => {
    const html = renderToStaticMarkup(
      <Heatmap
        caption="Retention"
        corner="First order"
        columns={["First", "+1"]}
        rows={[
          {
            label: "Jan 2026",
            cells: [
              { value: 1, display: "100%" },
              { value: 0.2, display: "20%" },
            ],
          },
          { label: "Feb 2026", cells: [{ value: 1, display: "100%" }, null] },
        ]}
      />,
    );
    expect(html).toContain("<caption");
    expect(html).toContain('<th scope="col"');
    expect(html).toContain('<th scope="row"');
    expect(html.match(/<td[^>]*>20%<\/td>/)).not.toBeNull();
    expect(html).toContain("<td></td>");
    expect(html).toContain('role="region"');
  });
});
