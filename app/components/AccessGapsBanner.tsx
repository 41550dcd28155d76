import { Banner, BlockStack, List, Text } from "@shopify/polaris";

export interface AccessGapView {
  gap: string;
  title: string;
  impact: string;
  action: string;
}

/**
 * Says plainly what Shopify does not let the app read, what that costs, and exactly what must be
 * requested to fix it. Shown on the home page until a sync finds the access granted.
 */
export function AccessGapsBanner({ gaps }: { gaps: AccessGapView[] }) {
  if (gaps.length === 0) return null;
  return (
    <Banner tone="warning" title="Growthpilot is working with limited store data">
      <BlockStack gap="200">
        <List type="bullet">
          {gaps.map((g) => (
            <List.Item key={g.gap}>
              <span data-access-gap={g.gap}>
                <Text as="span" fontWeight="semibold">
                  {g.title}.
                </Text>{" "}
                {g.impact} <Text as="span">{g.action}</Text>
              </span>
            </List.Item>
          ))}
        </List>
      </BlockStack>
    </Banner>
  );
}
