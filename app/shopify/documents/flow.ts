import { gql } from "graphql-request";

/**
 * Starts the workflows of the app's Flow trigger (extensions/growthpilot-offer-issued).
 * https://shopify.dev/docs/api/admin-graphql/latest/mutations/flowTriggerReceive — `handle` +
 * `payload` (the deprecated `body` argument is not used).
 */
export const FLOW_TRIGGER_RECEIVE = gql`
  mutation GrowthpilotFlowTriggerReceive($handle: String, $payload: JSON) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;
