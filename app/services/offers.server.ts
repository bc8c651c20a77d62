/**
 * Customers offer books to the shop; staff curate. An offer is pending until
 * an admin accepts it (the book is created, or its stock goes up by one, with
 * a movement row, at the prices the admin sets) or rejects it with a reason.
 * Deciding is a conditional update on `status = 'pending'`, so two admins
 * deciding at once cannot both win.
 */
import { inTransaction, sqlTimestamp, type Db } from "~/lib/db.server";
import { ConflictError, NotFoundError } from "~/lib/domain-errors.server";
import { Book } from "~/models/Book";
import type { OfferCondition, OfferStatus } from "~/lib/offer-options";
import { Offer } from "~/models/Offer";
import { recordAudit, type Actor } from "./audit.server";
import { forgetCatalogCaches } from "./catalog.server";
import { adjustStock } from "./inventory.server";

export interface OfferInput {
  isbn: string;
  title: string;
  author: string;
  condition: OfferCondition;
  askingPriceCents: number;
  photoPath?: string | null;
}

export interface OfferRow {
  id: number;
  isbn: string;
  title: string;
  author: string;
  condition: OfferCondition;
  askingPriceCents: number;
  photoPath: string | null;
  status: OfferStatus;
  decisionNote: string | null;
  acceptedPriceCents: number | null;
  bookId: number | null;
  createdAt: string;
}

const COLUMNS = [
  "offers.id",
  "offers.isbn",
  "offers.title",
  "offers.author",
  "offers.condition",
  "offers.askingPriceCents",
  "offers.photoPath",
  "offers.status",
  "offers.decisionNote",
  "offers.acceptedPriceCents",
  "offers.bookId",
  "offers.createdAt",
];

export async function createOffer(db: Db, userId: number, input: OfferInput): Promise<number> {
  const offer = await Offer.query(db).insert({
    userId,
    ...input,
    photoPath: input.photoPath ?? null,
    status: "pending",
  });
  return offer.id;
}

export async function listOffersOf(db: Db, userId: number): Promise<OfferRow[]> {
  return db("offers")
    .select(COLUMNS)
    .where({ userId })
    .orderBy("createdAt", "desc")
    .orderBy("id", "desc");
}

export async function listOffersForReview(db: Db, status: OfferStatus | "all" = "pending") {
  const query = db("offers")
    .join("users", "users.id", "offers.userId")
    .leftJoin("books", "books.isbn", "offers.isbn")
    .select(
      ...COLUMNS,
      "users.email as sellerEmail",
      "books.id as catalogBookId",
      "books.title as catalogTitle",
    )
    .orderBy("offers.createdAt", status === "pending" ? "asc" : "desc")
    .orderBy("offers.id")
    .limit(200);
  if (status !== "all") query.where("offers.status", status);
  return query as Promise<
    Array<
      OfferRow & { sellerEmail: string; catalogBookId: number | null; catalogTitle: string | null }
    >
  >;
}

export interface AcceptInput {
  /** What the shop pays the seller. */
  acceptedPriceCents: number;
  /** Needed only when the ISBN is not in the catalog yet: the new book's shelf details. */
  newBook?: { priceCents: number; genre: string; publishedYear: number; description: string };
  note?: string;
}

/** Accepts a pending offer: one more copy in stock, of an existing book or a new one. */
export async function acceptOffer(
  db: Db,
  actor: Actor,
  offerId: number,
  input: AcceptInput,
): Promise<{ bookId: number }> {
  const result = await inTransaction(db, async (trx) => {
    const offer = await pendingOffer(trx, offerId);
    let book = await Book.query(trx).findOne({ isbn: offer.isbn });
    if (!book) {
      if (!input.newBook)
        throw new ConflictError(
          "This ISBN is not in the catalog: give the new book's shelf price, genre and year.",
        );
      book = await Book.query(trx).insert({
        isbn: offer.isbn,
        title: offer.title,
        author: offer.author,
        description: input.newBook.description,
        genre: input.newBook.genre,
        publishedYear: input.newBook.publishedYear,
        priceCents: input.newBook.priceCents,
        stock: 0,
        coverPath: null,
        archivedAt: null,
      });
      await recordAudit(trx, actor, {
        action: "book.create",
        entityType: "book",
        entityId: book.id,
        after: { isbn: offer.isbn, title: offer.title, fromOffer: offer.id, ...input.newBook },
      });
    }
    await adjustStock(trx, book.id, 1, {
      reason: "received",
      userId: actor.id,
      note: `Bought from offer #${offer.id}`,
    });
    await decide(trx, actor, offer, {
      status: "accepted",
      acceptedPriceCents: input.acceptedPriceCents,
      bookId: book.id,
      decisionNote: input.note || null,
    });
    return { bookId: book.id };
  });
  forgetCatalogCaches(db);
  return result;
}

export async function rejectOffer(
  db: Db,
  actor: Actor,
  offerId: number,
  reason: string,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const offer = await pendingOffer(trx, offerId);
    await decide(trx, actor, offer, {
      status: "rejected",
      decisionNote: reason,
      acceptedPriceCents: null,
      bookId: null,
    });
  });
}

async function pendingOffer(trx: Db, offerId: number): Promise<Offer> {
  const offer = await Offer.query(trx).findById(offerId);
  if (!offer) throw new NotFoundError("We could not find that offer.");
  if (offer.status !== "pending")
    throw new ConflictError(`This offer was already ${offer.status}.`);
  return offer;
}

async function decide(
  trx: Db,
  actor: Actor,
  offer: Offer,
  decision: {
    status: "accepted" | "rejected";
    acceptedPriceCents: number | null;
    bookId: number | null;
    decisionNote: string | null;
  },
) {
  const changed = await Offer.query(trx)
    .patch({ ...decision, decidedBy: actor.id, decidedAt: sqlTimestamp() })
    .where({ id: offer.id, status: "pending" });
  // Someone else decided between our read and this update: theirs stands, ours rolls back.
  if (changed === 0) throw new ConflictError("Another admin decided this offer a moment ago.");
  await recordAudit(trx, actor, {
    action: decision.status === "accepted" ? "offer.accept" : "offer.reject",
    entityType: "offer",
    entityId: offer.id,
    before: { status: "pending" },
    after: decision,
  });
}
