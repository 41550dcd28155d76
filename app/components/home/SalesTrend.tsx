import { BlockStack, InlineGrid, Text } from "@shopify/polaris";
import type { SalesTrendView } from "../../admin/insights.server";
import { formatDay, formatMoney, formatMoneyCompact, formatNumber, formatPercent } from "../format";
import { LineChart } from "../LineChart";

const THIS = "#2c6ecb";
const BEFORE = "#8a8a8a";

/**
 * Revenue and orders over the chosen period with the period before as a dashed line, and revenue
 * split into new, returning and guest customers. Each chart carries its numbers in a data table.
 */
export function SalesTrend({
  trend,
  currency,
  periodDays,
}: {
  trend: SalesTrendView;
  currency: string;
  periodDays: number;
}) {
  if (!trend.hasData)
    return (
      <Text as="p" tone="subdued">
        No orders in the last {2 * periodDays} days yet. The charts fill in as orders arrive.
      </Text>
    );
  const labels = trend.buckets.map((b) => formatDay(b.start));
  const xHeading = trend.bucketDays === 1 ? "Day" : "Week starting";
  const money = (v: number) => formatMoneyCompact(v, currency);
  const previous = `Previous ${periodDays} days`;
  return (
    <BlockStack gap="400">
      {trend.noPrevious && (
        <Text as="p" variant="bodySm" tone="subdued">
          No orders in the {periodDays} days before this period, so there is nothing to compare with yet.
        </Text>
      )}
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <div data-testid="chart-revenue">
          <LineChart
            title={`Revenue, last ${periodDays} days vs the ${periodDays} before`}
            xLabels={labels}
            xHeading={xHeading}
            formatY={money}
            series={[
              { label: `Last ${periodDays} days`, color: THIS, values: trend.buckets.map((b) => b.revenueMinor) },
              {
                label: previous,
                color: BEFORE,
                dashed: true,
                values: trend.buckets.map((b) => b.previousRevenueMinor),
              },
            ]}
          />
        </div>
        <div data-testid="chart-orders">
          <LineChart
            title={`Orders, last ${periodDays} days vs the ${periodDays} before`}
            xLabels={labels}
            xHeading={xHeading}
            formatY={(v) => formatNumber(Math.round(v))}
            series={[
              { label: `Last ${periodDays} days`, color: THIS, values: trend.buckets.map((b) => b.orders) },
              { label: previous, color: BEFORE, dashed: true, values: trend.buckets.map((b) => b.previousOrders) },
            ]}
          />
        </div>
      </InlineGrid>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <div data-testid="chart-new-returning">
          <LineChart
            title="Revenue from new and returning customers"
            xLabels={labels}
            xHeading={xHeading}
            formatY={money}
            series={[
              { label: "Returning", color: "#1a7f5a", values: trend.buckets.map((b) => b.returningRevenueMinor) },
              { label: "New (first order)", color: "#2c6ecb", values: trend.buckets.map((b) => b.newRevenueMinor) },
              {
                label: "Guest checkouts",
                color: "#b5531c",
                dashed: true,
                values: trend.buckets.map((b) => b.guestRevenueMinor),
              },
            ]}
          />
        </div>
        <RevenueMix trend={trend} currency={currency} periodDays={periodDays} />
      </InlineGrid>
    </BlockStack>
  );
}

/** The period's revenue by customer type, in words and numbers (what the chart next to it shows over time). */
function RevenueMix({ trend, currency, periodDays }: { trend: SalesTrendView; currency: string; periodDays: number }) {
  const sum = (k: "newRevenueMinor" | "returningRevenueMinor" | "guestRevenueMinor") =>
    trend.buckets.reduce((a, b) => a + b[k], 0);
  const rows: [string, number][] = [
    ["Returning customers", sum("returningRevenueMinor")],
    ["New customers (first order)", sum("newRevenueMinor")],
    ["Guest checkouts", sum("guestRevenueMinor")],
  ];
  const total = rows.reduce((a, [, v]) => a + v, 0);
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        Last {periodDays} days by customer type
      </Text>
      <table data-testid="revenue-mix" style={{ borderCollapse: "collapse", fontSize: 13 }}>
        <tbody>
          {rows.map(([label, v]) => (
            <tr key={label} style={{ borderBottom: "1px solid #e3e3e3" }}>
              <th scope="row" style={{ textAlign: "left", fontWeight: 400, padding: "6px 0" }}>
                {label}
              </th>
              <td style={{ textAlign: "right", padding: "6px 8px", fontVariantNumeric: "tabular-nums" }}>
                {formatMoney(v, currency)}
              </td>
              <td style={{ textAlign: "right", padding: "6px 0", color: "#616161" }}>
                {total ? formatPercent(v / total) : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </BlockStack>
  );
}
