import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link as RemixLink, useActionData, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Text,
  useBreakpoints,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { formatDate } from "../components/format";
import { RouteError } from "../components/RouteError";
import { getPrivacyPage, markSentFromAdmin } from "../services/shop/data-requests.server";
import { requireAdmin } from "../shopify/auth.server";
import { pageTitle } from "../components/page-title";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return getPrivacyPage(shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const id = form.get("id");
  if (form.get("intent") !== "sent" || typeof id !== "string" || !id)
    throw new Response("Unknown action", { status: 400 });
  const ok = await markSentFromAdmin(shop, id);
  return {
    ok,
    message: ok
      ? "Marked as sent. The export is deleted after the retention period."
      : "That request was already marked sent or no longer exists.",
  };
};

const STATUS = {
  open: { tone: "attention", label: "Open" },
  overdue: { tone: "critical", label: "Overdue" },
  sent: { tone: "success", label: "Sent" },
} as const;

/** Customer data requests (GDPR/CCPA) forwarded by Shopify: download what we hold, send it, mark it sent. */
type Row = ReturnType<typeof useLoaderData<typeof loader>>["requests"][number];

const customerIdOf = (r: Row) => r.customerGid.split("/").pop();

function CustomerLink({ r }: { r: Row }) {
  return (
    <>
      <RemixLink to={`/app/customers/${customerIdOf(r)}`}>Customer {customerIdOf(r)}</RemixLink>
      {r.ordersRequested > 0 && (
        <Text as="span" tone="subdued">
          {" "}
          · {r.ordersRequested} orders named
        </Text>
      )}
    </>
  );
}

function StatusBadge({ r }: { r: Row }) {
  return (
    <Badge tone={STATUS[r.status].tone}>
      {r.status === "sent" ? `Sent ${formatDate(r.sentAt)}` : STATUS[r.status].label}
    </Badge>
  );
}

function Downloads({ r }: { r: Row }) {
  return (
    <InlineStack gap="200">
      <a href={`/app/privacy/${r.id}?format=json`} download>
        JSON
      </a>
      <a href={`/app/privacy/${r.id}?format=csv`} download>
        CSV
      </a>
    </InlineStack>
  );
}

function MarkSent({ r }: { r: Row }) {
  if (r.status === "sent") return null;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="sent" />
      <input type="hidden" name="id" value={r.id} />
      <Button submit size="slim">
        Mark sent
      </Button>
    </Form>
  );
}

/** Phones: one stacked block per request, so "Mark sent" is never scrolled out of view. */
function RequestList({ requests }: { requests: Row[] }) {
  return (
    <BlockStack>
      {requests.map((r, i) => (
        <Box key={r.id}>
          {i > 0 && <Divider />}
          <Box padding="400">
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <CustomerLink r={r} />
                <StatusBadge r={r} />
              </InlineStack>
              <Text as="p" tone="subdued">
                Received {formatDate(r.receivedAt)} · due {formatDate(r.dueAt)}
              </Text>
              <InlineStack align="space-between" blockAlign="center">
                <Downloads r={r} />
                <MarkSent r={r} />
              </InlineStack>
            </BlockStack>
          </Box>
        </Box>
      ))}
    </BlockStack>
  );
}

export const meta: MetaFunction = () => pageTitle("Privacy requests");

export default function Privacy() {
  const { requests, deadlineDays, retentionDays } = useLoaderData<typeof loader>();
  const { smDown } = useBreakpoints();
  const result = useActionData<typeof action>();
  const open = requests.filter((r) => r.status !== "sent").length;
  return (
    <Page title="Privacy requests" subtitle="Customer data requests Shopify forwarded to Growthpilot">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && <Banner tone={result.ok ? "success" : "warning"}>{result.message}</Banner>}
            <Banner
              tone={open > 0 ? "warning" : "info"}
              title={open > 0 ? `${open} request${open === 1 ? "" : "s"} to answer` : "No open requests"}
            >
              <p>
                When a customer asks your store for their data, Shopify tells Growthpilot. Download what Growthpilot
                holds about them (JSON or CSV), send it to the customer with the rest of your answer within{" "}
                {deadlineDays} days of the request, then mark it sent. Exports are deleted {retentionDays} days after
                they are sent or fall due.
              </p>
            </Banner>
            <Card padding="0">
              {requests.length === 0 ? (
                <EmptyState heading="Nothing to send" image="">
                  <p>Requests appear here when Shopify forwards one.</p>
                </EmptyState>
              ) : smDown ? (
                <RequestList requests={requests} />
              ) : (
                <IndexTable
                  resourceName={{ singular: "request", plural: "requests" }}
                  itemCount={requests.length}
                  selectable={false}
                  headings={[
                    { title: "Customer" },
                    { title: "Received" },
                    { title: "Due" },
                    { title: "Status" },
                    { title: "Export" },
                    { title: "" },
                  ]}
                >
                  {requests.map((r, i) => (
                    <IndexTable.Row id={r.id} key={r.id} position={i}>
                      <IndexTable.Cell>
                        <CustomerLink r={r} />
                      </IndexTable.Cell>
                      <IndexTable.Cell>{formatDate(r.receivedAt)}</IndexTable.Cell>
                      <IndexTable.Cell>{formatDate(r.dueAt)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <StatusBadge r={r} />
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Downloads r={r} />
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <MarkSent r={r} />
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Privacy requests" />;
}
export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
