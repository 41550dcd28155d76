import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { getDashboard } from "../services/dashboard.server";
import { requireAdmin } from "../shopify/auth.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return getDashboard(shop);
};

/** Minimal home: sync progress and synced counts (the full admin is issue #4). */
export default function Home() {
  const data = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const syncing = data.sync.some((s) => s.status === "RUNNING" || s.status === "PENDING");
  // Poll while a sync runs so the progress bar moves without a reload.
  useEffect(() => {
    if (!syncing) return;
    const id = setInterval(() => revalidator.revalidate(), 1500);
    return () => clearInterval(id);
  }, [syncing, revalidator]);

  return (
    <Page title="Growthpilot" subtitle={data.shop}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Store data sync
              </Text>
              {data.sync.length === 0 && <Text as="p">No sync has run yet.</Text>}
              {data.sync.map((s) => (
                <BlockStack gap="100" key={s.resource}>
                  <InlineGrid columns="1fr auto">
                    <Text as="span" variant="bodyMd">
                      {label(s.resource)} — {s.rowsUpserted.toLocaleString("en-US")} synced
                    </Text>
                    <Badge tone={tone(s.status)}>{s.status.toLowerCase()}</Badge>
                  </InlineGrid>
                  <ProgressBar progress={s.percent} size="small" tone={s.status === "FAILED" ? "critical" : "primary"} />
                  {s.error && (
                    <Text as="p" tone="critical">
                      {s.error}
                    </Text>
                  )}
                </BlockStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <Kpi title="Products" value={data.counts.products} />
            <Kpi title="Customers" value={data.counts.customers} />
            <Kpi title="Orders" value={data.counts.orders} />
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Kpi({ title, value }: { title: string; value: number }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {title}
        </Text>
        <Text as="p" variant="heading2xl" id={`count-${title.toLowerCase()}`}>
          {value.toLocaleString("en-US")}
        </Text>
      </BlockStack>
    </Card>
  );
}

const label = (resource: string) => resource.charAt(0).toUpperCase() + resource.slice(1);

function tone(status: string): "success" | "critical" | "attention" | "info" {
  if (status === "COMPLETED") return "success";
  if (status === "FAILED") return "critical";
  if (status === "RUNNING") return "attention";
  return "info";
}
