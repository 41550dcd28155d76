import { gql } from "graphql-request";

/**
 * Documents of discount automations. One basic (or BXGY) code discount per treated customer:
 * only a discount — not an individual redeem code — can be restricted to customers
 * (`context.customers`, which replaced the deprecated `customerSelection`) and capped at one use
 * (`usageLimit` counts uses across *all* codes of a discount). See docs/automations.md.
 */

export const AUTOMATION_DISCOUNT_BASIC_CREATE = gql`
  mutation GrowthpilotAutomationDiscountBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeBasic {
            endsAt
            status
          }
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const AUTOMATION_DISCOUNT_BXGY_CREATE = gql`
  mutation GrowthpilotAutomationDiscountBxgyCreate($bxgyCodeDiscount: DiscountCodeBxgyInput!) {
    discountCodeBxgyCreate(bxgyCodeDiscount: $bxgyCodeDiscount) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeBxgy {
            endsAt
            status
          }
        }
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
 * Finds the discount behind a code. Used when a create answers "code taken": our codes are
 * deterministic per (run, customer), so the code is ours from an earlier attempt whose response
 * was lost (crash or timeout) and we adopt its discount instead of minting a second one.
 */
export const AUTOMATION_DISCOUNT_BY_CODE = gql`
  query GrowthpilotAutomationDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        ... on DiscountCodeBasic {
          title
          endsAt
        }
        ... on DiscountCodeBxgy {
          title
          endsAt
        }
      }
    }
  }
`;

/** Removes an expired, unused discount (and its code). */
export const AUTOMATION_DISCOUNT_DELETE = gql`
  mutation GrowthpilotAutomationDiscountDelete($id: ID!) {
    discountCodeDelete(id: $id) {
      deletedCodeDiscountId
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Adding tags and setting metafields use the shared TAGS_ADD (./tags) and METAFIELDS_SET (./metafields). */
export const AUTOMATION_TAGS_REMOVE = gql`
  mutation GrowthpilotAutomationTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
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

export const AUTOMATION_METAFIELDS_DELETE = gql`
  mutation GrowthpilotAutomationMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        key
        ownerId
      }
      userErrors {
        field
        message
      }
    }
  }
`;
