import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { DataTable } from "../components/DataTable";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { formatDate, formatMoney, formatNumber } from "../components/format";
import { RouteError } from "../components/RouteError";
import { adminDeps } from "../admin/deps.server";
import { createAutomationWithDefaults, getAutomationsList } from "../admin/automations.server";
import { kindForTemplate } from "../services/automations/kinds";
import { requireAdmin } from "../shopify/auth.server";
import { pageTitle } from "../components/page-title";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  // "Do this now" links here with ?template=… to preselect the automation it recommends.
  const asked = kindForTemplate(new URL(request.url).searchParams.get("template"));
  const template: string = asked ?? "WIN_BACK";
  return { ...(await getAutomationsList(await adminDeps(), shop, { template: asked ?? undefined })), template };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const id = await createAutomationWithDefaults(await adminDeps(), shop, String(form.get("type") ?? ""));
  return redirect(`/app/automations/${id}`);
};

export const meta: MetaFunction = () => pageTitle("Automations");

/** Automations: every automation with its latest measured result, and "create" with defaults. */
export default function Automations() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [type, setType] = useState(data.template);
  const rows = data.items.map((a) => [
    <Link key={a.id} to={`/app/automations/${a.id}`}>
      {a.name}
    </Link>,
    a.typeLabel,
    <Badge key="s" tone={a.status === "ACTIVE" ? "success" : a.status === "PAUSED" ? "warning" : undefined}>
      {a.status.toLowerCase()}
    </Badge>,
    a.schedule.toLowerCase(),
    a.lastRun ? `${formatDate(a.lastRun.startedAt)} (${a.lastRun.status.toLowerCase()})` : "never",
    resultText(a.result, data.currency),
  ]);
  return (
    <Page
      title="Automations"
      subtitle="Discounts that prove their own effect: every run keeps a random holdout, and results are incremental gross margin after discount cost."
    >
      <Layout>
        <Layout.Section>
          <Card>
            <Form method="post">
              <InlineStack gap="300" blockAlign="end">
                <div style={{ minWidth: 280 }}>
                  <Select label="New automation" name="type" options={data.types} value={type} onChange={setType} />
                </div>
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  Create with defaults
                </Button>
              </InlineStack>
            </Form>
            {data.templateAudience && data.templateAudience.type === type && (
              <Box paddingBlockStart="300">
                <Text as="p">
                  <span data-testid="template-audience">{formatNumber(data.templateAudience.count)}</span>{" "}
                  {data.templateAudience.count === 1 ? "customer qualifies" : "customers qualify"} for{" "}
                  {data.types.find((t) => t.value === type)?.label ?? "this automation"} now with the default rules
                  (before consent, suppression and budget guardrails).
                </Text>
              </Box>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {rows.length === 0 ? (
              <BlockStack gap="200">
                <div style={{ padding: 16 }}>
                  <Text as="p" tone="subdued">
                    No automations yet. A win-back automation is a good first one: it offers lapsing customers a code
                    and measures what it earned against a holdout.
                  </Text>
                </div>
              </BlockStack>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "text", "text"]}
                headings={["Name", "Type", "Status", "Schedule", "Last run", "Incremental margin"]}
                rows={rows}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function resultText(
  r: { status: string; margin: { estimate: number; low: number; high: number } | null; reason: string | null } | null,
  currency: string,
): string {
  if (!r) return "—";
  if (r.status === "INSUFFICIENT" || !r.margin) return "Not enough data yet";
  const m = (v: number) => formatMoney(v, currency);
  return `${m(r.margin.estimate)} (${m(r.margin.low)} to ${m(r.margin.high)})${r.status === "INTERIM" ? " · interim" : ""}`;
}

export function ErrorBoundary() {
  return <RouteError title="Automations" />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
