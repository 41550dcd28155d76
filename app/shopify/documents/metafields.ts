import { gql } from "graphql-request";

/**
 * App-owned metafields that carry precomputed recommendations to the storefront. The namespace
 * "$app" is Shopify's reserved prefix: the API stores it as `app--<app id>`, only this app can
 * write it, and the theme app extension reads it as `product.metafields['$app'].bought_together`.
 * Liquid can only read it when a definition grants `storefront: PUBLIC_READ`.
 */

export const METAFIELD_DEFINITION_CREATE = gql`
  mutation GrowthpilotMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
        id
        namespace
        key
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/**
 * metafieldsSet accepts at most 25 inputs per call and is atomic
 * (https://shopify.dev/docs/api/admin-graphql/latest/mutations/metafieldsSet).
 */
export const METAFIELDS_SET_MAX_INPUTS = 25;

/** At most {@link METAFIELDS_SET_MAX_INPUTS} metafields per call; the call is atomic. */
export const METAFIELDS_SET = gql`
  mutation GrowthpilotMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        key
        namespace
        owner {
          ... on Node {
            id
          }
        }
      }
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
`;

/** Removes metafields of subjects that no longer have recommendations (tombstones). */
export const METAFIELDS_DELETE = gql`
  mutation GrowthpilotMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        key
        namespace
        ownerId
      }
      userErrors {
        field
        message
      }
    }
  }
`;
