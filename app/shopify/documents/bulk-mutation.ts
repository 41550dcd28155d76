import { gql } from "graphql-request";

/**
 * Bulk mutations (shopify.dev "Bulk import data with the GraphQL Admin API",
 * https://shopify.dev/docs/api/usage/bulk-operations/imports): reserve an upload with
 * stagedUploadsCreate (resource BULK_MUTATION_VARIABLES, mimeType text/jsonl, POST), post the
 * JSONL of variables to the returned target, then start bulkOperationRunMutation with the
 * target's `key` parameter as `stagedUploadPath`. The operation is polled with
 * BULK_OPERATION_NODE_QUERY (documents/sync.ts) like a bulk query.
 */

export const STAGED_UPLOADS_CREATE = gql`
  mutation GrowthpilotStagedUploadsCreate($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets {
        url
        resourceUrl
        parameters {
          name
          value
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** `OPERATION_IN_PROGRESS` / `LIMIT_REACHED` userErrors when the shop's bulk mutation slots are taken. */
export const BULK_OPERATION_RUN_MUTATION = gql`
  mutation GrowthpilotBulkOperationRunMutation($mutation: String!, $stagedUploadPath: String!) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {
      bulkOperation {
        id
        status
        errorCode
        objectCount
        rootObjectCount
        url
        partialDataUrl
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
