/**
 * The one way an action reads a form: POST only, URL-encoded, a bounded body,
 * each field at most once; then conform parses it with the form's zod schema,
 * so a bad value comes back as a field error with the person's input kept
 * (`submission.reply()`), and a broken request as a 4xx, never a 500.
 */
import { parseWithZod } from "@conform-to/zod";
import { data } from "@remix-run/node";
import type { z } from "zod";

/** Our forms are a few short fields: 16 KiB is far more than any honest one needs. */
export const MAX_FORM_BYTES = 16 * 1024;

function refuse(status: number, message: string, headers?: Record<string, string>): never {
  throw data({ message }, { status, headers });
}

/**
 * A body refused for its size is not read to its end: the connection closes
 * after the answer, or the unread rest would be taken for the next request.
 */
const TOO_LARGE = ["That form is far larger than expected.", { Connection: "close" }] as const;

export async function readForm(
  request: Request,
  { maxBytes = MAX_FORM_BYTES }: { maxBytes?: number } = {},
): Promise<URLSearchParams> {
  if (request.method !== "POST") refuse(405, "This address only accepts forms sent with POST.");
  const type = request.headers.get("Content-Type")?.split(";")[0].trim().toLowerCase();
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  // A form without fields (a lone "Sign out" button) may arrive with no body at all.
  if (!type && declared === 0 && !request.headers.has("Transfer-Encoding")) {
    return new URLSearchParams();
  }
  if (type !== "application/x-www-form-urlencoded") {
    refuse(415, "Please send this form from the page it belongs to.");
  }
  if (declared > maxBytes) refuse(413, ...TOO_LARGE);

  const body = await readBounded(request, maxBytes);
  const form = new URLSearchParams(body);
  for (const name of new Set(form.keys())) {
    if (form.getAll(name).length > 1) refuse(400, "A field of this form was sent more than once.");
  }
  return form;
}

async function readBounded(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Stop reading, without cancelling: cancelling destroys the request, and with it
      // the connection, so the 413 could never be sent. The rest is left unread.
      reader.releaseLock();
      refuse(413, ...TOO_LARGE);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads the form and parses it with `schema`: the submission conform's `useForm` understands. */
export async function parseForm<Schema extends z.ZodTypeAny>(request: Request, schema: Schema) {
  return parseWithZod(await readForm(request), { schema });
}

/** An `intent` field picks which of a page's forms was sent. */
export function intentOf<T extends string>(form: URLSearchParams, intents: readonly T[]): T {
  const intent = form.get("intent");
  if (intent && (intents as readonly string[]).includes(intent)) return intent as T;
  return refuse(400, "This form asked for something we do not know how to do.");
}
