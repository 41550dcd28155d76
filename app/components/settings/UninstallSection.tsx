import { BlockStack, Card, Layout, List, Text } from "@shopify/polaris";

/** "If you uninstall": what happens to the merchant's data, and when (docs/shopify/lifecycle.md). */
export function UninstallSection() {
  return (
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
  );
}
