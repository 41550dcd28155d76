import type { useLoaderData } from "@remix-run/react";
import type { getAutomationPage } from "../../admin/automations.server";

/** What the automation page's loader returns, as the components receive it (serialized). */
export type AutomationPageData = ReturnType<typeof useLoaderData<typeof getAutomationPage>>;

/** Formats minor units in the shop's currency. */
export type Money = (minor: number) => string;
