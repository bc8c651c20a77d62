import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireAdmin } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/dates";
import { ConflictError } from "~/lib/domain-errors.server";
import { intentOf, readForm } from "~/lib/forms.server";
import { centsToDecimal, formatCents } from "~/lib/money";
import { CONDITION_LABELS, OFFER_STATUS_LABELS, OFFER_STATUSES } from "~/lib/offer-options";
import { idField, priceField, wholeNumberField } from "~/lib/validation";
import { acceptOffer, listOffersForReview, rejectOffer } from "~/services/offers.server";

export const meta: MetaFunction = () => [{ title: "Offers — Admin — Bookstore" }];

const acceptSchema = z.object({
  offerId: idField,
  acceptedPriceCents: priceField,
  shelfPriceCents: priceField.optional(),
  genre: z.string().trim().min(1).max(64).optional(),
  publishedYear: wholeNumberField("the year", 1, new Date().getUTCFullYear() + 1).optional(),
  description: z.string().trim().max(5000).optional(),
  note: z.string().trim().max(500).optional(),
});
const rejectSchema = z.object({
  offerId: idField,
  reason: z
    .string({ required_error: "Give the seller a reason." })
    .trim()
    .min(3, "Give the seller a reason.")
    .max(500, "Use at most 500 characters."),
});

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  const wanted = new URL(args.request.url).searchParams.get("status");
  const status =
    wanted === "all" || OFFER_STATUSES.includes(wanted as never) ? (wanted as "all") : "pending";
  const notice = new URL(args.request.url).searchParams.get("notice");
  return { status, offers: await listOffersForReview(args.context.db, status), notice };
}

export async function action(args: ActionFunctionArgs) {
  const admin = await requireAdmin(args);
  const form = await readForm(args.request);
  const intent = intentOf(form, ["accept", "reject"] as const);
  const errorFor = (offerId: string | null, message: string, status = 400) =>
    data({ offerId, message }, { status });

  try {
    if (intent === "reject") {
      const submission = parseWithZod(form, { schema: rejectSchema });
      if (submission.status !== "success")
        return errorFor(form.get("offerId"), firstError(submission.error));
      await rejectOffer(args.context.db, admin, submission.value.offerId, submission.value.reason);
      return redirect("/admin/offers?notice=rejected");
    }
    const submission = parseWithZod(form, { schema: acceptSchema });
    if (submission.status !== "success")
      return errorFor(form.get("offerId"), firstError(submission.error));
    const {
      offerId,
      acceptedPriceCents,
      shelfPriceCents,
      genre,
      publishedYear,
      description,
      note,
    } = submission.value;
    await acceptOffer(args.context.db, admin, offerId, {
      acceptedPriceCents,
      note,
      newBook:
        shelfPriceCents !== undefined && genre && publishedYear
          ? { priceCents: shelfPriceCents, genre, publishedYear, description: description ?? "" }
          : undefined,
    });
    return redirect("/admin/offers?notice=accepted");
  } catch (error) {
    if (error instanceof ConflictError) return errorFor(form.get("offerId"), error.message, 409);
    throw error;
  }
}

function firstError(error: Record<string, string[] | null> | null | undefined): string {
  return Object.values(error ?? {}).flatMap((messages) => messages ?? [])[0] ?? "Check the form.";
}

export default function AdminOffers() {
  const { status, offers, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="admin-offers-title">
      <h1 id="admin-offers-title">Offers from customers</h1>
      {notice === "accepted" || notice === "rejected" ? (
        <p className="notice" role="status">
          The offer was {notice}.
        </p>
      ) : null}
      <form method="get" action="/admin/offers" className="filters" aria-label="Filter offers">
        <div className="field">
          <label htmlFor="offer-status">Show</label>
          <select id="offer-status" name="status" defaultValue={status}>
            {OFFER_STATUSES.map((value) => (
              <option key={value} value={value}>
                {OFFER_STATUS_LABELS[value]}
              </option>
            ))}
            <option value="all">All</option>
          </select>
        </div>
        <button type="submit">Apply</button>
      </form>
      {actionData &&
      !offers.some(
        (offer) => String(offer.id) === actionData.offerId && offer.status === "pending",
      ) ? (
        // The offer is no longer listed here (decided meanwhile): say why up top.
        <p className="form-errors" role="alert">
          {actionData.message}
        </p>
      ) : null}
      {offers.length === 0 ? <p>No offers here.</p> : null}
      {offers.map((offer) => {
        const error =
          actionData && actionData.offerId === String(offer.id) ? actionData.message : null;
        const errorId = `offer-${offer.id}-error`;
        return (
          <article key={offer.id} className="offer" aria-labelledby={`offer-${offer.id}-title`}>
            <h2 id={`offer-${offer.id}-title`}>
              {offer.title} <span className="muted">by {offer.author}</span>
            </h2>
            <p>
              ISBN {offer.isbn} · {CONDITION_LABELS[offer.condition]} · asking{" "}
              {formatCents(offer.askingPriceCents)} · from {offer.sellerEmail} ·{" "}
              {formatDateTime(offer.createdAt)} · {OFFER_STATUS_LABELS[offer.status]}
              {offer.catalogBookId ? (
                <>
                  {" "}
                  · in the catalog as{" "}
                  <a href={`/admin/books/${offer.catalogBookId}`}>{offer.catalogTitle}</a>
                </>
              ) : (
                " · not in the catalog yet"
              )}
            </p>
            {offer.photoPath ? (
              <img
                src={`/uploads/${offer.photoPath}`}
                alt={`The offered copy of ${offer.title}`}
                width={120}
              />
            ) : null}
            {offer.status === "pending" ? (
              <div className="offer__decide">
                {error ? (
                  <p id={errorId} className="form-errors" role="alert">
                    {error}
                  </p>
                ) : null}
                <Form method="post" className="stacked-form" aria-label={`Accept ${offer.title}`}>
                  <input type="hidden" name="offerId" value={offer.id} />
                  <div className="field">
                    <label htmlFor={`pay-${offer.id}`}>Price we pay (USD)</label>
                    <input
                      id={`pay-${offer.id}`}
                      name="acceptedPriceCents"
                      defaultValue={centsToDecimal(offer.askingPriceCents)}
                      inputMode="decimal"
                      required
                      aria-describedby={error ? errorId : undefined}
                    />
                  </div>
                  {offer.catalogBookId ? null : (
                    <fieldset>
                      <legend>The new book in the catalog</legend>
                      <div className="field">
                        <label htmlFor={`shelf-${offer.id}`}>Shelf price (USD)</label>
                        <input
                          id={`shelf-${offer.id}`}
                          name="shelfPriceCents"
                          inputMode="decimal"
                          required
                        />
                      </div>
                      <div className="field">
                        <label htmlFor={`genre-${offer.id}`}>Genre</label>
                        <input id={`genre-${offer.id}`} name="genre" required maxLength={64} />
                      </div>
                      <div className="field">
                        <label htmlFor={`year-${offer.id}`}>Year first published</label>
                        <input
                          id={`year-${offer.id}`}
                          name="publishedYear"
                          inputMode="numeric"
                          required
                        />
                      </div>
                      <div className="field">
                        <label htmlFor={`description-${offer.id}`}>Description</label>
                        <textarea
                          id={`description-${offer.id}`}
                          name="description"
                          rows={3}
                          maxLength={5000}
                        />
                      </div>
                    </fieldset>
                  )}
                  <button type="submit" name="intent" value="accept" className="button--primary">
                    Accept offer
                  </button>
                </Form>
                <Form method="post" className="stacked-form" aria-label={`Reject ${offer.title}`}>
                  <input type="hidden" name="offerId" value={offer.id} />
                  <div className="field">
                    <label htmlFor={`reason-${offer.id}`}>Reason for declining</label>
                    <input id={`reason-${offer.id}`} name="reason" required maxLength={500} />
                  </div>
                  <button type="submit" name="intent" value="reject">
                    Reject offer
                  </button>
                </Form>
              </div>
            ) : offer.decisionNote ? (
              <p>Note: {offer.decisionNote}</p>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
