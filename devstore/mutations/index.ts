/** The Mutation root: every mutation the stand-in implements, by field name. */
import type { Resolver } from "../graphql/resolvers/types.js";
import { BULK_MUTATIONS } from "./bulk.js";
import { DEFINITION_MUTATIONS } from "./definitions.js";
import { DISCOUNT_MUTATIONS } from "./discounts.js";
import { FLOW_MUTATIONS } from "./flow.js";
import { METAFIELD_MUTATIONS } from "./metafields.js";
import { SEGMENT_MUTATIONS } from "./segments.js";
import { TAG_MUTATIONS } from "./tags.js";
import { WEBHOOK_SUBSCRIPTION_MUTATIONS } from "./webhook-subscriptions.js";

export { redeemCode } from "./discounts.js";

export const MUTATION_RESOLVERS: Record<string, Resolver> = {
  ...DISCOUNT_MUTATIONS,
  ...TAG_MUTATIONS,
  ...METAFIELD_MUTATIONS,
  ...WEBHOOK_SUBSCRIPTION_MUTATIONS,
  ...BULK_MUTATIONS,
  ...DEFINITION_MUTATIONS,
  ...FLOW_MUTATIONS,
  ...SEGMENT_MUTATIONS,
} as Record<string, Resolver>;
