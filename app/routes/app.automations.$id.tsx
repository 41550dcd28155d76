import type { MetaFunction } from "@remix-run/node";
import { json, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, Layout, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { DemoSimulateCard } from "../components/automations/DemoSimulateCard";
import { OfferTest } from "../components/automations/OfferTest";
import { Preview } from "../components/automations/Preview";
import { Results } from "../components/automations/Results";
import { RunsTable } from "../components/automations/RunsTable";
import { SettingsForm } from "../components/automations/SettingsForm";
import { WritebackSummary } from "../components/automations/WritebackSummary";
import { OfferDelivery } from "../components/OfferDelivery";
import { formatMoney } from "../components/format";
import { RouteError } from "../components/RouteError";
import { usePolling } from "../components/usePolling";
import {
  approveAndRun,
  saveAutomationForm,
  setAutomationStatus,
  simulateDemoOrders,
} from "../admin/automation-actions.server";
import { getAutomationPage } from "../admin/automations.server";
import { adminDeps } from "../admin/deps.server";
import { requireAdmin } from "../shopify/auth.server";
import { pageTitle } from "../components/page-title";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return getAutomationPage(await adminDeps(), shop, params.id!);
};

type ActionResult = { ok: boolean; message: string; errors?: Record<string, string> };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const deps = await adminDeps();
  const form = await request.formData();
  const id = params.id!;
  switch (form.get("intent")) {
    case "save": {
      const r = await saveAutomationForm(deps, shop, id, form);
      return r.ok
        ? { ok: true, message: "Saved. The preview below uses the new settings." }
        : { ok: false, message: "Fix the highlighted fields.", errors: r.errors };
    }
    case "run": {
      const r = await approveAndRun(deps, shop, id);
      return { ok: r.started, message: r.message };
    }
    case "pause":
      await setAutomationStatus(deps, shop, id, "PAUSED");
      return { ok: true, message: "Paused: scheduled runs stop; issued codes stay valid until they expire." };
    case "resume":
      await setAutomationStatus(deps, shop, id, "ACTIVE");
      return { ok: true, message: "Active again." };
    case "simulate": {
      const r = await simulateDemoOrders(deps, shop, id);
      return json<ActionResult>({ ok: r.ok, message: r.message }, { status: r.status });
    }
    default:
      throw new Response("Unknown action", { status: 400 });
  }
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageTitle(data?.automation ? `${data.automation.typeLabel} · Automations` : "Automation");

/** One automation: settings, preview → approve → run, and measured results per run. */
export default function AutomationPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  usePolling(data.running);
  const money = (minor: number) => formatMoney(minor, data.currency);
  const running = data.running;
  const { automation } = data;
  const isOffer = automation.form === "offer";

  return (
    <Page
      title={automation.name}
      titleMetadata={
        <Badge
          tone={automation.status === "ACTIVE" ? "success" : automation.status === "PAUSED" ? "warning" : undefined}
        >
          {automation.status.toLowerCase()}
        </Badge>
      }
      subtitle={automation.typeLabel}
      backAction={{ content: "Automations", url: "/app/automations" }}
    >
      <Layout>
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "warning"}>{result.message}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          {isOffer ? <Results data={data} money={money} /> : <WritebackSummary data={data} />}
        </Layout.Section>
        {isOffer && data.offerTest && (
          <Layout.Section>
            <OfferTest data={data} />
          </Layout.Section>
        )}
        <Layout.Section>
          <Preview data={data} money={money} busy={busy("run")} />
        </Layout.Section>
        {isOffer && (
          <Layout.Section>
            <OfferDelivery automationId={automation.id} kind={automation.type} lastRun={lastDelivery(data)} />
          </Layout.Section>
        )}
        <Layout.Section variant="oneThird">
          <SettingsForm data={data} errors={(result as ActionResult | undefined)?.errors ?? {}} busy={busy("save")} />
        </Layout.Section>
        <Layout.Section>
          <RunsTable data={data} money={money} />
        </Layout.Section>
        {data.demo && isOffer && data.runs.length > 0 && (
          <Layout.Section>
            <DemoSimulateCard
              trueUplift={data.demoTrueUplift ?? 0}
              offerTest={!!data.offerTest}
              running={running}
              busy={busy("simulate")}
            />
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

function lastDelivery(data: Data) {
  const r = data.runs[0];
  if (!r) return null;
  return {
    issued: (r.counts.ISSUED ?? 0) + (r.counts.REDEEMED ?? 0) + (r.counts.CLEANED ?? 0),
    accepted: r.flow.accepted,
    failed: r.flow.failed,
    skipped: r.flow.skipped,
    unconfirmed: r.flow.unconfirmed,
    tags: r.tags,
  };
}

export function ErrorBoundary() {
  return <RouteError title="Automation" />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
