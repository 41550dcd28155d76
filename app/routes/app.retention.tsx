import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { adminDeps } from "../admin/deps.server";
import { getRetention } from "../admin/retention.server";
import { Heatmap } from "../components/charts/Heatmap";
import { formatDate, formatMoneyCompact, formatMonth, formatNumber, formatPercent } from "../components/format";
import { LineChart } from "../components/LineChart";
import { pageTitle } from "../components/page-title";
import { RouteError } from "../components/RouteError";
import { requireAdmin } from "../shopify/auth.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return getRetention(await adminDeps(), shop);
};

export const meta: MetaFunction = () => pageTitle("Retention");

const COHORT_COLORS = ["#1f5199", "#2e9d73", "#b5531c", "#6d3fc0", "#c0392b", "#4a4a4a"];

/** Retention: do customers come back, and how much are they worth over time? */
export default function Retention() {
  const data = useLoaderData<typeof loader>();
  const months = Array.from({ length: data.months }, (_, k) => (k === 0 ? "First" : `+${k}`));
  // The six newest cohorts with at least three months behind them, so each line has a shape.
  const lines = data.cohorts.filter((c) => c.retention.length >= 3).slice(-6);
  return (
    <Page title="Retention" subtitle="Cohorts by first-order month and how customers move between segments">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Who comes back
              </Text>
              {data.cohorts.length === 0 ? (
                <Text as="p" tone="subdued">
                  No first orders in the last {data.months} complete months yet. Each month of new customers becomes a
                  row here once the month is over.
                </Text>
              ) : (
                <>
                  <Heatmap
                    testId="cohort-heatmap"
                    caption="Share of each month's new customers who ordered again, by months since their first order"
                    corner="First order"
                    columns={months}
                    rows={data.cohorts.map((c) => ({
                      label: `${formatMonth(c.cohort)} (${formatNumber(c.customers)})`,
                      cells: months.map((_, k) =>
                        k < c.retention.length
                          ? { value: c.retention[k], display: formatPercent(c.retention[k]) }
                          : null,
                      ),
                    }))}
                    max={Math.max(1e-9, ...data.cohorts.flatMap((c) => c.retention.slice(1)))}
                  />
                  <Text as="p" variant="bodySm" tone="subdued">
                    “First” is the month of the first order (100 %); +1 is the month after. Only complete months (UTC)
                    are shown; shading is relative to the best later month.
                  </Text>
                </>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Revenue per customer over time
              </Text>
              {lines.length === 0 ? (
                <Text as="p" tone="subdued">
                  This needs a cohort with three complete months of history.
                </Text>
              ) : (
                <div data-testid="chart-cumulative">
                  <LineChart
                    title="Cumulative revenue per customer, by first-order month"
                    xLabels={months.slice(0, Math.max(...lines.map((l) => l.retention.length)))}
                    xHeading="Months since first order"
                    formatY={(v) => formatMoneyCompact(v, data.currency)}
                    series={lines.map((c, i) => ({
                      label: formatMonth(c.cohort),
                      color: COHORT_COLORS[i % COHORT_COLORS.length],
                      values: c.cumulativePerCustomerMinor,
                    }))}
                  />
                </div>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                How customers moved between segments
              </Text>
              {!data.movement || data.movement.rows.length === 0 ? (
                <Text as="p" tone="subdued">
                  {data.movement
                    ? "No customer has ordered yet, so there is no movement to show."
                    : "Segment movement appears after the next scoring run."}
                </Text>
              ) : (
                <>
                  <Text as="p">
                    From {formatDate(data.movement.from)} to {formatDate(data.movement.to)}:{" "}
                    {formatPercent(data.movement.total ? data.movement.stayed / data.movement.total : null)} of
                    customers stayed in their segment.
                  </Text>
                  <Heatmap
                    testId="rfm-movement"
                    caption={`Customers by segment on ${formatDate(data.movement.from)} (rows) and on ${formatDate(data.movement.to)} (columns)`}
                    corner="Was → now"
                    columns={data.movement.groups}
                    rows={data.movement.rows.map((r) => ({
                      label: r.from,
                      cells: r.counts.map((n) => ({ value: n, display: formatNumber(n) })),
                    }))}
                  />
                </>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Retention" />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
