import { BlockStack, InlineGrid, Text } from "@shopify/polaris";
import type { ForecastView } from "../../admin/insights.server";
import { DataTable } from "../DataTable";
import { formatDay, formatMoneyCompact, formatNumber } from "../format";
import { LineChart } from "../LineChart";

type Series = NonNullable<ForecastView["revenue"]>;

/**
 * The scoring run's forecast: the last 12 weeks and the next weeks with an 80 % range, the
 * backtest's accuracy in words, and how long the top sellers' stock lasts at the forecast pace.
 */
export function ForecastCard({ forecast, currency }: { forecast: ForecastView | null; currency: string }) {
  if (!forecast)
    return (
      <Text as="p" tone="subdued">
        The forecast appears after the next scoring run.
      </Text>
    );
  if (forecast.notEnoughData || !forecast.revenue || !forecast.orders)
    return (
      <Text as="p" tone="subdued">
        {forecast.notEnoughData ?? "Not enough order history for a forecast yet."}
      </Text>
    );
  const money = (v: number) => formatMoneyCompact(v, currency);
  return (
    <BlockStack gap="400">
      <Text as="p" variant="bodyMd">
        Next {forecast.weeks} weeks: about{" "}
        <strong data-testid="forecast-revenue">{money(forecast.revenue.total)}</strong> revenue and{" "}
        <strong data-testid="forecast-orders">{formatNumber(forecast.orders.total)}</strong> orders.
      </Text>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <SeriesChart title="Weekly revenue: actual and forecast" series={forecast.revenue} format={money} />
        <SeriesChart
          title="Weekly orders: actual and forecast"
          series={forecast.orders}
          format={(v) => formatNumber(Math.round(v))}
        />
      </InlineGrid>
      {forecast.products.length > 0 && <StockTable products={forecast.products} weeks={forecast.weeks} />}
    </BlockStack>
  );
}

function SeriesChart({ title, series, format }: { title: string; series: Series; format: (v: number) => string }) {
  const h = series.history.length;
  const labels = [...series.history, ...series.forecast].map((w) => formatDay(w.start));
  const blank = (n: number) => new Array<null>(n).fill(null);
  return (
    <BlockStack gap="200">
      <LineChart
        title={title}
        xLabels={labels}
        xHeading="Week starting"
        formatY={format}
        series={[
          {
            label: "Actual",
            color: "#2c6ecb",
            values: [...series.history.map((w) => w.value), ...blank(series.forecast.length)],
          },
          {
            label: "Forecast",
            color: "#6d3fc0",
            dashed: true,
            values: [...blank(h), ...series.forecast.map((w) => w.value)],
          },
        ]}
        band={{
          label: "80 % range",
          color: "#6d3fc0",
          low: [...blank(h), ...series.forecast.map((w) => w.low)],
          high: [...blank(h), ...series.forecast.map((w) => w.high)],
        }}
      />
      <Text as="p" variant="bodySm" tone="subdued">
        {series.accuracy}
      </Text>
    </BlockStack>
  );
}

function StockTable({ products, weeks }: { products: ForecastView["products"]; weeks: number }) {
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        Top sellers: units expected and stock
      </Text>
      <DataTable
        label="Top sellers: units expected and stock"
        columnContentTypes={["text", "numeric", "numeric", "text"]}
        headings={["Product", `Units, next ${weeks} weeks`, "In stock", "Stock lasts at this pace"]}
        rows={products.map((p) => [
          p.title,
          formatNumber(p.units),
          p.inventory === null ? "not tracked" : formatNumber(p.inventory),
          p.inventory === null
            ? "—"
            : p.inventory === 0
              ? "out of stock"
              : p.stockDays === null
                ? "no sales expected"
                : `~${formatNumber(p.stockDays)} days`,
        ])}
      />
    </BlockStack>
  );
}
