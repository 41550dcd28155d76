import { json, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  Divider,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { BooleanCheckbox } from "../components/BooleanCheckbox";
import { OfferDelivery } from "../components/OfferDelivery";
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent } from "../components/format";
import { RouteError } from "../components/RouteError";
import { ResultsOverTime } from "../components/ResultsOverTime";
import { AUTOMATION_SCHEDULE_OPTIONS, type AutomationFormValues } from "../forms/automation";
import { usePolling } from "../components/usePolling";
import {
  approveAndRun,
  getAutomationPage,
  saveAutomationForm,
  setAutomationStatus,
  simulateDemoOrders,
} from "../admin/automations.server";
import { requireAdmin } from "../shopify/auth.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return getAutomationPage(shop, params.id!);
};

type ActionResult = { ok: boolean; message: string; errors?: Record<string, string> };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const id = params.id!;
  switch (form.get("intent")) {
    case "save": {
      const r = await saveAutomationForm(shop, id, form);
      return r.ok
        ? { ok: true, message: "Saved. The preview below uses the new settings." }
        : { ok: false, message: "Fix the highlighted fields.", errors: r.errors };
    }
    case "run": {
      const r = await approveAndRun(shop, id);
      return { ok: r.started, message: r.message };
    }
    case "pause":
      await setAutomationStatus(shop, id, "PAUSED");
      return { ok: true, message: "Paused: scheduled runs stop; issued codes stay valid until they expire." };
    case "resume":
      await setAutomationStatus(shop, id, "ACTIVE");
      return { ok: true, message: "Active again." };
    case "simulate": {
      const r = await simulateDemoOrders(shop, id);
      return json<ActionResult>({ ok: r.ok, message: r.message }, { status: r.status });
    }
    default:
      throw new Response("Unknown action", { status: 400 });
  }
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

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
        <Layout.Section>
          <Preview data={data} money={money} busy={busy("run")} />
        </Layout.Section>
        {isOffer && (
          <Layout.Section>
            <OfferDelivery automationId={automation.id} kind={automation.type} lastRun={lastDelivery(data)} />
          </Layout.Section>
        )}
        <Layout.Section variant="oneThird">
          <Settings data={data} errors={(result as ActionResult | undefined)?.errors ?? {}} busy={busy("save")} />
        </Layout.Section>
        <Layout.Section>
          <Runs data={data} money={money} />
        </Layout.Section>
        {data.demo && isOffer && data.runs.length > 0 && (
          <Layout.Section>
            <Card>
              <InlineStack align="space-between" blockAlign="center">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingSm">
                    Demo: simulate what happens next
                  </Text>
                  <Text as="p" tone="subdued" variant="bodySm">
                    The stand-in adds 30 days of orders. Each assigned customer buys with the probability the stand-in
                    sees in their own history; a treated customer adds the demo’s true effect,{" "}
                    <strong>+{((data.demoTrueUplift ?? 0) * 100).toFixed(0)} pts</strong> of conversion, and buys with
                    their code. The measured interval should cover it.
                    {running ? " Available once codes have been issued." : ""}
                  </Text>
                </BlockStack>
                <Form method="post">
                  <input type="hidden" name="intent" value="simulate" />
                  <Button submit loading={busy("simulate")} disabled={running}>
                    Simulate 30 days of orders
                  </Button>
                </Form>
              </InlineStack>
            </Card>
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

function Results({ data, money }: { data: Data; money: (m: number) => string }) {
  const latest = data.runs.find((r) => r.result)?.result ?? null;
  const m = data.pooled ?? latest?.measurement ?? null;
  if (!m) {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Results
          </Text>
          <Text as="p" tone="subdued">
            No run yet. Check the preview below, then approve and run: treated customers get a code, a random holdout
            gets nothing, and the difference between them is the effect.
          </Text>
        </BlockStack>
      </Card>
    );
  }
  const e = m.effect;
  const tone = m.status === "FINAL" ? "success" : m.status === "INTERIM" ? "attention" : "info";
  const label = m.status === "FINAL" ? "Final" : m.status === "INTERIM" ? "Interim" : "Not enough data yet";
  const interval = (i: { estimate: number; low: number; high: number }, f: (v: number) => string) =>
    `${f(i.estimate)} (${f(i.low)} to ${f(i.high)})`;
  const pp = (v: number) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)} pts`;
  const small = (minor: number) => formatMoney(minor, data.currency, { cents: "small" });
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Results {data.pooled ? `(all ${data.runs.length} runs)` : "(latest run)"}
          </Text>
          <Badge tone={tone}>{label}</Badge>
        </InlineStack>
        {m.reasons.length > 0 && (
          <Banner tone={m.status === "INSUFFICIENT" ? "info" : "warning"}>
            <List>
              {m.reasons.map((r) => (
                <List.Item key={r}>{r}</List.Item>
              ))}
            </List>
          </Banner>
        )}
        {m.status === "INSUFFICIENT" && (
          <Text as="p" fontWeight="semibold">
            {readinessText(data)}
          </Text>
        )}
        {data.overTime && <ResultsOverTime data={data.overTime} money={money} level={m.level} />}
        {data.demoTrueUplift !== null && e && (
          <Text as="p" variant="bodySm" tone="subdued">
            The demo’s true effect is +{(data.demoTrueUplift * 100).toFixed(0)} pts of conversion; the measured lift is{" "}
            {pp(e.conversionLift.estimate)} ({pp(e.conversionLift.low)} to {pp(e.conversionLift.high)}).
          </Text>
        )}
        {e && (
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Kpi
              title="Incremental gross margin"
              value={money(e.totalIncrementalMarginMinor.estimate)}
              detail={`${Math.round(m.level * 100)}% interval ${money(e.totalIncrementalMarginMinor.low)} to ${money(e.totalIncrementalMarginMinor.high)}`}
            />
            <Kpi
              title="Per treated customer"
              value={formatMoney(e.marginPerCustomerMinor.estimate, data.currency, { cents: "small" })}
              detail={`P(effect > 0) = ${formatPercent(e.probabilityPositive)}`}
            />
            <Kpi
              title="Conversion lift"
              value={pp(e.conversionLift.estimate)}
              detail={`interval ${pp(e.conversionLift.low)} to ${pp(e.conversionLift.high)}`}
            />
          </InlineGrid>
        )}
        <DataTable
          columnContentTypes={["text", "numeric", "numeric"]}
          headings={["", "Treated", "Holdout"]}
          rows={[
            ["Customers", formatNumber(m.treatment.customers), formatNumber(m.holdout.customers)],
            [
              "Bought in the window",
              formatPercent(m.treatment.conversionRate, 1),
              formatPercent(m.holdout.conversionRate, 1),
            ],
            [
              "Revenue per customer",
              small(m.treatment.revenuePerCustomerMinor),
              small(m.holdout.revenuePerCustomerMinor),
            ],
            [
              "Discount per customer",
              small(m.treatment.discountPerCustomerMinor),
              small(m.holdout.discountPerCustomerMinor),
            ],
            [
              "Gross margin per customer (after discounts)",
              small(m.treatment.marginPerCustomerMinor),
              small(m.holdout.marginPerCustomerMinor),
            ],
          ]}
        />
        {e && (
          <Text as="p" variant="bodySm" tone="subdued">
            Revenue lift per customer {interval(e.revenuePerCustomerMinor, small)}. Codes used:{" "}
            {formatNumber(m.redemptions.count)} ({formatPercent(m.redemptions.rate, 1)} of treated), on orders worth{" "}
            {money(m.redemptions.attributedRevenueMinor)} — what click attribution would claim; the incremental margin
            above is what the offer actually added. Variant cost known for {formatPercent(data.knownCostShare)} of
            lines; the rest use your margin setting.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

/** "Not enough data yet — expected around <date>", from the readiness projection (readiness.ts). */
function readinessText(data: Data): string {
  const r = data.overTime?.readiness;
  if (!r) return "Not enough data yet.";
  switch (r.status) {
    case "EXPECTED":
      return `Not enough data yet — expected around ${formatDate(data.overTime!.expectedAt)} (${r.converters} of the ${r.needed} buyers needed so far, at the rate seen since the run started).`;
    case "NO_RATE_YET":
      return "Not enough data yet — no one has bought since the offer, so the date cannot be estimated yet.";
    case "NOT_IN_WINDOW":
      return `Not enough data yet — at the rate so far about ${Math.floor(r.expectedConverters)} of the ${r.needed} buyers needed will buy before the window closes; later runs add to it.`;
    case "NEEDS_CUSTOMERS":
      return `Not enough data yet — each group needs ${r.minPerArm} customers (${r.treated} treated, ${r.holdout} held out); waiting does not change that, later runs add to it.`;
    default:
      return "Not enough data yet.";
  }
}

function Kpi({ title, value, detail }: { title: string; value: string; detail: string }) {
  return (
    <Box padding="300" background="bg-surface-secondary" borderRadius="200">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {title}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {detail}
        </Text>
      </BlockStack>
    </Box>
  );
}

const EXCLUSION_LABELS: Record<string, string> = {
  suppressed: "had an offer (or were held out) recently",
  "no-marketing-consent": "not subscribed to marketing",
  "likely-buyer": "likely to buy anyway",
  unprofitable: "discount would exceed the order's margin",
  "over-max-customers": "over the customer limit",
  "over-budget": "over the budget cap",
};

function Preview({ data, money, busy }: { data: Data; money: (m: number) => string; busy: boolean }) {
  const p = data.preview;
  const runDisabled = data.running || (!!p.notEnoughData && p.writebackChanges === null);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Preview — who would get it now
          </Text>
          <Form method="post">
            <input type="hidden" name="intent" value="run" />
            <Button submit variant="primary" loading={busy} disabled={runDisabled}>
              {data.running ? "Running…" : "Approve and run"}
            </Button>
          </Form>
        </InlineStack>
        {p.notEnoughData && <Banner tone="info">{p.notEnoughData}</Banner>}
        {p.writebackChanges !== null && (
          <Text as="p">
            {formatNumber(p.writebackChanges)} customers would get updated <code>gp-segment-*</code> /{" "}
            <code>gp-churn-*</code> tags and segment / churn-band metafields, for Shopify Segments, Flow and Email.
          </Text>
        )}
        {p.plan && (
          <>
            <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
              <Kpi title="Qualify" value={formatNumber(p.plan.qualifying)} detail="meet the rule" />
              <Kpi
                title="Get a code"
                value={formatNumber(p.plan.treated)}
                detail={`${formatNumber(p.plan.holdout)} held out (${formatPercent(data.preview.resolved.holdoutShare)})`}
              />
              <Kpi
                title="Expected discount cost"
                value={money(p.plan.expectedCostMinor)}
                detail={`at most ${money(p.plan.worstCaseCostMinor)} whatever the draw`}
              />
              <Kpi
                title="Expected lift (assumed)"
                value={money(p.plan.expectedLiftMinor)}
                detail={`if the offer adds ${formatPercent(p.planInput?.assumedUplift ?? 0)} to conversion; results measure the real effect`}
              />
            </InlineGrid>
            {Object.keys(p.plan.excluded).length > 0 && (
              <Text as="p" variant="bodySm" tone="subdued">
                Left out:{" "}
                {Object.entries(p.plan.excluded)
                  .map(([k, n]) => `${formatNumber(n ?? 0)} ${EXCLUSION_LABELS[k] ?? k}`)
                  .join(" · ")}
                {p.plan.budgetLimited
                  ? ` (the ${p.plan.budgetLimited === "month" ? "monthly" : "per-run"} budget is binding)`
                  : ""}
                .
              </Text>
            )}
            {p.sample.length > 0 && (
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
                headings={["Customer (by priority)", "Segment", "Preview arm", "Buys anyway", "Exp. cost"]}
                rows={p.sample.map((s) => [
                  s.label,
                  s.segment,
                  s.arm === "HOLDOUT" ? "holdout" : "code",
                  formatPercent(s.pWindow, 1),
                  money(s.expectedCostMinor),
                ])}
              />
            )}
          </>
        )}
      </BlockStack>
    </Card>
  );
}

function Settings({ data, errors, busy }: { data: Data; errors: Record<string, string>; busy: boolean }) {
  const [values, setValues] = useState<AutomationFormValues>(data.formValues);
  const field = (name: "name" | "offerPercent" | "holdoutPercent" | "budgetPerRun" | "budgetPerMonth") => ({
    name,
    value: values[name],
    onChange: (v: string) => setValues((prev) => ({ ...prev, [name]: v })),
    error: errors[name],
    autoComplete: "off",
  });
  const isOffer = data.automation.form === "offer";
  return (
    <Card>
      <Form method="post" id="automation-settings">
        <input type="hidden" name="intent" value="save" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Settings
          </Text>
          <FormLayout>
            <TextField label="Name" {...field("name")} />
            {isOffer && (
              <>
                <TextField
                  label="Discount"
                  type="number"
                  suffix="% off"
                  {...field("offerPercent")}
                  helpText={data.automation.discountHelp}
                />
                <TextField
                  label="Holdout"
                  type="number"
                  suffix="%"
                  {...field("holdoutPercent")}
                  helpText="Random, by segment. They get nothing; that is how the effect is measured."
                />
                <TextField
                  label="Budget per run"
                  type="number"
                  prefix={data.currency}
                  {...field("budgetPerRun")}
                  helpText="Expected discount cost; empty = no cap"
                />
                <TextField label="Budget per month" type="number" prefix={data.currency} {...field("budgetPerMonth")} />
                <BooleanCheckbox
                  label="Sent by email/Flow (only customers subscribed to marketing)"
                  name="sendsMessages"
                  checked={values.sendsMessages === "true"}
                  onChange={(v) => setValues((prev) => ({ ...prev, sendsMessages: v ? "true" : "false" }))}
                />
                {errors.sendsMessages && (
                  <Text as="p" tone="critical" variant="bodySm">
                    {errors.sendsMessages}
                  </Text>
                )}
              </>
            )}
            <Select
              label="Schedule"
              name="schedule"
              options={[...AUTOMATION_SCHEDULE_OPTIONS]}
              value={values.schedule}
              onChange={(v) => setValues((prev) => ({ ...prev, schedule: v }))}
              error={errors.schedule}
            />
          </FormLayout>
          {data.bundle && (
            <Text as="p" variant="bodySm" tone="subdued">
              Bundle: buy {data.bundle.a?.title ?? "—"}, get {data.bundle.b?.title ?? "—"} at the discount (the shop’s
              strongest bought-together pair).
            </Text>
          )}
          <Text as="p" variant="bodySm" tone="subdued">
            Codes are single-use, only for that customer, expire after {data.preview.resolved.codeExpiryDays} days and
            combine with no other discount. Nobody gets two offers within {data.preview.resolved.suppressionDays} days.
          </Text>
          <InlineStack gap="200">
            <Button submit loading={busy}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function Runs({ data, money }: { data: Data; money: (m: number) => string }) {
  if (data.runs.length === 0) return null;
  const resultCell = (r: Data["runs"][number]) => {
    const m = r.result?.measurement;
    if (!m) return "—";
    if (!m.effect) return "not enough data yet";
    const t = m.effect.totalIncrementalMarginMinor;
    return `${money(t.estimate)} (${money(t.low)} to ${money(t.high)})${m.status === "INTERIM" ? " interim" : ""}`;
  };
  return (
    <Card padding="0">
      <Box padding="400">
        <Text as="h2" variant="headingMd">
          Runs
        </Text>
      </Box>
      <Divider />
      <DataTable
        columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric", "text"]}
        headings={["Started", "Status", "Codes issued", "Held out", "Failed", "Expected cost", "Incremental margin"]}
        rows={data.runs.map((r) => [
          formatDateTime(r.startedAt),
          r.error && r.status !== "COMPLETED" ? `${r.status.toLowerCase()}: ${r.error}` : r.status.toLowerCase(),
          formatNumber(
            (r.counts.ISSUED ?? 0) + (r.counts.REDEEMED ?? 0) + (r.counts.CLEANED ?? 0) + (r.counts.WRITTEN ?? 0),
          ),
          formatNumber(r.counts.HOLDOUT ?? 0),
          formatNumber(r.counts.FAILED ?? 0),
          money(Number(r.summary.expectedCostMinor ?? 0)),
          resultCell(r),
        ])}
      />
    </Card>
  );
}

function WritebackSummary({ data }: { data: Data }) {
  const last = data.runs[0];
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Segment write-back
        </Text>
        <Text as="p" tone="subdued">
          {last
            ? `Last run ${formatDateTime(last.startedAt)}: ${formatNumber(last.counts.WRITTEN ?? 0)} customers updated${last.counts.FAILED ? `, ${last.counts.FAILED} failed` : ""}.`
            : "Not run yet."}{" "}
          No discount and no holdout: this only tags customers so Shopify’s own tools can use the segments.
        </Text>
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Automation" />;
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
