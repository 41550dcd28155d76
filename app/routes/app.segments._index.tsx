import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BlockStack, Box, Card, EmptyState, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { DataTable } from "../components/DataTable";
import { boundary } from "@shopify/shopify-app-remix/server";
import { formatDate, formatMetric, formatMoney, formatNumber, formatPercent } from "../components/format";
import { RfmGrid } from "../components/RfmGrid";
import { ModelQuality } from "../components/segments/ModelQuality";
import { RouteError } from "../components/RouteError";
import { adminDeps } from "../admin/deps.server";
import { getSegmentsOverview } from "../admin/segments.server";
import { requireAdmin } from "../shopify/auth.server";
import { pageTitle } from "../components/page-title";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return getSegmentsOverview(await adminDeps(), shop);
};

export const meta: MetaFunction = () => pageTitle("Segments");

/** Segments: the RFM grid, Shopify's 11 groups, the learned clusters, and how good the churn model is. */
export default function Segments() {
  const data = useLoaderData<typeof loader>();
  if (data.total === 0) {
    return (
      <Page title="Segments">
        <Card>
          <EmptyState heading="No segments yet" image="">
            <p>
              Segments are computed from orders with a customer attached. They appear after the first scoring run and
              need at least 5 customers; clusters need 10. <Link to="/app">See the data status on the home page.</Link>
            </p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const slugOf = Object.fromEntries(data.groups.map((g) => [g.segment, g.slug]));
  const horizon = data.run?.horizonDays ?? 90;
  const nonEmpty = data.groups.filter((g) => g.size > 0);
  return (
    <Page
      title="Segments"
      subtitle={`${formatNumber(data.total)} customers with orders · scores as of ${formatDate(data.run?.asOf)}`}
    >
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: "2fr 3fr" }} gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  RFM grid
                </Text>
                <RfmGrid cells={data.cells} slugOf={slugOf} />
              </BlockStack>
            </Card>
            <Card padding="0">
              <Box padding="400">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    Shopify&apos;s customer groups
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    Next-period rate = predicted share ordering in the next {horizon} days. Click a group to see its
                    customers.
                  </Text>
                </BlockStack>
              </Box>
              <div data-testid="segments-table">
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
                  headings={["Group", "Customers", "Share", "Revenue share", "Next-period rate"]}
                  rows={nonEmpty.map((g) => [
                    <Link key="l" to={`/app/segments/${g.slug}`} title={g.why}>
                      {g.segment}
                    </Link>,
                    formatNumber(g.size),
                    formatPercent(g.share),
                    formatPercent(g.revenueShare),
                    formatPercent(g.nextPeriodRate),
                  ])}
                  increasedTableDensity
                />
              </div>
              {nonEmpty.length < data.groups.length && (
                <Box padding="400">
                  <Text as="p" variant="bodySm" tone="subdued">
                    Empty groups:{" "}
                    {data.groups
                      .filter((g) => g.size === 0)
                      .map((g) => g.segment)
                      .join(", ")}
                    .
                  </Text>
                </Box>
              )}
            </Card>
          </InlineGrid>
        </Layout.Section>

        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  Clusters learned from your customers
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  k-means on recency, order count, total spend and tenure (log scale): groups your data suggests, beyond
                  Shopify&apos;s fixed rules.
                </Text>
              </BlockStack>
            </Box>
            {data.clusters.length > 0 ? (
              <div data-testid="clusters-table">
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "text"]}
                  headings={[
                    "Cluster",
                    "Customers",
                    "Revenue share",
                    "Next-period rate",
                    "Median spend",
                    "Typical customer",
                  ]}
                  rows={data.clusters.map((c) => [
                    <Link key="l" to={`/app/segments/${c.slug}`}>
                      {`${c.cluster + 1}. ${c.label}`}
                    </Link>,
                    formatNumber(c.size),
                    formatPercent(c.revenueShare),
                    formatPercent(c.nextPeriodRate),
                    formatMoney(Math.round(c.medians.totalSpend * 100), data.currency),
                    `${c.medians.orders} ${c.medians.orders === 1 ? "order" : "orders"}, last ${Math.round(c.medians.recencyDays)} days ago`,
                  ])}
                  increasedTableDensity
                />
              </div>
            ) : (
              <Box padding="400">
                <Text as="p" tone="subdued">
                  Clusters need at least 10 customers with orders.
                </Text>
              </Box>
            )}
          </Card>
        </Layout.Section>

        <Layout.Section>
          <ChurnQuality report={data.churnBacktest} data={data} horizonDays={horizon} />
        </Layout.Section>
      </Layout>
      <Box paddingBlockEnd="800" />
    </Page>
  );
}

type Report = ReturnType<typeof useLoaderData<typeof loader>>["churnBacktest"];

/** How well "will they order in the horizon?" was predicted on this shop's own past (docs/contracts.md §5). */
function ChurnQuality({
  report,
  data,
  horizonDays,
}: {
  report: Report;
  data: Pick<ReturnType<typeof useLoaderData<typeof loader>>, "modelSelection" | "nextOrderCheck">;
  horizonDays: number;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          How good are the churn predictions?
        </Text>
        {data.modelSelection && (
          <ModelQuality selection={data.modelSelection} nextOrder={data.nextOrderCheck} horizonDays={horizonDays} />
        )}
        {report ? (
          <>
            <Text as="p" variant="bodySm" tone="subdued">
              Models trained on data up to {formatDate(report.trainedAt)}, predicting who would order between{" "}
              {formatDate(report.evaluatedAt)} and {formatDate(report.windowEnd)}, then checked against what happened.
              AUC: 0.5 = guessing, 1 = perfect ranking. Brier: lower is better.
            </Text>
            <div data-testid="churn-backtest">
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                headings={["Model", "AUC", "PR-AUC", "Brier", "Predicted rate", "Actual rate"]}
                rows={(
                  [
                    [
                      data.modelSelection ? "Blend (before per-shop selection)" : "Blend (used for scores)",
                      report.blend,
                    ],
                    ["BG/NBD", report.bgnbd],
                    ["Logistic regression on log-RFM", report.logistic],
                  ] as const
                ).map(([label, r]) => [
                  label,
                  formatMetric(r.auc),
                  formatMetric(r.prAuc),
                  formatMetric(r.brier),
                  formatPercent(r.meanPredicted, 1),
                  formatPercent(r.actualRate, 1),
                ])}
                increasedTableDensity
              />
            </div>
            <Text as="p" variant="bodySm">
              Expected {formatNumber(Math.round(report.expectedPurchases))} purchase days in that window;{" "}
              {formatNumber(report.actualPurchases)} happened.
            </Text>
          </>
        ) : (
          <Text as="p" tone="subdued">
            Not enough history for a backtest yet: it needs two prediction horizons of orders and at least 20 repeat
            buyers.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Segments" />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
