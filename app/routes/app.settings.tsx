import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, InlineStack, Layout, List, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { RouteError } from "../components/RouteError";
import { SettingsFields } from "../components/settings/SettingsFields";
import { StoreDataCard } from "../components/settings/StoreDataCard";
import { UninstallSection } from "../components/settings/UninstallSection";
import { useSettingsValues } from "../components/settings/useSettingsValues";
import { usePolling } from "../components/usePolling";
import { adminDeps } from "../admin/deps.server";
import { startScoring, startSync } from "../admin/jobs.server";
import { getSettingsPage, saveSettingsForm, type FieldErrors, type SettingsFormValues } from "../admin/settings.server";
import { requireAdmin } from "../shopify/auth.server";
import { pageTitle } from "../components/page-title";

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

export const meta: MetaFunction = () => pageTitle("Settings");

/** Settings: recommendation filters, churn horizon, automation defaults, data retention, sync, uninstall. */
export default function Settings() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const syncing = data.sync.some((s) => ["PENDING", "RUNNING", "IMPORTING"].includes(s.status));
  const scoring = data.run?.status === "RUNNING";
  usePolling(syncing || scoring);

  const saved = result?.intent === "save" ? result : null;
  const errors: FieldErrors = saved && !saved.ok ? saved.fieldErrors : {};
  const { values, field, setValue } = useSettingsValues(data.values, saved && !saved.ok ? saved.values : null, errors);

  return (
    <Page title="Settings">
      <Layout>
        <Layout.AnnotatedSection
          id="sync"
          title="Store data"
          description="Growthpilot keeps a copy of your products, customers and orders, updated by webhooks and a periodic check. Sync now to catch up at once."
        >
          <StoreDataCard
            sync={data.sync}
            run={data.run}
            message={result && result.intent !== "save" ? { ok: result.ok, text: result.message } : null}
            syncing={syncing}
            scoring={scoring}
            busy={busy}
          />
        </Layout.AnnotatedSection>

        <Layout.Section>
          <Form method="post" id="settings-form">
            <input type="hidden" name="intent" value="save" />
            <BlockStack gap="400">
              {saved && (
                <Banner tone={saved.ok ? "success" : "critical"} title={saved.message}>
                  {!saved.ok && (
                    <List>
                      {Object.values(saved.fieldErrors).map((e) => (
                        <List.Item key={e}>{e}</List.Item>
                      ))}
                    </List>
                  )}
                </Banner>
              )}
              <SettingsFields values={values} field={field} setValue={setValue} />
              <InlineStack align="end">
                <Button submit variant="primary" loading={busy("save")}>
                  Save settings
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Layout.Section>

        <UninstallSection />
      </Layout>
      <Box paddingBlockEnd="800" />
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Settings" />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
