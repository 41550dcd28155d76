/** All resolvers by type name: records, admin objects, the query root and the mutation root. */
import { MUTATION_RESOLVERS } from "../../mutations/index.js";
import { ADMIN_RESOLVERS } from "./admin.js";
import { RECORD_RESOLVERS } from "./records.js";
import { ROOT_RESOLVERS } from "./root.js";
import type { ResolverMap } from "./types.js";

export const RESOLVERS: ResolverMap = {
  ...RECORD_RESOLVERS,
  ...ADMIN_RESOLVERS,
  ...ROOT_RESOLVERS,
  Mutation: MUTATION_RESOLVERS,
};
