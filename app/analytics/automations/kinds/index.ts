import type { AutomationType } from "../types";
import { bundleOffer, BundleRules } from "./bundle-offer";
import type { EngineKind } from "./kind";
import { secondPurchase, SecondPurchaseRules } from "./second-purchase";
import { segmentWriteback } from "./segment-writeback";
import { vipReward, VipRules } from "./vip-reward";
import { winBack, WinBackRules } from "./win-back";

export type { EngineKind } from "./kind";

/**
 * Every automation kind's engine side, one entry per `AutomationType` (the Record type makes a
 * missing kind a compile error). A new kind: its own file here, one line in each map below, and
 * one entry in app/services/automations/kinds.ts (docs/decisions.md D23).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one map over kinds whose rule types differ; each file types its own rules.
export const ENGINE_KINDS: Record<AutomationType, EngineKind<any>> = {
  WIN_BACK: winBack,
  VIP_REWARD: vipReward,
  SECOND_PURCHASE: secondPurchase,
  BUNDLE_OFFER: bundleOffer,
  SEGMENT_WRITEBACK: segmentWriteback,
};

/** `config.rules`: each kind's threshold schema under its `rulesKey` (stored JSON keeps this shape). */
export const RULE_SCHEMAS = {
  winBack: WinBackRules,
  vip: VipRules,
  secondPurchase: SecondPurchaseRules,
  bundle: BundleRules,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one map over kinds whose rule types differ; each file types its own rules.
export function engineKind(type: AutomationType): EngineKind<any> {
  return ENGINE_KINDS[type];
}
