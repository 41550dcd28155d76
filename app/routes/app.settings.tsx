import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  FormLayout,
  InlineStack,
  Layout,
  List,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect, useRef, useState } from "react";
import { BooleanCheckbox } from "../components/BooleanCheckbox";
import { formatDateTime } from "../components/format";
import { RouteError } from "../components/RouteError";
import { SyncStatus } from "../components/SyncStatus";
import { usePolling } from "../components/usePolling";
import { adminDeps } from "../admin/deps.server";
import { startScoring, startSync } from "../admin/jobs.server";
import { getSettingsPage, saveSettingsForm, type FieldErrors, type SettingsFormValues } from "../admin/settings.server";
import { requireAdmin } from "../shopify/auth.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return getSettingsPage(await adminDeps(), shop);
};

type ActionResult =
  | { intent: "save"; ok: true; message: string; fieldErrors?: undefined; values?: undefined }
  | { intent: "save"; ok: false; message: string; fieldErrors: FieldErrors; values: SettingsFormValues }
  | { intent: "sync" | "recompute"; ok: boolean; message: string; fieldErrors?: undefined; values?: undefined };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { shop } = await requireAdmin(request);
  const deps = await adminDeps();
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "sync") {
    const r = await startSync(deps, shop);
    return { intent: "sync", ok: r.started, message: r.message };
  }
  if (intent === "recompute") {
    const r = await startScoring(deps, shop);
    return { intent: "recompute", ok: r.started, message: r.message };
  }
  if (intent !== "save") throw new Response("Unknown action", { status: 400 });
  const result = await saveSettingsForm(deps, shop, form);
  if (!result.ok)
    return {
      intent: "save",
      ok: false,
      message: "Fix the highlighted fields.",
      fieldErrors: result.fieldErrors,
      values: result.values,
    };
  return {
    intent: "save",
    ok: true,
    message: result.horizonChanged
      ? "Settings saved. The new churn horizon applies from the next scoring run — recompute to apply it now."
      : "Settings saved. Recommendation filters apply from the next scoring run.",
  };
};

/** Settings: recommendation filters, churn horizon, automation defaults, data retention, sync, uninstall. */
export default function Settings() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const syncing = data.sync.some((s) => ["PENDING", "RUNNING", "IMPORTING"].includes(s.status));
  const scoring = data.run?.status === "RUNNING";
  usePolling(syncing || scoring);

  const errors: FieldErrors = result?.intent === "save" && !result.ok ? result.fieldErrors : {};
  const [values, setValues] = useState<SettingsFormValues>(data.values);
  // Reset the inputs only when the stored settings change (a successful save) or a save fails
  // (show what was typed): background revalidations while a sync runs must not wipe edits.
  const stored = JSON.stringify(data.values);
  const failed = result?.intent === "save" && !result.ok ? result.values : null;
  // Only fields the merchant has not edited since the last load take the new stored value, so a
  // revalidation that lands just after a save cannot overwrite what was typed meanwhile.
  const lastStored = useRef<SettingsFormValues>(data.values);
  useEffect(() => {
    const next = JSON.parse(stored) as SettingsFormValues;
    const previous = lastStored.current;
    lastStored.current = next;
    setValues((current) => {
      const merged = { ...current };
      for (const key of Object.keys(next) as (keyof SettingsFormValues)[]) {
        if (current[key] === previous[key]) merged[key] = next[key];
      }
      return merged;
    });
  }, [stored]);
  useEffect(() => {
    if (failed) setValues(failed);
  }, [failed]);
  const field = (name: keyof SettingsFormValues) => ({
    id: name,
    name,
    value: values[name],
    onChange: (v: string) => setValues((prev) => ({ ...prev, [name]: v })),
    error: errors[name],
    autoComplete: "off",
  });

  return (
    <Page title="Settings">
      <Layout>
        <Layout.AnnotatedSection
          id="sync"
          title="Store data"
          description="Growthpilot keeps a copy of your products, customers and orders, updated by webhooks and a periodic check. Sync now to catch up at once."
        >
          <Card>
            <BlockStack gap="300">
              <SyncStatus rows={data.sync} />
              {data.run && (
                <Text
                  as="p"
                  variant="bodySm"
                  tone={data.run.status === "FAILED" ? "critical" : "subdued"}
                  id="scoring-status"
                >
                  Scores:{" "}
                  {data.run.status === "RUNNING"
                    ? `recomputing since ${formatDateTime(data.run.startedAt)}`
                    : data.run.status === "FAILED"
                      ? `last run failed — ${data.run.error}`
                      : `computed ${formatDateTime(data.run.finishedAt)}`}
                </Text>
              )}
              {result && result.intent !== "save" && (
                <Banner tone={result.ok ? "info" : "warning"}>
                  <p>{result.message}</p>
                </Banner>
              )}
              <InlineStack gap="200">
                <Form method="post">
                  <input type="hidden" name="intent" value="sync" />
                  <Button submit loading={busy("sync")} disabled={syncing}>
                    Sync now
                  </Button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="recompute" />
                  <Button submit loading={busy("recompute")} disabled={scoring || syncing}>
                    Recompute scores
                  </Button>
                </Form>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.Section>
          <Form method="post" id="settings-form">
            <input type="hidden" name="intent" value="save" />
            <BlockStack gap="400">
              {result?.intent === "save" && (
                <Banner tone={result.ok ? "success" : "critical"} title={result.message}>
                  {!result.ok && (
                    <List>
                      {Object.values(result.fieldErrors).map((e) => (
                        <List.Item key={e}>{e}</List.Item>
                      ))}
                    </List>
                  )}
                </Banner>
              )}
              <Layout>
                <Layout.AnnotatedSection
                  id="filters"
                  title="Recommendation filters"
                  description="What may appear in recommendations. Draft, unpublished, gift-card and free products are never recommended; out-of-stock products only when they can be oversold."
                >
                  <Card>
                    <FormLayout>
                      <BooleanCheckbox
                        label="Recommend out-of-stock products that allow overselling (continue selling)"
                        name="allowContinueSelling"
                        checked={values.allowContinueSelling === "true"}
                        onChange={(v) => setValues((prev) => ({ ...prev, allowContinueSelling: v ? "true" : "false" }))}
                      />
                      <TextField
                        label="Margin floor"
                        type="number"
                        suffix="%"
                        helpText="Skip products whose gross margin is below this (only where a cost is entered). Leave empty for no floor."
                        {...field("marginFloorPercent")}
                      />
                      <TextField
                        label="Never recommend these products"
                        multiline={4}
                        helpText="Product handles, one per line."
                        {...field("excludedHandles")}
                      />
                    </FormLayout>
                  </Card>
                </Layout.AnnotatedSection>
                <Layout.AnnotatedSection
                  id="predictions"
                  title="Predictions"
                  description="The horizon of churn risk, purchase probability and lifetime value."
                >
                  <Card>
                    <FormLayout>
                      <TextField
                        label="Churn horizon"
                        type="number"
                        suffix="days"
                        helpText="“Churned” = no order within this many days (14–365). 90 suits most shops; use the time between typical repeat orders × 2."
                        {...field("churnHorizonDays")}
                      />
                    </FormLayout>
                  </Card>
                </Layout.AnnotatedSection>
                <Layout.AnnotatedSection
                  id="automation"
                  title="Automation defaults"
                  description="Used by new automations (each automation can override them)."
                >
                  <Card>
                    <FormLayout>
                      <FormLayout.Group>
                        <TextField
                          label="Holdout group"
                          type="number"
                          suffix="%"
                          helpText="Share of eligible customers who get nothing, to measure the real effect (5–50)."
                          {...field("holdoutPercent")}
                        />
                        <TextField
                          label="Default gross margin"
                          type="number"
                          suffix="%"
                          helpText="Used where a product has no cost entered."
                          {...field("defaultMarginPercent")}
                        />
                      </FormLayout.Group>
                      <FormLayout.Group>
                        <TextField
                          label="Discount code expiry"
                          type="number"
                          suffix="days"
                          {...field("codeExpiryDays")}
                        />
                        <TextField
                          label="Don't contact again within"
                          type="number"
                          suffix="days"
                          helpText="A customer who got an offer is left alone this long."
                          {...field("suppressionDays")}
                        />
                      </FormLayout.Group>
                    </FormLayout>
                  </Card>
                </Layout.AnnotatedSection>
                <Layout.AnnotatedSection
                  id="retention"
                  title="Data retention"
                  description="How much order history is kept for modelling."
                >
                  <Card>
                    <FormLayout>
                      <TextField
                        label="Keep order history for"
                        type="number"
                        suffix="days"
                        helpText="At least 365 days (the models need a year to see seasonality). Leave empty to keep everything."
                        {...field("dataRetentionDays")}
                      />
                    </FormLayout>
                  </Card>
                </Layout.AnnotatedSection>
              </Layout>
              <InlineStack align="end">
                <Button submit variant="primary" loading={busy("save")}>
                  Save settings
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Layout.Section>

        <Layout.AnnotatedSection id="uninstall" title="If you uninstall" description="What happens to your data.">
          <Card>
            <BlockStack gap="200">
              <List>
                <List.Item>
                  Immediately: Growthpilot loses access to your store; its access token and sessions are deleted, and
                  background jobs stop.
                </List.Item>
                <List.Item>
                  Shopify removes the app&apos;s metafields (storefront recommendation lists) and the theme blocks stop
                  rendering.
                </List.Item>
                <List.Item>
                  48 hours later (Shopify&apos;s shop/redact request): every copy of your products, customers, orders,
                  scores, recommendations, sync history and settings is deleted from Growthpilot&apos;s database.
                </List.Item>
                <List.Item>
                  Kept in Shopify, because they are yours: customer tags Growthpilot added and discount codes it created
                  (expired codes stop working).
                </List.Item>
              </List>
              <Text as="p" variant="bodySm" tone="subdued">
                A customer&apos;s data is erased on its own when Shopify sends a customers/redact request.
              </Text>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
      <Box paddingBlockEnd="800" />
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Settings" />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
