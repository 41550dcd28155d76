import { z } from "zod";

/**
 * Building blocks of the admin forms. Each form is one zod schema in app/forms/, imported by the
 * page (field names, value types) and by the service that parses the submission, so the two can
 * never disagree about what a field is called or how it is encoded.
 *
 * Checkboxes are encoded explicitly: Polaris' `Checkbox` submits `value=""` when ticked and
 * nothing when unticked, so "absent" could mean "unticked" or "field not rendered". Every checkbox
 * is paired with a hidden input carrying "true" / "false" (see components/BooleanCheckbox.tsx),
 * and anything else — including a missing value — is a field error, never a silent `false`.
 */

export type FieldErrors<K extends string = string> = Partial<Record<K, string>>;

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

export const booleanField = (label: string) =>
  z
    .enum(["true", "false"], {
      errorMap: () => ({ message: `${label}: the form sent no yes/no value; reload the page and try again` }),
    })
    .transform((v) => v === "true");

export const numberField = (label: string, min: number, max: number, opts: { int?: boolean } = {}) =>
  z
    .string({ required_error: `${label} is required`, invalid_type_error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .refine((v) => Number.isFinite(Number(v)), `${label} must be a number`)
    .transform(Number)
    .pipe(
      z
        .number()
        .refine((v) => !opts.int || Number.isInteger(v), `${label} must be a whole number`)
        .refine((v) => v >= min, `${label} must be at least ${min}`)
        .refine((v) => v <= max, `${label} must be at most ${max}`),
    );

export const optionalNumberField = (label: string, min: number, max: number, opts: { int?: boolean } = {}) =>
  z.preprocess(blankToNull, numberField(label, min, max, opts).nullable());

/** A money amount typed in major units → minor units; blank = no cap. */
export const optionalMoneyField = (message: string) =>
  z.preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .transform(Number)
      .pipe(z.number({ invalid_type_error: message }).finite(message))
      .transform((v) => Math.round(v * 100))
      // "0.001" rounds to 0 minor units and "1e400" is Infinity: the cap must be a positive safe integer.
      .pipe(z.number().int().min(1, message).max(Number.MAX_SAFE_INTEGER, message))
      .nullable(),
  );

/** Percentages as the merchant reads them: 12.5, not 0.125 or 12.500000001. */
export const percentText = (share: number) => String(Math.round(share * 100 * 10_000) / 10_000);

export type ParsedForm<S extends z.ZodTypeAny> =
  | { ok: true; data: z.output<S> }
  | { ok: false; fieldErrors: FieldErrors<Extract<keyof z.input<S>, string>>; values: Record<string, string> };

/** Parses a submitted form with its schema: data, or one message per field plus what was typed. */
export function parseForm<S extends z.AnyZodObject>(schema: S, form: FormData): ParsedForm<S> {
  const values: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = form.get(key);
    if (typeof v === "string") values[key] = v;
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "form");
    fieldErrors[key] ??= issue.message;
  }
  return { ok: false, fieldErrors: fieldErrors as FieldErrors<Extract<keyof z.input<S>, string>>, values };
}
