import { gql } from "graphql-request";

/**
 * Customer tags written back from the admin's segments page ("tag these customers in Shopify"),
 * so the merchant can target a segment from Shopify Email, Flow or customer saved searches, and by
 * automations (Flow's "Customer tags added" trigger can send the offer email) — one document for both.
 * `tagsAdd` takes one resource per call and is idempotent (adding a tag twice is a no-op), so a
 * retried or resumed tagging run never duplicates anything.
 */
export const TAGS_ADD = gql`
  mutation GrowthpilotTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;
