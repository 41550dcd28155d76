import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  ResourceItem,
  ResourceList,
  Text,
  TextField,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect, useState } from "react";
import { AssistedRevenueCard } from "../components/AssistedRevenueCard";
import { BacktestTable } from "../components/BacktestTable";
import { formatDate, formatMoney, formatNumber, formatPercent } from "../components/format";
import { RouteError } from "../components/RouteError";
import { adminDeps } from "../admin/deps.server";
import { getRecommendationsPage, RecsQuerySchema } from "../admin/recommendations.server";
import { requireAdmin } from "../shopify/auth.server";
import { pageTitle } from "../components/page-title";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const query = RecsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return getRecommendationsPage(await adminDeps(), shop, query);
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export const meta: MetaFunction = () => pageTitle("Recommendations");

/** Recommendations: look up any product's lists, see how much of the shop is covered, and how good the model is. */
export default function Recommendations() {
  const data = useLoaderData<typeof loader>();
  return (
    <Page title="Recommendations" subtitle={data.run ? `Model as of ${formatDate(data.run.asOf)}` : undefined}>
      <Layout>
        <Layout.Section>
          <Coverage coverage={data.coverage} />
        </Layout.Section>
        <Layout.Section>
          <div id="assisted-revenue">
            <AssistedRevenueCard view={data.assisted} />
          </div>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: "1fr 2fr" }} gap="400">
            <ProductSearch data={data} />
            <SelectedProduct data={data} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="300">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                How good are these recommendations?
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                Backtest on your own orders: the model is trained on everything before the last 30 days, then asked to
                predict what customers bought in those 30 days, ranking your full catalogue. Hit rate = share of
                customers (or baskets) with at least one correct item in the list.
              </Text>
            </BlockStack>
            {data.backtest.length > 0 ? (
              <BlockStack gap="300">
                {data.backtest.map((t) => (
                  <BacktestTable key={t.task} task={t} />
                ))}
              </BlockStack>
            ) : (
              <Card>
                <Text as="p" tone="subdued">
                  No backtest yet: it needs at least 10 orders before the last 30 days and 5 customers who bought within
                  them.
                </Text>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
      <Box paddingBlockEnd="800" />
    </Page>
  );
}

function Coverage({ coverage }: { coverage: Data["coverage"] }) {
  const products = coverage.activeProducts ? coverage.productsWithLists / coverage.activeProducts : 0;
  const customers = coverage.scoredCustomers ? coverage.customersWithLists / coverage.scoredCustomers : 0;
  return (
    <Card>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <BlockStack gap="150">
          <InlineStack align="space-between">
            <Text as="h2" variant="headingSm">
              Products with recommendations
            </Text>
            <Text as="span" variant="headingSm" id="coverage-products">
              {formatPercent(products)}
            </Text>
          </InlineStack>
          <ProgressBar progress={Math.round(products * 100)} size="small" tone="success" />
          <Text as="p" variant="bodySm" tone="subdued">
            {formatNumber(coverage.productsWithLists)} of {formatNumber(coverage.activeProducts)} active products have a
            bought-together or also-bought list. Products nobody bought yet fall back to best-sellers on the storefront.
          </Text>
        </BlockStack>
        <BlockStack gap="150">
          <InlineStack align="space-between">
            <Text as="h2" variant="headingSm">
              Customers with a “for you” list
            </Text>
            <Text as="span" variant="headingSm" id="coverage-customers">
              {formatPercent(customers)}
            </Text>
          </InlineStack>
          <ProgressBar progress={Math.round(customers * 100)} size="small" tone="success" />
          <Text as="p" variant="bodySm" tone="subdued">
            {formatNumber(coverage.customersWithLists)} of {formatNumber(coverage.scoredCustomers)} customers with
            orders.
          </Text>
        </BlockStack>
      </InlineGrid>
    </Card>
  );
}

function ProductSearch({ data }: { data: Data }) {
  const submit = useSubmit();
  const navigation = useNavigation();
  const [q, setQ] = useState(data.query);
  useEffect(() => setQ(data.query), [data.query]);
  // Search as you type, debounced; the form also works without JavaScript.
  useEffect(() => {
    if (q === data.query) return;
    const id = setTimeout(() => submit({ q }, { method: "get", replace: true, preventScrollReset: true }), 300);
    return () => clearTimeout(id);
  }, [q, data.query, submit]);
  return (
    <Card padding="0">
      <Box padding="400">
        <Form method="get" role="search">
          <TextField
            label="Find a product"
            name="q"
            value={q}
            onChange={setQ}
            autoComplete="off"
            placeholder="Title or handle"
            clearButton
            onClearButtonClick={() => setQ("")}
          />
        </Form>
      </Box>
      <ResourceList
        resourceName={{ singular: "product", plural: "products" }}
        items={data.results}
        loading={navigation.state === "loading" && navigation.location?.pathname === "/app/recommendations"}
        emptyState={
          <Box padding="400">
            <Text as="p" tone="subdued">
              No product matches “{data.query}”.
            </Text>
          </Box>
        }
        renderItem={(p) => (
          <ResourceItem
            id={p.id}
            url={`/app/recommendations?${new URLSearchParams({ q: data.query, product: p.id })}`}
            accessibilityLabel={`Show recommendations for ${p.title}`}
          >
            <InlineStack align="space-between" blockAlign="center" wrap={false}>
              <Text as="span" variant="bodyMd" fontWeight={data.selected?.product.gid === p.gid ? "bold" : "regular"}>
                {p.title}
              </Text>
              {p.status !== "ACTIVE" && <Badge>{p.status.toLowerCase()}</Badge>}
            </InlineStack>
          </ResourceItem>
        )}
      />
    </Card>
  );
}

function SelectedProduct({ data }: { data: Data }) {
  const s = data.selected;
  if (!s) {
    return (
      <Card>
        <EmptyState heading="Pick a product" image="">
          <p>Choose a product on the left to see what the storefront recommends next to it, and why.</p>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd" id="selected-product">
            {s.product.title}
          </Text>
          <InlineStack gap="200">
            {s.product.priceMinor !== null && (
              <Badge>{formatMoney(s.product.priceMinor, data.currency, { cents: true })}</Badge>
            )}
            <Badge tone={s.product.inventory > 0 ? "success" : "warning"}>
              {s.product.inventory > 0 ? `${formatNumber(s.product.inventory)} in stock` : "out of stock"}
            </Badge>
          </InlineStack>
        </InlineStack>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <List
            title="Frequently bought together"
            testId="bought-together"
            items={s.boughtTogether}
            empty="Nobody has bought this together with anything else yet."
          />
          <List
            title="Customers also bought"
            testId="also-bought"
            items={s.alsoBought}
            empty="Not enough buyers of this product yet."
          />
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}

function List({
  title,
  items,
  empty,
  testId,
}: {
  title: string;
  items: NonNullable<Data["selected"]>["boughtTogether"];
  empty: string;
  testId: string;
}) {
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      {items.length === 0 ? (
        <Text as="p" tone="subdued">
          {empty}
        </Text>
      ) : (
        <ol style={{ margin: 0, paddingLeft: 20 }} data-testid={testId}>
          {items.map((i) => (
            <li key={i.gid} style={{ marginBottom: 8 }}>
              <Link to={`/app/recommendations?product=${i.id}`}>{i.title}</Link>
              <Text as="p" variant="bodySm" tone="subdued">
                {i.reason}
              </Text>
            </li>
          ))}
        </ol>
      )}
    </BlockStack>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Recommendations" />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
