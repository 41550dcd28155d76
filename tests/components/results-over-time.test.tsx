import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import type { SeriesPoint } from "~/analytics/automations";
import { ResultsOverTime } from "~/components/ResultsOverTime";

const money = (minor: number) => `$${(minor / 100).toFixed(2)}`;

function point(day: number, treated: number, holdout: number): SeriesPoint {
  const zero = { estimate: 0, low: 0, high: 0 };
  return {
    day,
    treated: { customers: 50, conversionRate: treated },
    holdout: { customers: 12, conversionRate: holdout },
    conversionLift: zero,
    marginPerCustomerMinor: zero,
    totalIncrementalMarginMinor: zero,
  };
}

function render(points: SeriesPoint[]): string {
  return renderToStaticMarkup(
    <AppProvider i18n={en}>
      <ResultsOverTime
        data={{ startedAt: "2026-12-03T13:00:00.000Z", windowDays: 30, points }}
        money={money}
        level={0.9}
      />
    </AppProvider>,
  );
}

describe("ResultsOverTime", () => {
  it("a run younger than a day says when the chart starts instead of drawing one day's points", () => {
    const html = render([point(0, 0, 0), point(0.4, 0.1, 0)]);
    expect(html).toContain("the chart starts once the run is a day old");
    expect(html).not.toContain("<svg");
  });

  it("no purchase in either group yet: no flat −100%…100% chart, a sentence instead", () => {
    const html = render([point(0, 0, 0), point(1, 0, 0), point(2, 0, 0)]);
    expect(html).toContain("nobody in either group has bought since the offer yet");
    expect(html).not.toContain("-100%");
  });

  it("draws both charts once someone bought", () => {
    const html = render([point(0, 0, 0), point(1, 0.05, 0), point(2, 0.1, 0.04)]);
    expect(html).toContain("Treated vs holdout over time (cumulative conversion)");
    expect(html).toContain("Incremental margin (total, after discount cost)");
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(2);
  });
});
