import { Badge, Banner, BlockStack, Card, InlineGrid, InlineStack, List, Text } from "@shopify/polaris";
import { DataTable } from "../DataTable";
import { formatDate, formatMoney, formatNumber, formatPercent } from "../format";
import { ResultsOverTime } from "../ResultsOverTime";
import { Kpi } from "./Kpi";
import type { AutomationPageData as Data, Money } from "./types";

/**
 * An offer automation's measured results: pooled over runs (or the latest run), the incremental
 * margin and conversion lift with their intervals, treated vs holdout, and — while there is not
 * enough data — when there is expected to be.
 */
export function Results({ data, money }: { data: Data; money: Money }) {
  const latest = data.runs.find((r) => r.result)?.result ?? null;
  const m = data.pooled ?? latest?.measurement ?? null;
  if (!m) {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Results
          </Text>
          <Text as="p" tone="subdued">
            No run yet. Check the preview below, then approve and run: treated customers get a code, a random holdout
            gets nothing, and the difference between them is the effect.
          </Text>
        </BlockStack>
      </Card>
    );
  }
  const e = m.effect;
  const tone = m.status === "FINAL" ? "success" : m.status === "INTERIM" ? "attention" : "info";
  const label = m.status === "FINAL" ? "Final" : m.status === "INTERIM" ? "Interim" : "Not enough data yet";
  const interval = (i: { estimate: number; low: number; high: number }, f: (v: number) => string) =>
    `${f(i.estimate)} (${f(i.low)} to ${f(i.high)})`;
  const pp = (v: number) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)} pts`;
  const small = (minor: number) => formatMoney(minor, data.currency, { cents: "small" });
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Results {data.pooled ? `(all ${data.runs.length} runs)` : "(latest run)"}
          </Text>
          <Badge tone={tone}>{label}</Badge>
        </InlineStack>
        {m.reasons.length > 0 && (
          <Banner tone={m.status === "INSUFFICIENT" ? "info" : "warning"}>
            <List>
              {m.reasons.map((r) => (
                <List.Item key={r}>{r}</List.Item>
              ))}
            </List>
          </Banner>
        )}
        {m.status === "INSUFFICIENT" && (
          <Text as="p" fontWeight="semibold">
            {readinessText(data)}
          </Text>
        )}
        {data.overTime && <ResultsOverTime data={data.overTime} money={money} level={m.level} />}
        {data.demoTrueUplift !== null && e && (
          <Text as="p" variant="bodySm" tone="subdued">
            The demo’s true effect is +{(data.demoTrueUplift * 100).toFixed(0)} pts of conversion; the measured lift is{" "}
            {pp(e.conversionLift.estimate)} ({pp(e.conversionLift.low)} to {pp(e.conversionLift.high)}).
          </Text>
        )}
        {e && (
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Kpi
              title="Incremental gross margin"
              value={money(e.totalIncrementalMarginMinor.estimate)}
              detail={`${Math.round(m.level * 100)}% interval ${money(e.totalIncrementalMarginMinor.low)} to ${money(e.totalIncrementalMarginMinor.high)}`}
            />
            <Kpi
              title="Per treated customer"
              value={formatMoney(e.marginPerCustomerMinor.estimate, data.currency, { cents: "small" })}
              detail={`P(effect > 0) = ${formatPercent(e.probabilityPositive)}`}
            />
            <Kpi
              title="Conversion lift"
              value={pp(e.conversionLift.estimate)}
              detail={`interval ${pp(e.conversionLift.low)} to ${pp(e.conversionLift.high)}`}
            />
          </InlineGrid>
        )}
        <DataTable
          columnContentTypes={["text", "numeric", "numeric"]}
          headings={["", "Treated", "Holdout"]}
          rows={[
            ["Customers", formatNumber(m.treatment.customers), formatNumber(m.holdout.customers)],
            [
              "Bought in the window",
              formatPercent(m.treatment.conversionRate, 1),
              formatPercent(m.holdout.conversionRate, 1),
            ],
            [
              "Revenue per customer",
              small(m.treatment.revenuePerCustomerMinor),
              small(m.holdout.revenuePerCustomerMinor),
            ],
            [
              "Discount per customer",
              small(m.treatment.discountPerCustomerMinor),
              small(m.holdout.discountPerCustomerMinor),
            ],
            [
              "Gross margin per customer (after discounts)",
              small(m.treatment.marginPerCustomerMinor),
              small(m.holdout.marginPerCustomerMinor),
            ],
          ]}
        />
        {e && (
          <Text as="p" variant="bodySm" tone="subdued">
            Revenue lift per customer {interval(e.revenuePerCustomerMinor, small)}. Codes used:{" "}
            {formatNumber(m.redemptions.count)} ({formatPercent(m.redemptions.rate, 1)} of treated), on orders worth{" "}
            {money(m.redemptions.attributedRevenueMinor)} — what click attribution would claim; the incremental margin
            above is what the offer actually added. Variant cost known for {formatPercent(data.knownCostShare)} of
            lines; the rest use your margin setting.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

/** "Not enough data yet — expected around <date>", from the readiness projection (readiness.ts). */
function readinessText(data: Data): string {
  const r = data.overTime?.readiness;
  if (!r) return "Not enough data yet.";
  switch (r.status) {
    case "EXPECTED":
      return `Not enough data yet — expected around ${formatDate(data.overTime!.expectedAt)} (${r.converters} of the ${r.needed} buyers needed so far, at the rate seen since the run started).`;
    case "NO_RATE_YET":
      return "Not enough data yet — no one has bought since the offer, so the date cannot be estimated yet.";
    case "NOT_IN_WINDOW":
      return `Not enough data yet — at the rate so far about ${Math.floor(r.expectedConverters)} of the ${r.needed} buyers needed will buy before the window closes; later runs add to it.`;
    case "NEEDS_CUSTOMERS":
      return `Not enough data yet — each group needs ${r.minPerArm} customers (${r.treated} treated, ${r.holdout} held out); waiting does not change that, later runs add to it.`;
    default:
      return "Not enough data yet.";
  }
}
