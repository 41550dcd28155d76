import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  Divider,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "../components/format";
import { RouteError } from "../components/RouteError";
import { adminDeps } from "../admin/deps.server";
import { getCustomerPage } from "../admin/customer.server";
import { requireAdmin } from "../shopify/auth.server";
import { pageTitle } from "../components/page-title";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return getCustomerPage(await adminDeps(), shop, params.id ?? "");
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export const meta: MetaFunction = () => pageTitle("Customer");

/** One customer: every prediction with its reason, the order timeline, and the recommendations they would see. */
export default function CustomerPage() {
  const data = useLoaderData<typeof loader>();
  const { score } = data;
  return (
    <Page
      title={data.name}
      subtitle={[data.email, `customer since ${formatDate(data.customerSince, data.timeZone)}`]
        .filter(Boolean)
        .join(" · ")}
      backAction={{ content: "Segments", url: score ? score.segment.href : "/app/segments" }}
      titleMetadata={
        score ? (
          <Badge
            tone={score.churn.level === "high" ? "critical" : score.churn.level === "medium" ? "warning" : "success"}
          >{`${score.churn.level} churn risk`}</Badge>
        ) : undefined
      }
    >
      <Layout>
        <Layout.Section>
          {score ? (
            <BlockStack gap="200">
              {/* Cards go edge to edge on a phone; the line keeps their text inset. */}
              <Box paddingInline={{ xs: "400", sm: "0" }}>
                <Text as="p" variant="bodySm" tone="subdued" id="scores-as-of">
                  Predictions as of {formatDateTime(score.scoredAt, data.timeZone)}
                  {data.newerOrders > 0
                    ? ` · ${data.newerOrders} newer ${data.newerOrders === 1 ? "order is" : "orders are"} being scored`
                    : ""}
                </Text>
              </Box>
              <InlineGrid columns={{ xs: 1, sm: 2, lg: 3 }} gap="300">
                <Prediction
                  id="segment"
                  title="Segment"
                  value={<Link to={score.segment.href}>{score.segment.value}</Link>}
                  why={score.segment.why}
                />
                <Prediction
                  id="churn"
                  title={`Churn risk (${data.horizonDays} days)`}
                  value={score.churn.value}
                  why={score.churn.why}
                />
                <Prediction id="palive" title="P(alive)" value={score.pAlive.value} why={score.pAlive.why} />
                <Prediction
                  id="next-order"
                  title="Expected next order"
                  value={score.nextOrder.value}
                  why={score.nextOrder.why}
                />
                <Prediction
                  id="value-at-stake"
                  title="Value at stake"
                  value={score.valueAtStake.value}
                  why={score.valueAtStake.why}
                />
                <Prediction
                  id="clv"
                  title={`Lifetime value, next ${data.horizonDays} days`}
                  value={score.clv.value}
                  why={score.clv.why}
                />
                <Facts data={data} />
              </InlineGrid>
            </BlockStack>
          ) : (
            <Card>
              <EmptyState heading="No predictions for this customer yet" image="">
                <p>
                  Predictions appear within a second of this customer’s first order (once the shop has had a scoring
                  run).
                </p>
              </EmptyState>
            </Card>
          )}
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                What they would see on the storefront
              </Text>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                <RecList
                  title="For you (repeats allowed)"
                  items={data.recommendations.forYou}
                  empty="No “for you” list: it needs at least one order."
                />
                <RecList
                  title="Discovery (new to them)"
                  items={data.recommendations.discovery}
                  empty="No discovery list yet."
                />
              </InlineGrid>
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Order timeline
              </Text>
              {data.orders.length === 0 ? (
                <Text as="p" tone="subdued">
                  No orders yet.
                </Text>
              ) : (
                <ol style={{ listStyle: "none", margin: 0, padding: 0 }} data-testid="order-timeline">
                  {data.orders.map((o) => (
                    <li
                      key={o.gid}
                      style={{
                        borderLeft: "2px solid #d4d4d4",
                        paddingLeft: 16,
                        paddingBottom: 12,
                        position: "relative",
                      }}
                    >
                      <span
                        aria-hidden
                        style={{
                          position: "absolute",
                          left: -6,
                          top: 4,
                          width: 10,
                          height: 10,
                          borderRadius: 5,
                          background: o.cancelled ? "#d9534f" : "#2c6ecb",
                        }}
                      />
                      <BlockStack gap="050">
                        <InlineStack gap="200" blockAlign="center">
                          <Text as="span" variant="bodyMd" fontWeight="semibold">
                            {formatDate(o.createdAt, data.timeZone)} · {o.name}
                          </Text>
                          <Text as="span" variant="bodyMd">
                            {formatMoney(o.totalMinor - o.refundedMinor, data.currency, { cents: true })}
                          </Text>
                          {o.cancelled && <Badge tone="critical">cancelled</Badge>}
                          {o.refundedMinor > 0 && (
                            <Badge tone="warning">{`refunded ${formatMoney(o.refundedMinor, data.currency, { cents: true })}`}</Badge>
                          )}
                          {o.discountCodes.map((c) => (
                            <Badge key={c} tone="info">
                              {c}
                            </Badge>
                          ))}
                          {o.daysAfterPrevious !== null && (
                            <Text as="span" variant="bodySm" tone="subdued">
                              {gapText(o.daysAfterPrevious)}
                            </Text>
                          )}
                        </InlineStack>
                        <Text as="p" variant="bodySm" tone="subdued">
                          {o.lines.map((l) => `${l.quantity}× ${l.title}`).join(", ")}
                        </Text>
                      </BlockStack>
                    </li>
                  ))}
                </ol>
              )}
              {data.totalOrders > data.orders.length && (
                <Text as="p" variant="bodySm" tone="subdued">
                  Showing the latest {data.orders.length} of {formatNumber(data.totalOrders)} orders.
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
      <Box paddingBlockEnd="800" />
    </Page>
  );
}

/** Calendar days in the shop's timezone, counted by the view-model (one day count, D36). */
function gapText(days: number): string {
  return days === 0
    ? "same day as the previous order"
    : `${days} ${days === 1 ? "day" : "days"} after the previous order`;
}

function Prediction({ id, title, value, why }: { id: string; title: string; value: React.ReactNode; why: string }) {
  return (
    <Card>
      <BlockStack gap="150">
        <Text as="h3" variant="headingSm" tone="subdued">
          {title}
        </Text>
        <Text as="p" variant="headingLg" id={`prediction-${id}`}>
          {value}
        </Text>
        <Text as="p" variant="bodySm">
          {why}
        </Text>
      </BlockStack>
    </Card>
  );
}

function Facts({ data }: { data: Data }) {
  const f = data.facts;
  return (
    <Card>
      <BlockStack gap="150">
        <Text as="h3" variant="headingSm" tone="subdued">
          The facts behind it
        </Text>
        <Text as="p" variant="bodyMd">
          {formatNumber(f.orders)} orders on {formatNumber(f.purchaseDays)} days,{" "}
          {formatMoney(f.spendMinor, data.currency)} spent.
        </Text>
        <Text as="p" variant="bodySm">
          {`First order ${formatDate(f.firstOrderAt, data.timeZone)}, last order ${formatDate(f.lastOrderAt, data.timeZone)}. ` +
            `Counted as the models count them (cancelled, voided and fully refunded orders left out), ` +
            `in calendar days of the shop's timezone (${data.timeZone ?? "UTC"}).`}
        </Text>
        {data.tags.length > 0 && (
          <InlineStack gap="100">
            {data.tags.map((t) => (
              <Badge key={t}>{t}</Badge>
            ))}
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}

function RecList({ title, items, empty }: { title: string; items: Data["recommendations"]["forYou"]; empty: string }) {
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
        <BlockStack gap="150">
          {items.map((item, i) => (
            <BlockStack gap="0" key={item.gid}>
              {i > 0 && <Divider />}
              <Box paddingBlockStart="100">
                <Text as="p" variant="bodyMd">
                  <Link to={`/app/recommendations?product=${item.gid.slice(item.gid.lastIndexOf("/") + 1)}`}>
                    {item.title}
                  </Link>
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  {item.reason}
                </Text>
              </Box>
            </BlockStack>
          ))}
        </BlockStack>
      )}
    </BlockStack>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Customer" />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
