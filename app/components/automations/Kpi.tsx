import { BlockStack, Box, Text } from "@shopify/polaris";

/** One headline number with its title and a line of detail (the automation page's tiles). */
export function Kpi({ title, value, detail, id }: { title: string; value: string; detail: string; id?: string }) {
  return (
    <Box padding="300" background="bg-surface-secondary" borderRadius="200">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {title}
        </Text>
        <Text as="p" variant="headingXl">
          <span data-testid={id}>{value}</span>
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {detail}
        </Text>
      </BlockStack>
    </Box>
  );
}
