/**
 * A book's cover, as staff change it: upload a JPEG, PNG or WebP image (it
 * becomes our own resized WebP, see app/lib/uploads.server.ts), or remove it
 * so shoppers see the generated one again. Works without JavaScript: a
 * multipart form posts, a refused file comes back as an error on the file
 * input, success goes back to the book's page.
 *
 * Two forms post here: the upload (multipart) and "Remove cover" (URL-encoded),
 * each with its `intent` (decision 015).
 */
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { coverUrl } from "~/components/book-card";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { requireAdmin } from "~/lib/auth.server";
import type { Db } from "~/lib/db.server";
import { NotFoundError } from "~/lib/domain-errors.server";
import { intentOf, readForm } from "~/lib/forms.server";
import type { Logger } from "~/lib/logger.server";
import { parseId } from "~/lib/params";
import {
  COVER_SIZE,
  discardBody,
  isMultipart,
  isUploadError,
  MAX_IMAGE_BYTES,
  readImageUpload,
  removeIfUnreferenced,
  storeImage,
} from "~/lib/uploads.server";
import { setBookCover } from "~/services/books.server";
import { findCoverInfo } from "~/services/catalog.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  {
    title: loaded
      ? `Cover of ${loaded.book.title} — Admin — Bookstore`
      : "Book not found — Admin — Bookstore",
  },
];

const COVER_FIELD = "cover";
const ACCEPTED_TYPES = "image/jpeg,image/png,image/webp";

function bookIdOf(value: string | undefined): number {
  const id = parseId(value);
  if (id === null) throw new NotFoundError("We could not find that book.");
  return id;
}

async function findBookCover(db: Db, id: number) {
  const book = await findCoverInfo(db, id);
  if (!book) throw new NotFoundError("We could not find that book.");
  return { id, ...book };
}

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  const book = await findBookCover(args.context.db, bookIdOf(args.params.bookId));
  // The limits travel with the data: uploads.server.ts never reaches the browser.
  const limits = { megabytes: MAX_IMAGE_BYTES / (1024 * 1024), ...COVER_SIZE };
  return { book, limits };
}

/**
 * Who is asking comes first, before any of the body is read: a guest is sent
 * to sign in, a customer gets 403, and nothing is written. An unknown book is
 * refused before its upload costs any work. The unread body is let go, so the
 * browser, still sending, receives the answer.
 */
async function authorize(args: ActionFunctionArgs) {
  try {
    const admin = await requireAdmin(args);
    const book = await findBookCover(args.context.db, bookIdOf(args.params.bookId));
    return { admin, book };
  } catch (error) {
    discardBody(args.request);
    throw error;
  }
}

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args;
  const { db, uploadsDir } = context;
  const { admin, book } = await authorize(args);
  const done = redirect(`/admin/books/${book.id}?notice=cover`);

  if (!isMultipart(request)) {
    intentOf(await readForm(request), ["remove"] as const);
    if (!book.coverPath) return done;
    const { previous } = await setBookCover(db, admin, book.id, null);
    await removeUnreferenced(db, uploadsDir, previous, context.logger);
    return done;
  }

  let image: Buffer;
  try {
    const upload = await readImageUpload(request, { field: COVER_FIELD, ...COVER_SIZE });
    intentOf(upload.fields, ["upload"] as const);
    image = upload.image!;
  } catch (error) {
    // A problem with the file shows on the file input; anything else is its 4xx page.
    if (!isUploadError(error) || error.field !== COVER_FIELD) throw error;
    const result: SubmissionResult<string[]> = {
      status: "error",
      error: { [COVER_FIELD]: [error.message] },
    };
    return data({ kind: "upload" as const, result }, { status: error.status });
  }

  const coverPath = await storeImage(uploadsDir, image, { folder: "covers" });
  let previous: string | null;
  try {
    ({ previous } = await setBookCover(db, admin, book.id, coverPath));
  } catch (error) {
    // The book went away meanwhile: do not leave its new file behind.
    await removeUnreferenced(db, uploadsDir, coverPath, context.logger);
    throw error;
  }
  if (previous !== coverPath) await removeUnreferenced(db, uploadsDir, previous, context.logger);
  return done;
}

/**
 * The change is committed by now; a file that could not be removed only costs
 * disk space, so it is logged rather than failing the admin's request.
 */
async function removeUnreferenced(db: Db, uploadsDir: string, file: string | null, logger: Logger) {
  try {
    await removeIfUnreferenced(db, uploadsDir, file);
  } catch (error) {
    logger.warn({ err: error, file }, "could not remove an unused upload");
  }
}

export default function AdminBookCover() {
  const { book, limits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "cover-upload",
    lastResult: actionData?.kind === "upload" ? actionData.result : undefined,
  });
  const uploading = useIsPending({ intent: "upload" });
  const removing = useIsPending({ intent: "remove" });

  return (
    <article aria-labelledby="cover-title" className="admin-cover">
      <h1 id="cover-title">Cover of “{book.title}”</h1>
      <p>
        <a href={`/admin/books/${book.id}`}>← Back to the book</a>
      </p>
      <figure>
        <img src={coverUrl(book)} alt={`Current cover of ${book.title}`} width={160} height={240} />
        <figcaption>
          {book.coverPath
            ? "The current cover."
            : "No cover uploaded yet: shoppers see a generated one."}
        </figcaption>
      </figure>

      <Form
        method="post"
        encType="multipart/form-data"
        {...getFormProps(form)}
        className="stacked-form"
      >
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          meta={fields[COVER_FIELD]}
          label="Cover image"
          type="file"
          hint={`A JPEG, PNG or WebP image of at most ${limits.megabytes} MB. It is resized to fit ${limits.width} × ${limits.height} pixels, and its metadata (such as where a photo was taken) is removed.`}
          inputProps={{ accept: ACCEPTED_TYPES, required: true }}
        />
        <SubmitButton
          name="intent"
          value="upload"
          pending={uploading}
          pendingLabel="Uploading…"
          className="button--primary"
        >
          Upload cover
        </SubmitButton>
      </Form>

      {book.coverPath ? (
        <Form method="post" className="inline-form">
          <SubmitButton
            name="intent"
            value="remove"
            pending={removing}
            pendingLabel="Removing…"
            className="button--danger"
          >
            Remove cover
          </SubmitButton>
        </Form>
      ) : null}
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary notFoundTitle="Book not found" />;
}
