import { gql } from "graphql-request";

/**
 * Webhook subscriptions. In production Shopify creates them from shopify.app.toml; the demo
 * registers the same topics on the stand-in with this mutation (shop-specific subscriptions).
 */
export const WEBHOOK_SUBSCRIPTION_CREATE = gql`
  mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $uri: String!) {
    webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) {
      webhookSubscription {
        id
        topic
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const WEBHOOK_SUBSCRIPTIONS = gql`
  query WebhookSubscriptions($after: String) {
    webhookSubscriptions(first: 100, after: $after) {
      nodes {
        id
        topic
        uri
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const SHOP_INFO = gql`
  query ShopInfo {
    shop {
      name
      currencyCode
      ianaTimezone
      myshopifyDomain
      plan {
        publicDisplayName
      }
    }
  }
`;
