/**
 * Carts live in the database: one per guest (its id kept in the guest's
 * session) or one per user. Prices are never stored in a cart: every view
 * reads them from the books, so a shopper always sees, and pays, today's price.
 *
 * A line's quantity is a whole number from 1 to 99 and never more than the
 * book's stock. At sign-in the guest's cart is merged into the user's.
 */
import { inTransaction, isUniqueViolation, sqlTimestamp, type Db } from "~/lib/db.server";
import { DomainError, NotFoundError } from "~/lib/domain-errors.server";
import { Cart } from "~/models/Cart";
import { CartItem, MAX_LINE_QUANTITY } from "~/models/CartItem";

/** Whose cart: a signed-in user's, or the guest cart whose id the session holds. */
export type CartOwner = { userId: number } | { guestCartId: number | undefined };

export interface CartLine {
  bookId: number;
  title: string;
  author: string;
  coverPath: string | null;
  unitPriceCents: number;
  quantity: number;
  /** How many the shop has now; 0 when the book was withdrawn from sale. */
  stock: number;
  lineTotalCents: number;
}

export interface CartView {
  id: number | null;
  lines: CartLine[];
  /** Number of books (quantities summed), as the header shows it. */
  count: number;
  subtotalCents: number;
}

/** A quantity the cart cannot take; the message is for the Quantity field. */
export class QuantityError extends DomainError {
  readonly status = 422;
  constructor(message: string) {
    super(message);
    this.name = "QuantityError";
  }
}

export async function findCartId(db: Db, owner: CartOwner): Promise<number | null> {
  if ("userId" in owner) {
    const cart = await Cart.query(db).select("id").findOne({ userId: owner.userId });
    return cart?.id ?? null;
  }
  if (!owner.guestCartId) return null;
  const cart = await Cart.query(db).select("id").findById(owner.guestCartId).whereNull("userId");
  return cart?.id ?? null;
}

/** The owner's cart id, creating the cart on first use. */
export async function ensureCart(db: Db, owner: CartOwner): Promise<number> {
  const existing = await findCartId(db, owner);
  if (existing) return existing;
  if ("userId" in owner) {
    // Two first adds at once: the unique user_id lets one insert win; the other reads it.
    try {
      return (await Cart.query(db).insert({ userId: owner.userId })).id;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const raced = await findCartId(db, owner);
      if (raced) return raced;
      throw error;
    }
  }
  return (await Cart.query(db).insert({ userId: null })).id;
}

export async function getCart(db: Db, cartId: number | null): Promise<CartView> {
  if (!cartId) return { id: null, lines: [], count: 0, subtotalCents: 0 };
  const rows = (await db("cartItems")
    .join("books", "books.id", "cartItems.bookId")
    .select(
      "cartItems.bookId",
      "cartItems.quantity",
      "books.title",
      "books.author",
      "books.coverPath",
      "books.priceCents",
      "books.stock",
      "books.archivedAt",
    )
    .where("cartItems.cartId", cartId)
    .orderBy("cartItems.createdAt")
    .orderBy("cartItems.bookId")) as Array<{
    bookId: number;
    quantity: number;
    title: string;
    author: string;
    coverPath: string | null;
    priceCents: number;
    stock: number;
    archivedAt: string | null;
  }>;
  const lines = rows.map((row) => ({
    bookId: row.bookId,
    title: row.title,
    author: row.author,
    coverPath: row.coverPath,
    unitPriceCents: row.priceCents,
    quantity: row.quantity,
    stock: row.archivedAt ? 0 : row.stock,
    lineTotalCents: row.priceCents * row.quantity,
  }));
  return {
    id: cartId,
    lines,
    count: lines.reduce((sum, line) => sum + line.quantity, 0),
    subtotalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
  };
}

/** How many books the header shows: one small indexed query, none without a cart. */
export async function cartCount(db: Db, owner: CartOwner): Promise<number> {
  const query = db("cartItems").sum({ count: "cartItems.quantity" });
  if ("userId" in owner) {
    query.join("carts", "carts.id", "cartItems.cartId").where("carts.userId", owner.userId);
  } else if (owner.guestCartId) {
    query.where("cartItems.cartId", owner.guestCartId);
  } else {
    return 0;
  }
  const row = (await query.first()) as { count: number | string | null } | undefined;
  return Number(row?.count ?? 0);
}

/**
 * Whether `quantity` of a book could start a cart line, checked before a
 * guest's cart (and its session) is created: a refused add must leave nothing
 * behind. addToCart checks again, with the line already in the cart.
 */
export async function checkAddable(db: Db, bookId: number, quantity: number): Promise<void> {
  checkQuantity(await saleableBook(db, bookId), quantity, 0);
}

/** Adds `quantity` of a book (to what the cart already has of it). */
export async function addToCart(
  db: Db,
  cartId: number,
  bookId: number,
  quantity: number,
): Promise<{ title: string; quantity: number }> {
  return inTransaction(db, async (trx) => {
    const book = await saleableBook(trx, bookId);
    const line = await CartItem.query(trx).findById([cartId, bookId]);
    const total = (line?.quantity ?? 0) + quantity;
    checkQuantity(book, total, line?.quantity ?? 0);
    await writeLine(trx, cartId, bookId, total, Boolean(line));
    return { title: book.title, quantity: total };
  });
}

/** Sets a line's quantity; the line must be in the cart. */
export async function setQuantity(
  db: Db,
  cartId: number,
  bookId: number,
  quantity: number,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const line = await CartItem.query(trx).findById([cartId, bookId]);
    if (!line) throw new NotFoundError("That book is no longer in your cart.");
    const book = await saleableBook(trx, bookId);
    checkQuantity(book, quantity, 0);
    await writeLine(trx, cartId, bookId, quantity, true);
  });
}

/** Removes a line; the line must be in the cart (a second click is told it is gone). */
export async function removeFromCart(db: Db, cartId: number, bookId: number): Promise<void> {
  const removed = await CartItem.query(db).delete().where({ cartId, bookId });
  if (removed === 0) throw new NotFoundError("That book is no longer in your cart.");
}

export async function emptyCart(db: Db, cartId: number): Promise<void> {
  await CartItem.query(db).delete().where({ cartId });
}

/**
 * At sign-in: the guest's lines join the user's cart in one transaction,
 * quantities summed and capped by stock (and 99); books no longer for sale are
 * dropped. The guest cart is deleted.
 */
export async function mergeGuestCart(db: Db, guestCartId: number, userId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const guest = await Cart.query(trx).findById(guestCartId).whereNull("userId");
    if (!guest) return;
    const guestLines = await CartItem.query(trx).where({ cartId: guestCartId });
    if (guestLines.length > 0) {
      const userCartId = await ensureCart(trx, { userId });
      const existing = new Map(
        (await CartItem.query(trx).where({ cartId: userCartId })).map((line) => [
          line.bookId,
          line.quantity,
        ]),
      );
      const books = new Map(
        (
          (await trx("books")
            .select("id", "stock", "archivedAt")
            .whereIn(
              "id",
              guestLines.map((line) => line.bookId),
            )) as Array<{ id: number; stock: number; archivedAt: string | null }>
        ).map((book) => [book.id, book]),
      );
      for (const line of guestLines) {
        const book = books.get(line.bookId);
        const had = existing.get(line.bookId) ?? 0;
        const wanted = Math.min(
          had + line.quantity,
          MAX_LINE_QUANTITY,
          book?.archivedAt ? 0 : (book?.stock ?? 0),
        );
        if (wanted <= had) continue;
        await writeLine(trx, userCartId, line.bookId, wanted, existing.has(line.bookId));
      }
    }
    await Cart.query(trx).deleteById(guestCartId);
  });
}

async function saleableBook(db: Db, bookId: number) {
  const book = (await db("books")
    .select("id", "title", "stock", "archivedAt")
    .where({ id: bookId })
    .first()) as
    { id: number; title: string; stock: number; archivedAt: string | null } | undefined;
  if (!book || book.archivedAt) throw new NotFoundError("That book is not for sale.");
  return book;
}

function checkQuantity(
  book: { title: string; stock: number },
  total: number,
  alreadyInCart: number,
) {
  if (book.stock <= 0) throw new QuantityError(`Sorry, “${book.title}” is sold out.`);
  if (total > book.stock) {
    const inCart = alreadyInCart > 0 ? ` (you already have ${alreadyInCart} in your cart)` : "";
    throw new QuantityError(`Only ${book.stock} of “${book.title}” left${inCart}.`);
  }
  if (total > MAX_LINE_QUANTITY) {
    throw new QuantityError(`You can buy at most ${MAX_LINE_QUANTITY} of one book.`);
  }
}

async function writeLine(
  db: Db,
  cartId: number,
  bookId: number,
  quantity: number,
  exists: boolean,
) {
  if (exists) {
    await CartItem.query(db).patch({ quantity }).where({ cartId, bookId });
  } else {
    await CartItem.query(db).insert({ cartId, bookId, quantity });
  }
  await Cart.query(db).patch({ updatedAt: sqlTimestamp() }).where({ id: cartId });
}
