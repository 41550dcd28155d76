import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { DataTable } from "../DataTable";
import { formatNumber, formatPercent } from "../format";
import { Kpi } from "./Kpi";
import type { AutomationPageData as Data, Money } from "./types";

/** Why customers who meet the rule are left out of a run (the planner's exclusion reasons). */
const EXCLUSION_LABELS: Record<string, string> = {
  suppressed: "had an offer (or were held out) recently",
  "no-marketing-consent": "not subscribed to marketing",
  "likely-buyer": "likely to buy anyway",
  unprofitable: "discount would exceed the order's margin",
  "over-max-customers": "over the customer limit",
  "over-budget": "over the budget cap",
};

/** Who would get the offer now, what it would cost, and "Approve and run". */
export function Preview({ data, money, busy }: { data: Data; money: Money; busy: boolean }) {
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
              <Kpi
                id="preview-qualifying"
                title="Qualify"
                value={formatNumber(p.plan.qualifying)}
                detail="meet the rule"
              />
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
