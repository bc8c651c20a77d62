/** The admin's book form: the same fields to create a book and to edit one. */
import { getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { ErrorList, Field } from "./forms";

export function BookFields({
  fields,
  genres,
}: {
  fields: Record<
    "isbn" | "title" | "author" | "description" | "genre" | "publishedYear" | "priceCents",
    FieldMetadata<unknown>
  >;
  genres: string[];
}) {
  const { key, ...description } = getTextareaProps(fields.description);
  return (
    <>
      <Field meta={fields.isbn} label="ISBN" hint="ISBN-10 or ISBN-13; hyphens are fine." />
      <Field meta={fields.title} label="Title" />
      <Field meta={fields.author} label="Author" />
      <div className="field">
        <label htmlFor={fields.description.id}>Description</label>
        <textarea key={key} {...description} rows={6} />
        <ErrorList id={fields.description.errorId} errors={fields.description.errors} />
      </div>
      <Field meta={fields.genre} label="Genre" inputProps={{ list: "genres" }} />
      <datalist id="genres">
        {genres.map((genre) => (
          <option key={genre} value={genre} />
        ))}
      </datalist>
      <Field
        meta={fields.publishedYear}
        label="Year first published"
        inputProps={{ inputMode: "numeric" }}
      />
      <Field
        meta={fields.priceCents}
        label="Price (USD)"
        hint="For example 12.99."
        inputProps={{ inputMode: "decimal" }}
      />
    </>
  );
}
