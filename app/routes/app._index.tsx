import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AccessGapsBanner } from "../components/AccessGapsBanner";
import { BarChart } from "../components/BarChart";
import { DoThisNow } from "../components/DoThisNow";
import { change, formatDateTime, formatMoney, formatNumber, formatPercent } from "../components/format";
import { AssistedRevenueKpi } from "../components/home/AssistedRevenueKpi";
import { ForecastCard } from "../components/home/ForecastCard";
import { SalesTrend } from "../components/home/SalesTrend";
import { StoreDataSummary } from "../components/home/StoreDataSummary";
import { KpiCard } from "../components/KpiCard";
import { RouteError } from "../components/RouteError";
import { SufficiencyMeter } from "../components/SufficiencyMeter";
import { SyncStatus } from "../components/SyncStatus";
import { usePolling } from "../components/usePolling";
import { adminDeps } from "../admin/deps.server";
import { getDashboard } from "../admin/dashboard.server";
import { requireAdmin } from "../shopify/auth.server";
import { pageTitle } from "../components/page-title";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const period = new URL(request.url).searchParams.get("period");
  return getDashboard(await adminDeps(), shop, { periodDays: period === null ? undefined : Number(period) });
};

export const meta: MetaFunction = () => pageTitle("Home");

/** Home: is the data in, can it be trusted, how is the shop doing, and what to do next. */
export default function Home() {
  const data = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const scoring = data.run?.status === "RUNNING";
  usePolling(data.syncing || scoring || data.tagging?.status === "RUNNING");
  const { kpis, currency } = data;
  const periodLabel = `last ${data.period.days} days`;

  return (
    <Page title="Home" subtitle={data.shopName}>
      <Layout>
        {(data.syncing || data.counts.orders === 0) && (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {data.syncing ? "Importing your store data" : "Store data"}
                </Text>
                <SyncStatus rows={data.sync} />
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        {data.accessGaps.length > 0 && (
          <Layout.Section>
            <AccessGapsBanner gaps={data.accessGaps} />
          </Layout.Section>
        )}
        {scoring && (
          <Layout.Section>
            <Banner tone="info" title="Recomputing scores and recommendations">
              <p>
                Started {formatDateTime(data.run?.startedAt)}. The numbers below are from the previous run until it
                finishes.
              </p>
            </Banner>
          </Layout.Section>
        )}
        {data.run?.status === "FAILED" && (
          <Layout.Section>
            <Banner tone="critical" title="The last scoring run failed">
              <p>{data.run.error}</p>
            </Banner>
          </Layout.Section>
        )}

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Do this now
                </Text>
                {data.lastCompletedRun && (
                  <Text as="span" variant="bodySm" tone="subdued">
                    Scores as of {formatDateTime(data.lastCompletedRun.asOf)}
                  </Text>
                )}
              </InlineStack>
              <DoThisNow actions={data.actions} />
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <BlockStack gap="300">
            <Box paddingInline={{ xs: "400", sm: "0" }}>
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  How the shop is doing
                </Text>
                <div style={{ minWidth: 180 }}>
                  <Select
                    label="Period"
                    labelInline
                    options={data.periods.map((p) => ({ label: `Last ${p} days`, value: String(p) }))}
                    value={String(data.period.days)}
                    onChange={(v) => navigate(`?period=${v}`, { preventScrollReset: true })}
                  />
                </div>
              </InlineStack>
            </Box>
            {navigation.state === "loading" && navigation.location.pathname === "/app" ? (
              <Card>
                <SkeletonBodyText lines={4} />
              </Card>
            ) : (
              <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
                <KpiCard
                  id="revenue"
                  title="Revenue"
                  value={formatMoney(kpis.revenueMinor, currency)}
                  delta={change(kpis.revenueMinor, kpis.previous.revenueMinor)}
                  help={`Net of refunds, ${periodLabel}; change vs the ${data.period.days} days before.`}
                />
                <KpiCard
                  id="orders"
                  title="Orders"
                  value={formatNumber(kpis.orders)}
                  delta={change(kpis.orders, kpis.previous.orders)}
                  help={`Orders placed, ${periodLabel} (cancelled excluded).`}
                />
                <KpiCard
                  id="repeat-rate"
                  title="Repeat-purchase rate"
                  value={formatPercent(kpis.repeatRate)}
                  delta={change(kpis.repeatRate, kpis.previous.repeatRate)}
                  help="Share of this period's buyers who have ordered more than once."
                />
                <KpiCard
                  id="active"
                  title="Active customers"
                  value={formatNumber(kpis.activeCustomers)}
                  delta={change(kpis.activeCustomers, kpis.previous.activeCustomers)}
                  help={`Customers with an order in the ${periodLabel}.`}
                />
                <KpiCard
                  id="revenue-at-risk"
                  title="Revenue at risk"
                  value={formatMoney(kpis.revenueAtRiskMinor, currency)}
                  help={`${formatNumber(kpis.likelyChurners)} repeat customers are ≥ 70% likely to stop buying; this is what they used to spend per ${data.period.days} days.`}
                />
                <AssistedRevenueKpi assisted={data.assisted} currency={currency} />
              </InlineGrid>
            )}
          </BlockStack>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Sales over time
              </Text>
              <SalesTrend trend={data.trend} currency={currency} periodDays={data.period.days} />
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <div id="forecast">
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Forecast
                </Text>
                <ForecastCard forecast={data.forecast} currency={currency} />
              </BlockStack>
            </div>
          </Card>
        </Layout.Section>

        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingMd">
                  Customers by segment
                </Text>
                <Link to="/app/segments">All segments</Link>
              </InlineStack>
              {data.segments.length > 0 ? (
                <BarChart
                  title="Customers by segment"
                  bars={data.segments.map((s) => ({ label: s.segment, value: s.count, href: s.href }))}
                />
              ) : (
                <EmptyChart scoring={scoring} orders={data.counts.orders} />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section variant="oneHalf">
          <Card>
            <div id="sufficiency">
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Can these numbers be trusted?
                </Text>
                {data.sufficiency ? (
                  <SufficiencyMeter {...data.sufficiency} />
                ) : (
                  <Text as="p" tone="subdued">
                    The data-sufficiency check runs with the first scoring run. It needs orders with customers attached:
                    segments from 5 customers, churn predictions from 5 repeat buyers, quality numbers from 20 repeat
                    buyers and about 7 months of history.
                  </Text>
                )}
              </BlockStack>
            </div>
          </Card>
        </Layout.Section>

        {!data.syncing && data.counts.orders > 0 && (
          <Layout.Section>
            <StoreDataSummary counts={data.counts} sync={data.sync} />
          </Layout.Section>
        )}
      </Layout>
      <Box paddingBlockEnd="800" />
    </Page>
  );
}

function EmptyChart({ scoring, orders }: { scoring: boolean; orders: number }) {
  if (scoring) return <SkeletonBodyText lines={6} />;
  return (
    <EmptyState heading="No segments yet" image="">
      <p>
        {orders === 0
          ? "Segments appear once orders are imported. A sync starts automatically after install."
          : "Segments appear after the first scoring run. They need at least 5 customers with orders."}
      </p>
      <Badge tone="info">Waiting for data</Badge>
    </EmptyState>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Home" />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
