import type { AutomationType } from "../../analytics/automations";

/**
 * The app side of every automation kind (D23): how it is named, coded and tagged in Shopify,
 * and which settings form it uses. The engine side (qualifier, rules, defaults, priority) is
 * app/analytics/automations/kinds/<kind>.ts, keyed by the same type; the analytics layer cannot
 * import this file. No server imports here, so routes can read it too.
 */
export interface AppKind {
  /** The one label of the kind: admin lists, page subtitle, default name, discount titles. */
  label: string;
  /** Prefix of every code the kind issues (`GPWB-…`): tells a merchant where a code came from. */
  codePrefix: string;
  /** Customer tag the kind adds next to the generic `gp-offer` (Flow segments can use either). */
  tag: string;
  /** `?template=` slug the home page's "Do this now" links use to preselect the kind, if any. */
  templateSlug: string | null;
  /** What the discount applies to, in the offer text customers read ("15% off your next order"). */
  offerTarget: string;
  /** Help text under the form's discount field: what the percentage is taken off. */
  discountHelp: string;
  /** Settings form: offers get discount/holdout/budgets; write-back only name and schedule. */
  form: "offer" | "writeback";
}

const WHOLE_ORDER_HELP = "Off the whole order";

export const APP_KINDS: Record<AutomationType, AppKind> = {
  WIN_BACK: {
    label: "Win-back",
    codePrefix: "GPWB",
    tag: "gp-offer-winback",
    templateSlug: "win-back",
    offerTarget: "your next order",
    discountHelp: WHOLE_ORDER_HELP,
    form: "offer",
  },
  VIP_REWARD: {
    label: "VIP reward",
    codePrefix: "GPVIP",
    tag: "gp-offer-vip",
    templateSlug: "vip",
    offerTarget: "your next order",
    discountHelp: WHOLE_ORDER_HELP,
    form: "offer",
  },
  SECOND_PURCHASE: {
    label: "Second-purchase nudge",
    codePrefix: "GPNX",
    tag: "gp-offer-second-purchase",
    templateSlug: "second-order",
    offerTarget: "your next order",
    discountHelp: WHOLE_ORDER_HELP,
    form: "offer",
  },
  BUNDLE_OFFER: {
    label: "Bundle offer",
    codePrefix: "GPBD",
    tag: "gp-offer-bundle",
    templateSlug: "bundle",
    offerTarget: "the bundle item",
    discountHelp: "Off the second product when bought with the first",
    form: "offer",
  },
  SEGMENT_WRITEBACK: {
    label: "Segment → Shopify write-back",
    codePrefix: "GPSEG",
    tag: "gp-segment",
    templateSlug: null,
    offerTarget: "",
    discountHelp: "",
    form: "writeback",
  },
};

export function appKind(type: AutomationType): AppKind {
  return APP_KINDS[type];
}

/** The kind a `?template=` slug names, or null. */
export function kindForTemplate(slug: string | null): AutomationType | null {
  const hit = (Object.entries(APP_KINDS) as [AutomationType, AppKind][]).find(
    ([, k]) => k.templateSlug !== null && k.templateSlug === slug,
  );
  return hit ? hit[0] : null;
}
