import { useState } from "react";
import { BlockStack, Button, Collapsible, DataTable, InlineGrid, Text } from "@shopify/polaris";
import type { SelectionReport, TimingReport } from "~/analytics/customers";
import { formatDate, formatMetric, formatNumber, formatPercent } from "../format";

/** The candidates in words a merchant can read (D34); the metric names stay in the disclosure. */
const MODEL_WORDS: Record<string, string> = {
  bgnbd: "the classic repeat-purchase model (BG/NBD)",
  "logistic-rfm": "a regression on recency, order count, spend and tenure",
  tree: "a small decision tree",
  logistic: "a regression on purchase rhythm, trends, recent activity and season",
  gbm: "boosted decision trees on purchase rhythm, trends, recent activity and season",
  blend: "a blend of the regression and the boosted trees",
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function modelWords(model: string): string {
  return MODEL_WORDS[model] ?? model;
}

/**
 * Which propensity model this shop's own history chose, how well calibrated it is (predicted vs
 * actual by decile), the decision tree's segments, and how close the next-order dates came.
 */
export function ModelQuality({
  selection,
  nextOrder,
  horizonDays,
}: {
  selection: SelectionReport;
  nextOrder: (TimingReport & { evaluatedAt: string }) | null;
  horizonDays: number;
}) {
  const [open, setOpen] = useState(false);
  const chosen = selection.candidates.find((c) => c.model === selection.chosen);
  const best = selection.candidates.find((c) => c.model === selection.best);
  const simpler = selection.chosen !== selection.best;
  return (
    <BlockStack gap="400">
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Which model scores your customers
        </Text>
        <div data-testid="model-choice">
          <Text as="p">
            {`Scores come from ${modelWords(selection.chosen)}. Trained on orders up to ${formatDate(selection.trainedAt)} and checked on who ordered between ${formatDate(selection.evaluatedAt)} and ${formatDate(selection.windowEnd)}, it put a customer who did order above one who did not ${formatPercent(chosen?.auc ?? null)} of the time.`}
            {simpler && best
              ? ` ${capitalize(modelWords(selection.best))} did slightly better (${formatPercent(best.auc)}), but the difference is within what chance produces on your data, so the simpler model is used.`
              : ""}
          </Text>
        </div>
      </BlockStack>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Does &ldquo;30% chance&rdquo; mean 30%?
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            Customers split into ten equal groups by their predicted chance, next to the share that really ordered.
          </Text>
          <div data-testid="reliability-table">
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric"]}
              headings={["Group", "Customers", "Predicted", "Ordered"]}
              rows={selection.reliability.map((r) => [
                r.decile === 1 ? "1 (least likely)" : r.decile === 10 ? "10 (most likely)" : String(r.decile),
                formatNumber(r.customers),
                formatPercent(r.meanPredicted, 1),
                formatPercent(r.actualRate, 1),
              ])}
              increasedTableDensity
            />
          </div>
        </BlockStack>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Who comes back, in rules
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            A decision tree on your latest {selection.productionWindowDays} days: each rule and the share of those
            customers who ordered.
          </Text>
          <div data-testid="tree-segments">
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={["Customers who…", "Customers", "Ordered"]}
              rows={selection.segments.map((s) => [
                <span key="r" style={{ whiteSpace: "normal", display: "block", minWidth: 200 }}>
                  {s.rule}
                </span>,
                formatNumber(s.customers),
                formatPercent(s.rate),
              ])}
              increasedTableDensity
            />
          </div>
        </BlockStack>
      </InlineGrid>
      {nextOrder && nextOrder.maeDays !== null && (
        <div data-testid="next-order-check">
          <Text as="p">
            {`Next-order dates: for the ${formatNumber(nextOrder.buyers)} customers who ordered in the ${horizonDays} days after ${formatDate(nextOrder.evaluatedAt)}, the predicted date was off by ${Math.round(nextOrder.maeDays)} days on average, and ${formatPercent(nextOrder.coverage)} of them ordered inside the predicted 80% range.`}
          </Text>
        </div>
      )}
      <BlockStack gap="200">
        <div>
          <Button variant="plain" onClick={() => setOpen(!open)} ariaExpanded={open} ariaControls="model-metrics">
            {open ? "Hide the numbers behind the choice" : "Show the numbers behind the choice"}
          </Button>
        </div>
        <Collapsible id="model-metrics" open={open}>
          <BlockStack gap="200">
            <Text as="p" variant="bodySm" tone="subdued">
              {`AUC: 0.5 = guessing, 1 = perfect ranking; the range is a 90% bootstrap interval of how far each model is behind the best. The simplest model whose range reaches 0 is used. Brier (lower is better) after calibration. ${selection.calibration.kind === "isotonic" ? "Calibration: isotonic." : "Calibration: Platt scaling."}`}
            </Text>
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric", "text"]}
              headings={["Model", "AUC", "PR-AUC", "Brier", "Behind the best (90%)"]}
              rows={selection.candidates.map((c) => [
                `${c.model === selection.chosen ? "✓ " : ""}${c.description}`,
                formatMetric(c.auc),
                formatMetric(c.prAuc),
                formatMetric(c.brier),
                c.model === selection.best
                  ? "best"
                  : `${formatMetric(c.vsBest.mean)} [${formatMetric(c.vsBest.lo)}, ${formatMetric(c.vsBest.hi)}]`,
              ])}
              increasedTableDensity
            />
          </BlockStack>
        </Collapsible>
      </BlockStack>
    </BlockStack>
  );
}
