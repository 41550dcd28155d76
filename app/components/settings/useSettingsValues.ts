import { useEffect, useRef, useState } from "react";
import type { FieldErrors } from "../../forms/fields";
import type { SettingsFormValues } from "../../forms/settings";

/** The props a settings TextField takes for one form field. */
export type SettingsField = (name: keyof SettingsFormValues) => {
  id: string;
  name: string;
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
  autoComplete: string;
};

/**
 * The settings form's input state. `stored` is what the loader read; `failed` is what a failed
 * save echoes back (what was typed), null otherwise.
 */
export function useSettingsValues(
  stored: SettingsFormValues,
  failed: SettingsFormValues | null,
  errors: FieldErrors<keyof SettingsFormValues>,
) {
  const [values, setValues] = useState<SettingsFormValues>(stored);
  // Reset the inputs only when the stored settings change (a successful save) or a save fails
  // (show what was typed): background revalidations while a sync runs must not wipe edits.
  const storedJson = JSON.stringify(stored);
  // Only fields the merchant has not edited since the last load take the new stored value, so a
  // revalidation that lands just after a save cannot overwrite what was typed meanwhile.
  const lastStored = useRef<SettingsFormValues>(stored);
  useEffect(() => {
    const next = JSON.parse(storedJson) as SettingsFormValues;
    const previous = lastStored.current;
    lastStored.current = next;
    setValues((current) => {
      const merged = { ...current };
      for (const key of Object.keys(next) as (keyof SettingsFormValues)[]) {
        if (current[key] === previous[key]) merged[key] = next[key];
      }
      return merged;
    });
  }, [storedJson]);
  useEffect(() => {
    if (failed) setValues(failed);
  }, [failed]);
  const setValue = (name: keyof SettingsFormValues, value: string) => setValues((prev) => ({ ...prev, [name]: value }));
  const field: SettingsField = (name) => ({
    id: name,
    name,
    value: values[name],
    onChange: (v: string) => setValue(name, v),
    error: errors[name],
    autoComplete: "off",
  });
  return { values, field, setValue };
}
