/**
 * Form pieces that are accessible by construction: each field wires its
 * label, `aria-invalid` and `aria-describedby` (to its error text) from
 * conform's metadata, and keeps what the person typed after a failed
 * submission, with or without JavaScript.
 */
import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useFormAction, useNavigation } from "@remix-run/react";
import type { ComponentProps, ReactNode } from "react";

type InputType = Parameters<typeof getInputProps>[1]["type"];

export function Field({
  meta,
  label,
  type = "text",
  hint,
  inputProps = {},
}: {
  meta: FieldMetadata<unknown>;
  label: ReactNode;
  type?: Exclude<InputType, "checkbox" | "radio">;
  hint?: ReactNode;
  inputProps?: Omit<ComponentProps<"input">, "name" | "id" | "type">;
}) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const { key, ...props } = getInputProps(meta, { type, ariaDescribedBy: hintId });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      <input key={key} {...props} {...inputProps} />
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** Error messages, under the id that the field's `aria-describedby` points to. */
export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  const shown = errors?.filter(Boolean) ?? [];
  return (
    <div id={id} className="field-errors">
      {shown.length > 0 ? (
        <ul>
          {shown.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Errors about the whole form (not one field), announced when they appear. */
export function FormErrors({ id, errors }: { id?: string; errors?: string[] | null }) {
  const shown = errors?.filter(Boolean) ?? [];
  if (shown.length === 0) return <div id={id} />;
  return (
    <div id={id} className="form-errors" role="alert">
      {shown.map((error) => (
        <p key={error}>{error}</p>
      ))}
    </div>
  );
}

/**
 * True while this page's form posting to `formAction` (this route's action by
 * default) is being submitted: the one pending helper for buttons.
 */
export function useIsPending({
  formAction,
  intent,
}: { formAction?: string; intent?: string } = {}): boolean {
  const navigation = useNavigation();
  const ownAction = useFormAction();
  if (navigation.state === "idle" || !navigation.formMethod) return false;
  if (navigation.formAction !== (formAction ?? ownAction)) return false;
  return intent === undefined || navigation.formData?.get("intent") === intent;
}

/** A submit button that says what it is doing while its form is pending. */
export function SubmitButton({
  pending,
  pendingLabel,
  children,
  ...props
}: ComponentProps<"button"> & { pending: boolean; pendingLabel: string }) {
  return (
    <button type="submit" aria-disabled={pending || undefined} {...props}>
      {pending ? pendingLabel : children}
    </button>
  );
}
