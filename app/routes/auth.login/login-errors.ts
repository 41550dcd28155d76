import { LoginErrorType, type LoginError } from "@shopify/shopify-app-remix/server";

/** The library's login error codes as words for the shop-domain field. */
export function loginErrorMessage(errors: LoginError): { shop?: string } {
  if (errors?.shop === LoginErrorType.MissingShop) return { shop: "Enter your shop domain to log in" };
  if (errors?.shop === LoginErrorType.InvalidShop)
    return { shop: "Enter a valid shop domain, e.g. my-shop.myshopify.com" };
  return {};
}
