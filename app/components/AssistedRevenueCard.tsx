import { BlockStack, Box, Card, Divider, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import type { AssistedRevenueView } from "../services/storefront/assisted-revenue.server";
import { formatDateRange, formatMoney, formatNumber, formatPercent } from "./format";

/** "Recommendation-assisted revenue": window, basis in plain words, total and share, per-block rows (one section per currency). */
export function AssistedRevenueCard({ view }: { view: AssistedRevenueView }) {
  const window = `last ${view.days} days, ${formatDateRange(view.from, view.to)}`;
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Recommendation-assisted revenue
          </Text>
          <Text as="p" variant="bodySm" tone="subdued" id="assisted-window">
            {window[0].toUpperCase() + window.slice(1)}
          </Text>
        </BlockStack>
        {view.currencies.length === 0 ? (
          <BlockStack gap="100" id="assisted-empty">
            <Text as="p">No orders credited to recommendations yet.</Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {/* Block names as the theme editor lists them (extensions/growthpilot-recs/locales/en.default.schema.json). */}
              An order counts once a customer adds a product to the cart from a Growthpilot block, or buys a product
              they clicked in one. Add the blocks to your theme (Online Store → Themes → Customize → Add block → Apps:
              Bought together, You may also like, Complete your order, Recommended for you, Cart drawer recs).
            </Text>
          </BlockStack>
        ) : (
          view.currencies.map((c, i) => (
            <BlockStack key={c.currencyCode} gap="300">
              {i > 0 && <Divider borderWidth="050" />}
              <CurrencySection c={c} />
            </BlockStack>
          ))
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          {view.basis}
        </Text>
      </BlockStack>
    </Card>
  );
}

function CurrencySection({ c }: { c: AssistedRevenueView["currencies"][number] }) {
  const money = (minor: number) => formatMoney(minor, c.currencyCode);
  // Totals left, per-block rows right on wide screens (rows stay short enough to read across); stacked on phones.
  return (
    <div data-currency={c.currencyCode}>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <InlineGrid columns={2} gap="300">
          <BlockStack gap="050">
            <Text as="span" variant="bodySm" tone="subdued">
              Assisted revenue ({c.currencyCode})
            </Text>
            <Text as="p" variant="headingXl" id={`assisted-revenue-${c.currencyCode}`}>
              {money(c.assistedRevenueMinor)}
            </Text>
          </BlockStack>
          <BlockStack gap="050">
            <Text as="span" variant="bodySm" tone="subdued">
              Share of revenue
            </Text>
            <Text as="p" variant="headingXl" id={`assisted-share-${c.currencyCode}`}>
              {formatPercent(c.share)}
            </Text>
            <Text as="span" variant="bodySm" tone="subdued">
              of {money(c.revenueMinor)} product sales; {formatNumber(c.assistedOrders)} of {formatNumber(c.orders)}{" "}
              orders credited
            </Text>
          </BlockStack>
        </InlineGrid>
        <Box as="section" aria-label={`Assisted revenue by block (${c.currencyCode})`}>
          <BlockStack gap="150">
            <Text as="h3" variant="headingSm">
              By block
            </Text>
            {c.blocks.map((b) => (
              <InlineStack key={b.id} align="space-between" blockAlign="center" gap="200" wrap={false}>
                <Text as="span" variant="bodyMd">
                  {b.name}
                </Text>
                <span data-block={b.id}>
                  <Text as="span" variant="bodyMd" fontWeight="semibold" numeric>
                    {money(b.revenueMinor)}
                  </Text>
                </span>
              </InlineStack>
            ))}
          </BlockStack>
        </Box>
      </InlineGrid>
    </div>
  );
}
