import { Checkbox } from "@shopify/polaris";

/**
 * A Polaris Checkbox that always submits its state. Polaris renders `<input type="checkbox"
 * value="">`, so a ticked box posts "" and an unticked one posts nothing — a server cannot tell
 * "unticked" from "not sent". The visible checkbox has no name; the hidden input carries
 * "true" / "false", which the form's zod schema (app/forms/fields.ts `booleanField`) requires.
 */
export function BooleanCheckbox({
  name,
  label,
  checked,
  onChange,
  helpText,
}: {
  name: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  helpText?: string;
}) {
  return (
    <>
      <Checkbox label={label} checked={checked} onChange={onChange} helpText={helpText} />
      <input type="hidden" name={name} value={checked ? "true" : "false"} />
    </>
  );
}
