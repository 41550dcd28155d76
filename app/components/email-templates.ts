/**
 * Ready-to-paste email per automation kind, for Shopify Email or Flow's "Send marketing email"
 * action started by the "Growthpilot offer issued" trigger. Placeholders are the trigger's
 * properties as Flow exposes them in Liquid (the TOML keys, camel-cased by Flow).
 */
export type TemplateLocale = "en" | "zh-CN";

interface Template {
  subject: string;
  preheader: string;
  body: string;
}

const PRODUCTS_EN = `Picked for you:
{% if growthpilotOfferIssued.productOneTitle %}- {{ growthpilotOfferIssued.productOneTitle }}: {{ growthpilotOfferIssued.productOneUrl }}{% endif %}
{% if growthpilotOfferIssued.productTwoTitle %}- {{ growthpilotOfferIssued.productTwoTitle }}: {{ growthpilotOfferIssued.productTwoUrl }}{% endif %}
{% if growthpilotOfferIssued.productThreeTitle %}- {{ growthpilotOfferIssued.productThreeTitle }}: {{ growthpilotOfferIssued.productThreeUrl }}{% endif %}`;
const PRODUCTS_ZH = PRODUCTS_EN.replace("Picked for you:", "为你精选：");
const CODE_EN = `Your personal code: {{ growthpilotOfferIssued.discountCode }} ({{ growthpilotOfferIssued.discountText }}), valid until {{ growthpilotOfferIssued.expiresAt | date: "%B %-d" }}. It works once, only for you.`;
const CODE_ZH = `你的专属优惠码：{{ growthpilotOfferIssued.discountCode }}（{{ growthpilotOfferIssued.discountText }}），有效期至 {{ growthpilotOfferIssued.expiresAt | date: "%Y-%m-%d" }}。仅限你本人使用一次。`;

const TEXT: Record<string, Record<TemplateLocale, [string, string, string]>> = {
  WIN_BACK: {
    en: [
      "We miss you, {{ customer.firstName }}",
      "A code just for you to come back",
      "It has been a while since your last order, so here is something to welcome you back.",
    ],
    "zh-CN": [
      "{{ customer.firstName }}，好久不见",
      "一份专属回归优惠",
      "距离你上次下单已经有一段时间了，送你一份欢迎回来的礼物。",
    ],
  },
  VIP_REWARD: {
    en: [
      "A thank-you for one of our best customers",
      "Your VIP reward is inside",
      "You are one of our most loyal customers. Thank you — this reward is yours.",
    ],
    "zh-CN": ["感谢你一直以来的支持", "你的 VIP 回馈在这里", "你是我们最忠实的顾客之一，这份回馈专属于你。"],
  },
  SECOND_PURCHASE: {
    en: [
      "Ready for your next order?",
      "A little something for round two",
      "Thanks for your first order! Here is a code for your next one.",
    ],
    "zh-CN": ["准备好下一单了吗？", "第二单的小惊喜", "感谢你的首次购买！下一单可以用这份优惠码。"],
  },
  BUNDLE_OFFER: {
    en: [
      "Complete the set",
      "A code for the perfect match",
      "Customers who bought what you bought love this pairing — the code below takes money off the second item.",
    ],
    "zh-CN": ["凑成一套吧", "完美搭配的专属优惠", "买过同款的顾客都爱这样搭配——下面的优惠码可用于第二件商品。"],
  },
};

export function emailTemplate(kind: string, locale: TemplateLocale): Template | null {
  const t = TEXT[kind]?.[locale];
  if (!t) return null;
  const [subject, preheader, intro] = t;
  return {
    subject,
    preheader,
    body: [intro, locale === "en" ? CODE_EN : CODE_ZH, locale === "en" ? PRODUCTS_EN : PRODUCTS_ZH].join("\n\n"),
  };
}
