import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
  TextField,
} from "@shopify/polaris";
import { DataTable } from "../components/DataTable";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent } from "../components/format";
import { RouteError } from "../components/RouteError";
import { usePolling } from "../components/usePolling";
import { adminDeps } from "../admin/deps.server";
import { parseSegmentSlug } from "../admin/runs.server";
import { DrillQuerySchema, getSegmentDrill } from "../admin/segments.server";
import { parseForm } from "../forms/fields";
import { TagFormSchema } from "../forms/tagging";
import { startTagging } from "../admin/tags.server";
import { requireAdmin } from "../shopify/auth.server";
import { pageTitle } from "../components/page-title";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const url = new URL(request.url);
  const query = DrillQuerySchema.parse(Object.fromEntries(url.searchParams));
  return getSegmentDrill(await adminDeps(), shop, params.segment ?? "", query);
};

/** "Tag these customers in Shopify": validates the tag, then tags in the background. */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const filter = parseSegmentSlug(params.segment ?? "");
  if (!filter) throw new Response("Unknown segment", { status: 404 });
  const form = await request.formData();
  const parsed = parseForm(TagFormSchema, form);
  if (!parsed.ok)
    return { ok: false as const, fieldErrors: { tag: parsed.fieldErrors.tag ?? "Invalid tag" }, message: null };
  const result = await startTagging(await adminDeps(), shop, filter, parsed.data.tag);
  return { ok: result.started, fieldErrors: {}, message: result.message };
};

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageTitle(data?.label ? `${data.label} · Segments` : "Segment");

/**
 * One segment's (or cluster's) customers: sortable by churn risk, CLV or value at stake (the
 * lapsed groups' default), paginated, exportable and taggable.
 */
export default function SegmentDrill() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [tag, setTag] = useState(data.suggestedTag);
  const tagging = data.tagging;
  usePolling(tagging?.status === "RUNNING");
  const link = (next: Record<string, string | number>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) p.set(k, String(v));
    return `?${p.toString()}`;
  };

  return (
    <Page
      title={data.label}
      subtitle={`${formatNumber(data.total)} customers`}
      backAction={{ content: "Segments", url: "/app/segments" }}
      // A plain document request: the CSV comes back as an attachment, so the page stays put.
      secondaryActions={[
        { content: "Export CSV", onAction: () => window.location.assign(`/app/segments/${data.slug}/export`) },
      ]}
    >
      <Layout>
        <Layout.Section>
          <Text as="p" tone="subdued">
            {data.description}
          </Text>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Form method="post">
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Tag these customers in Shopify
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  Adds the tag to all {formatNumber(data.total)} customers in Shopify, so you can reach them from
                  Shopify Email, Flow or a saved customer search. Existing tags are kept.
                </Text>
                <InlineStack gap="300" blockAlign="end" wrap={false}>
                  <div style={{ flex: 1 }}>
                    <TextField
                      label="Tag"
                      name="tag"
                      value={tag}
                      onChange={setTag}
                      autoComplete="off"
                      error={
                        actionData?.fieldErrors && "tag" in actionData.fieldErrors
                          ? actionData.fieldErrors.tag
                          : undefined
                      }
                    />
                  </div>
                  <Button
                    submit
                    variant="primary"
                    loading={navigation.state === "submitting"}
                    disabled={data.total === 0 || tagging?.status === "RUNNING"}
                  >
                    Tag {formatNumber(data.total)} customers
                  </Button>
                </InlineStack>
                {actionData?.message && (
                  <Banner tone={actionData.ok ? "info" : "warning"}>
                    <p>{actionData.message}</p>
                  </Banner>
                )}
                {tagging?.showProgress && (
                  <BlockStack gap="100">
                    <InlineStack align="space-between">
                      <Text as="span" variant="bodySm" id="tag-progress">
                        Tagging: {formatNumber(tagging.done)} of {formatNumber(tagging.total)}
                      </Text>
                      <Badge
                        tone={
                          tagging.status === "COMPLETED"
                            ? "success"
                            : tagging.status === "FAILED"
                              ? "critical"
                              : "attention"
                        }
                      >
                        {tagging.status.toLowerCase()}
                      </Badge>
                    </InlineStack>
                    <ProgressBar
                      size="small"
                      progress={tagging.total ? Math.round((tagging.done / tagging.total) * 100) : 0}
                      tone={
                        tagging.status === "FAILED"
                          ? "critical"
                          : tagging.status === "COMPLETED"
                            ? "success"
                            : "primary"
                      }
                    />
                    {tagging.error && (
                      <Text as="p" tone="critical" variant="bodySm">
                        {tagging.error}
                      </Text>
                    )}
                  </BlockStack>
                )}
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Customers
                </Text>
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span" variant="bodySm" tone="subdued">
                    Sort by
                  </Text>
                  <ButtonGroup variant="segmented">
                    <Button url={link({ sort: "churn", page: 1 })} pressed={data.sort === "churn"} size="slim">
                      Churn risk
                    </Button>
                    <Button url={link({ sort: "clv", page: 1 })} pressed={data.sort === "clv"} size="slim">
                      Lifetime value
                    </Button>
                    <Button url={link({ sort: "value", page: 1 })} pressed={data.sort === "value"} size="slim">
                      Value at stake
                    </Button>
                  </ButtonGroup>
                </InlineStack>
              </InlineStack>
            </Box>
            <div data-testid="segment-customers">
              <DataTable
                columnContentTypes={[
                  "text",
                  "numeric",
                  "numeric",
                  "text",
                  "numeric",
                  "numeric",
                  "numeric",
                  "numeric",
                  "text",
                  "text",
                ]}
                headings={[
                  "Customer",
                  "Orders",
                  "Spent",
                  "Last order",
                  "Churn risk",
                  "P(alive)",
                  `CLV (${data.horizonDays} d)`,
                  "Value at stake",
                  "Why",
                  "Scores as of",
                ]}
                rows={data.customers.map((c) => [
                  <BlockStack gap="050" key="c">
                    <Link to={`/app/customers/${c.id}`}>{c.name}</Link>
                    {c.tags.length > 0 && (
                      <Text as="span" variant="bodySm" tone="subdued">
                        {c.tags.slice(0, 3).join(", ")}
                      </Text>
                    )}
                  </BlockStack>,
                  formatNumber(c.orders),
                  formatMoney(c.spendMinor, data.currency),
                  formatDate(c.lastOrderAt, data.timeZone),
                  formatPercent(c.churnRisk),
                  formatPercent(c.pAlive),
                  `${formatMoney(c.clvMinor, data.currency)}`,
                  formatMoney(c.valueAtStakeMinor, data.currency),
                  <span
                    key="w"
                    style={{ whiteSpace: "normal", display: "block", minWidth: 260, maxWidth: 360, fontSize: 12 }}
                  >
                    {c.explanation}
                  </span>,
                  formatDateTime(c.scoredAt, data.timeZone),
                ])}
                increasedTableDensity
                verticalAlign="middle"
              />
            </div>
            <Box padding="400">
              <InlineStack align="center" gap="300" blockAlign="center">
                {/* Not Polaris <Pagination>: with URLs it renders a disabled end as an <a> without href
                    carrying aria-label, which ARIA prohibits (axe aria-prohibited-attr). */}
                <nav aria-label="Pages" style={{ display: "contents" }}>
                  <Button url={data.page > 1 ? link({ page: data.page - 1 }) : undefined} disabled={data.page <= 1}>
                    Previous
                  </Button>
                  <Text as="span">{`Page ${data.page} of ${data.pages}`}</Text>
                  <Button
                    url={data.page < data.pages ? link({ page: data.page + 1 }) : undefined}
                    disabled={data.page >= data.pages}
                  >
                    Next
                  </Button>
                </nav>
              </InlineStack>
            </Box>
          </Card>
        </Layout.Section>
      </Layout>
      <Box paddingBlockEnd="800" />
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Segment" />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
