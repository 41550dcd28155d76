import { BlockStack, InlineGrid, Text } from "@shopify/polaris";
import type { SeriesPoint } from "../analytics/automations";
import { formatDate } from "./format";
import { LineChart } from "./LineChart";

export interface ResultsOverTimeData {
  startedAt: string | null;
  windowDays: number;
  points: SeriesPoint[];
}

const TREATED = "#2c6ecb";
const HOLDOUT = "#8a8a8a";
const LIFT = "#1a7f4b";

/**
 * Treated vs holdout cumulative conversion, and total incremental margin with its interval band,
 * from run start. One checkpoint is not a line: a short history says when the chart starts.
 */
export function ResultsOverTime({
  data,
  money,
  level,
}: {
  data: ResultsOverTimeData;
  money: (minor: number) => string;
  level: number;
}) {
  const points = data.points;
  const span = points.length ? points[points.length - 1].day - points[0].day : 0;
  if (points.length < 2 || span < 1) {
    return (
      <Text as="p" tone="subdued" variant="bodySm">
        Results over time: the chart starts once the run is a day old (one point per day
        {data.windowDays > 45 ? ", weekly for long windows" : ""}).
      </Text>
    );
  }
  // Flat zero lines on a −100%…100% axis say nothing: wait for the first purchase in either group.
  if (!points.some((p) => p.treated.conversionRate > 0 || p.holdout.conversionRate > 0)) {
    return (
      <Text as="p" tone="subdued" variant="bodySm">
        Results over time: nobody in either group has bought since the offer yet; the chart starts with the first
        purchase.
      </Text>
    );
  }
  const start = data.startedAt ? Date.parse(data.startedAt) : null;
  const xLabels = points.map((p) =>
    start === null
      ? `Day ${Math.round(p.day)}`
      : formatDate(new Date(start + p.day * 86_400_000).toISOString()).replace(/, \d{4}$/, ""),
  );
  const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
  const margin = points.map((p) => p.totalIncrementalMarginMinor);
  return (
    <BlockStack gap="200">
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <LineChart
          title="Treated vs holdout over time (cumulative conversion)"
          xLabels={xLabels}
          formatY={pct}
          series={[
            {
              label: "Treated (got a code)",
              color: TREATED,
              values: points.map((p) => (p.treated.customers ? p.treated.conversionRate : null)),
            },
            {
              label: "Holdout",
              color: HOLDOUT,
              dashed: true,
              values: points.map((p) => (p.holdout.customers ? p.holdout.conversionRate : null)),
            },
          ]}
        />
        <LineChart
          title="Incremental margin (total, after discount cost)"
          xLabels={xLabels}
          formatY={money}
          zeroLine
          series={[{ label: "Estimate", color: LIFT, values: margin.map((m) => m?.estimate ?? null) }]}
          band={{
            label: `${Math.round(level * 100)}% interval`,
            color: LIFT,
            low: margin.map((m) => m?.low ?? null),
            high: margin.map((m) => m?.high ?? null),
          }}
        />
      </InlineGrid>
      <Text as="p" tone="subdued" variant="bodySm">
        Cumulative from the run’s start{start === null ? " (runs pooled by days since each one started)" : ""}; the
        shaded band is where the true effect plausibly lies — it narrows as customers buy.
      </Text>
    </BlockStack>
  );
}
