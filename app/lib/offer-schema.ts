/** The sell form's fields, shared by the browser and the server. */
import { z } from "zod";
import { OFFER_CONDITIONS } from "./offer-options";
import { isbnField, priceField } from "./validation";

const text = (label: string, max: number) =>
  z
    .string({ required_error: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(max, `Use at most ${max} characters.`);

export const offerSchema = z.object({
  isbn: isbnField,
  title: text("title", 255),
  author: text("author", 255),
  condition: z.enum(OFFER_CONDITIONS, {
    errorMap: () => ({ message: "Choose the book's condition." }),
  }),
  askingPriceCents: priceField,
  /** The file itself is read by the server's upload reader; here it only needs a field. */
  photo: z.unknown().optional(),
});
