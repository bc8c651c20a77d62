/** The book form's fields (admin create and edit), shared by the browser and the server. */
import { z } from "zod";
import { isbnField, priceField, wholeNumberField } from "./validation";

const text = (label: string, max: number) =>
  z
    .string({ required_error: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(max, `Use at most ${max} characters.`);

export const bookFields = {
  isbn: isbnField,
  title: text("title", 255),
  author: text("author", 255),
  description: z.string().trim().max(5000, "Use at most 5000 characters.").default(""),
  genre: text("genre", 64),
  publishedYear: wholeNumberField("the year", 1, new Date().getUTCFullYear() + 1),
  priceCents: priceField,
};

export const bookSchema = z.object(bookFields);
export const newBookSchema = z.object({
  ...bookFields,
  stock: wholeNumberField("the initial stock", 0, 1_000_000),
});
