import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { formatNumber } from "../format";
import { SyncStatus, type SyncRow } from "../SyncStatus";

/** The home page's "Store data" card once data is in: synced counts and each resource's last sync. */
export function StoreDataSummary({
  counts,
  sync,
}: {
  counts: { products: number; customers: number; orders: number };
  sync: SyncRow[];
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            Store data
          </Text>
          <Link to="/app/settings#sync">Sync now</Link>
        </InlineStack>
        <InlineGrid columns={3} gap="300">
          <Count label="Products" id="products" value={counts.products} />
          <Count label="Customers" id="customers" value={counts.customers} />
          <Count label="Orders" id="orders" value={counts.orders} />
        </InlineGrid>
        <SyncStatus rows={sync} />
      </BlockStack>
    </Card>
  );
}

function Count({ label, id, value }: { label: string; id: string; value: number }) {
  return (
    <BlockStack gap="050">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="headingLg" id={`count-${id}`}>
        {formatNumber(value)}
      </Text>
    </BlockStack>
  );
}
