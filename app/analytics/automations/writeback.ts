/**
 * Segment → Shopify write-back: the tags and metafield values that let Shopify Segments, Flow and
 * Shopify Email act on our segments. Tags carry a fixed prefix so we only ever remove our own.
 */
import { slugify } from "../slug";

export const SEGMENT_TAG_PREFIX = "gp-segment-";
export const CHURN_TAG_PREFIX = "gp-churn-";

export type ChurnBand = "low" | "medium" | "high";

/** Churn risk → band; the cut-offs match how the admin colours churn risk. */
export function churnBand(churnRisk: number): ChurnBand {
  if (churnRisk >= 0.6) return "high";
  if (churnRisk >= 0.3) return "medium";
  return "low";
}

export interface WritebackChange {
  add: string[];
  remove: string[];
  segment: string;
  band: ChurnBand;
}

/** Tags to add and remove so the customer carries exactly one segment and one churn tag of ours. */
export function writebackTags(currentTags: readonly string[], segment: string, churnRisk: number): WritebackChange {
  const band = churnBand(churnRisk);
  const wanted = [`${SEGMENT_TAG_PREFIX}${slugify(segment)}`, `${CHURN_TAG_PREFIX}${band}`];
  const lower = new Set(currentTags.map((t) => t.toLowerCase()));
  const add = wanted.filter((t) => !lower.has(t));
  const remove = currentTags.filter((t) => {
    const l = t.toLowerCase();
    return (l.startsWith(SEGMENT_TAG_PREFIX) || l.startsWith(CHURN_TAG_PREFIX)) && !wanted.includes(l);
  });
  return { add, remove, segment, band };
}
