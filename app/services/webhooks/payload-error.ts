/** A delivery the app refuses: the route answers {@link WebhookPayloadError.status} and nothing is written. */
export class WebhookPayloadError extends Error {
  constructor(
    message: string,
    /** HTTP status the route answers (400 malformed/unbound; 409 a shop/redact for an installed shop). */
    readonly status: 400 | 409 = 400,
  ) {
    super(message);
    this.name = "WebhookPayloadError";
  }
}
