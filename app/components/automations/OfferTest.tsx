import { Badge, Banner, BlockStack, Card, DataTable, InlineStack, List, Text } from "@shopify/polaris";
import { formatDate, formatMoney, formatNumber, formatPercent } from "../format";
import type { AutomationPageData as Data } from "./types";

/**
 * An offer test (issue #18, D39): the arms, what to offer per segment in plain words, every arm
 * against the holdout with intervals, and how the split between arms learned run by run.
 */

type OfferTestData = NonNullable<Data["offerTest"]>;
type Rec = NonNullable<OfferTestData["results"]>["recommendation"]["overall"];
type Money = (minor: number) => string;

export function armLabel(arm: { kind: string; value: number }, currency: string): string {
  return arm.kind === "PERCENTAGE"
    ? `${Math.round(arm.value * 1000) / 10}% off`
    : `${formatMoney(arm.value, currency, { cents: true })} off`;
}

/** "At risk customers: 15% off earns $4.10 more margin per customer than 10% off (90% interval $1.20–$7.00); 20% off costs more than it brings." */
export function recommendationText(r: Rec, level: number, label: (key: string) => string, money: Money): string {
  const who = r.segment ? `${r.segment} customers` : "All customers";
  if (!r.best || !r.runnerUp) return `${who}: not enough data yet (${r.notEnough ?? "no arm measured"}).`;
  const d = r.runnerUp.marginDifference;
  const range = `${Math.round(level * 100)}% interval ${money(d.low)} to ${money(d.high)}`;
  const lead = r.clear
    ? `${label(r.best)} earns ${money(d.estimate)} more margin per customer than ${label(r.runnerUp.arm)} (${range})`
    : `${label(r.best)} leads ${label(r.runnerUp.arm)} by ${money(d.estimate)} margin per customer so far (${range}): not clear yet, the test keeps learning`;
  const losing = r.losing.filter((k) => k !== r.best).map(label);
  const tail = losing.length
    ? `; ${losing.join(" and ")} ${losing.length > 1 ? "cost" : "costs"} more than ${losing.length > 1 ? "they bring" : "it brings"}`
    : "";
  const allLose = r.losing.includes(r.best) ? " Every arm loses margin against the holdout here." : "";
  return `${who}: ${lead}${tail}.${allLose}`;
}

export function OfferTest({ data }: { data: Data }) {
  const t = data.offerTest!;
  const cur = data.currency;
  const small = (minor: number) => formatMoney(minor, cur, { cents: "small" });
  const keyLabel = new Map(t.arms.map((a) => [a.key, armLabel(a, cur)]));
  for (const a of t.results?.arms ?? []) if (!keyLabel.has(a.key)) keyLabel.set(a.key, armLabel(a, cur));
  const label = (key: string) => keyLabel.get(key) ?? key;
  const r = t.results;
  const level = r?.comparison.level ?? 0.9;
  const iv = (i: { estimate: number; low: number; high: number }, f: (v: number) => string) =>
    `${f(i.estimate)} (${f(i.low)} to ${f(i.high)})`;
  const pp = (v: number) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)} pts`;
  const waiting = (r?.recommendation.bySegment ?? []).filter((x) => !x.best).map((x) => x.segment!);
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            Offer test
          </Text>
          <InlineStack gap="100">
            {t.arms.map((a) => (
              <Badge key={a.key}>{label(a.key)}</Badge>
            ))}
          </InlineStack>
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          Each run splits treated customers between the arms at random within segment × order-value band, after the
          holdout is drawn. From the second run on, more customers get the arms that earn more margin per customer (at
          least 5% keep each arm); the holdout share never shrinks. No arm is deeper than{" "}
          {formatPercent(t.maxDiscountShare)}.
        </Text>
        {r ? (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              What to offer
            </Text>
            <List>
              {[...r.recommendation.bySegment.filter((x) => x.best), r.recommendation.overall].map((rec) => (
                <List.Item key={rec.segment ?? "(all)"}>{recommendationText(rec, level, label, small)}</List.Item>
              ))}
            </List>
            {waiting.length > 0 && (
              <Text as="p" variant="bodySm" tone="subdued">
                Not enough data yet per segment for {waiting.join(", ")}: they follow the pooled answer until they have
                their own.
              </Text>
            )}
          </BlockStack>
        ) : (
          <Banner tone="info">No results per arm yet: run the automation, then results appear as customers buy.</Banner>
        )}
        {r && (
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "text", "text", "text", "text"]}
            headings={[
              "Arm",
              "Customers",
              "Bought",
              "Conversion lift",
              "Revenue lift / customer",
              "Extra discount / customer",
              "Incremental margin / customer",
            ]}
            rows={[
              ...r.comparison.arms.map((a) => [
                label(a.arm),
                formatNumber(a.summary.customers),
                formatPercent(a.summary.conversionRate, 1),
                a.effect ? iv(a.effect.conversionLift, pp) : "Not enough data yet",
                a.effect ? iv(a.effect.revenuePerCustomerMinor, small) : "—",
                a.effect ? iv(a.effect.discountPerCustomerMinor, small) : small(a.summary.discountPerCustomerMinor),
                a.effect ? iv(a.effect.marginPerCustomerMinor, small) : (a.notEnough ?? "—"),
              ]),
              [
                "Holdout",
                formatNumber(r.comparison.holdout.customers),
                formatPercent(r.comparison.holdout.conversionRate, 1),
                "—",
                "—",
                "—",
                "—",
              ],
            ]}
          />
        )}
        {r && (
          <Text as="p" variant="bodySm" tone="subdued">
            Lifts are against the holdout with {Math.round(level * 100)}% intervals; customers are weighted by how
            likely their arm was, because the split changes between runs and segments. Margin is after the discount; it
            uses variant cost for {formatPercent(data.knownCostShare)} of order lines and assumes your margin setting
            for the rest.
          </Text>
        )}
        {t.history.length > 0 && (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              How the split learned
            </Text>
            <DataTable
              columnContentTypes={["text", "text", "text"]}
              headings={["Run", "Treated per arm", "Split"]}
              rows={t.history.map((h) => {
                const total = h.arms.reduce((s, a) => s + a.treated, 0) || 1;
                return [
                  `${h.run} · ${formatDate(h.startedAt)}`,
                  h.arms
                    .map((a) => `${label(a.key)}: ${formatNumber(a.treated)} (${formatPercent(a.treated / total)})`)
                    .join(" · "),
                  h.source === "learned" ? "learned" : "equal (first run)",
                ];
              })}
            />
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
