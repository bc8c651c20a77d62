/**
 * Delivery providers as staff manage them: created and edited with an audit
 * row, deactivated rather than deleted. Checkout offers and accepts only
 * active ones (`activeDeliveryProviders` and `placeOrder` in
 * checkout.server.ts); orders point at theirs by id, so past orders keep
 * showing the provider they were placed with.
 *
 * The storefront's footer names the active providers on every page. Their
 * names are cached per instance for FOOTER_PROVIDERS_TTL_MS, so no page pays a
 * query for them more than once in that time; a change made here forgets this
 * instance's cache at once, and other instances catch up within the TTL.
 * (The cache forgets per database, so the catalog's cached counts go too:
 * they cost one query to rebuild, and providers change rarely.)
 */
import { cached, forget } from "~/lib/ttl-cache.server";
import { inTransaction, isUniqueViolation, type Db } from "~/lib/db.server";
import { ConflictError, NotFoundError } from "~/lib/domain-errors.server";
import { DeliveryProvider } from "~/models/DeliveryProvider";
import { changedFields, recordAudit, type Actor } from "./audit.server";

/** How long the footer may name a provider that was just changed on another instance. */
export const FOOTER_PROVIDERS_TTL_MS = 60_000;

export interface ProviderInput {
  name: string;
  coverageArea: string;
  costCents: number;
}

/** A problem with one field of the provider form (a name another provider has). */
export class ProviderFieldError extends ConflictError {
  constructor(
    readonly field: keyof ProviderInput,
    message: string,
  ) {
    super(message);
    this.name = "ProviderFieldError";
  }
}

const NAME_TAKEN = "Another delivery provider already has this name.";

export interface ProviderRow extends ProviderInput {
  id: number;
  active: boolean;
  orderCount: number;
}

/** Every provider, active ones first, with how many orders each has carried. */
export async function listProviders(db: Db): Promise<ProviderRow[]> {
  const rows = (await db("deliveryProviders")
    .select(
      "id",
      "name",
      "coverageArea",
      "costCents",
      "active",
      db("orders")
        .count("*")
        .where("orders.deliveryProviderId", db.ref("deliveryProviders.id"))
        .as("orderCount"),
    )
    .orderBy("active", "desc")
    .orderBy("name")) as Array<
    Omit<ProviderRow, "active" | "orderCount"> & {
      active: boolean | number;
      orderCount: number | string;
    }
  >;
  return rows.map((row) => ({
    ...row,
    active: Boolean(row.active),
    orderCount: Number(row.orderCount),
  }));
}

export async function getProvider(db: Db, providerId: number) {
  const provider = await DeliveryProvider.query(db).findById(providerId);
  if (!provider) throw new NotFoundError("We could not find that delivery provider.");
  return {
    id: provider.id,
    name: provider.name,
    coverageArea: provider.coverageArea,
    costCents: provider.costCents,
    active: Boolean(provider.active),
  };
}

export async function createProvider(db: Db, actor: Actor, input: ProviderInput): Promise<number> {
  const id = await inTransaction(db, async (trx) => {
    await refuseTakenName(trx, input.name);
    const provider = await writeUnique(() =>
      DeliveryProvider.query(trx).insert({ ...input, active: true }),
    );
    await recordAudit(trx, actor, {
      action: "delivery_provider.create",
      entityType: "delivery_provider",
      entityId: provider.id,
      after: { ...input, active: true },
    });
    return provider.id;
  });
  forget(db);
  return id;
}

/** Changes name, coverage or cost; orders already placed keep the cost they were charged. */
export async function updateProvider(
  db: Db,
  actor: Actor,
  providerId: number,
  input: ProviderInput,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const provider = await DeliveryProvider.query(trx).findById(providerId);
    if (!provider) throw new NotFoundError("We could not find that delivery provider.");
    const { before, after } = changedFields<ProviderInput>(provider, input);
    if (Object.keys(after).length === 0) return;
    if (after.name !== undefined) await refuseTakenName(trx, after.name, providerId);
    await writeUnique(() => DeliveryProvider.query(trx).patch(after).where({ id: providerId }));
    await recordAudit(trx, actor, {
      action: "delivery_provider.update",
      entityType: "delivery_provider",
      entityId: providerId,
      before,
      after,
    });
  });
  forget(db);
}

/** An inactive provider is no longer offered at checkout; past orders keep it. */
export async function setProviderActive(
  db: Db,
  actor: Actor,
  providerId: number,
  active: boolean,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const provider = await DeliveryProvider.query(trx).findById(providerId);
    if (!provider) throw new NotFoundError("We could not find that delivery provider.");
    if (Boolean(provider.active) === active) return;
    await DeliveryProvider.query(trx).patch({ active }).where({ id: providerId });
    await recordAudit(trx, actor, {
      action: active ? "delivery_provider.reactivate" : "delivery_provider.deactivate",
      entityType: "delivery_provider",
      entityId: providerId,
      before: { active: !active },
      after: { active },
    });
  });
  forget(db);
}

/** The active providers' names, in the order they joined the shop, for the footer. */
export function footerProviderNames(db: Db): Promise<string[]> {
  return cached(db, "footer-providers", FOOTER_PROVIDERS_TTL_MS, async () =>
    (await db("deliveryProviders").select("name").where({ active: true }).orderBy("id")).map(
      (row: { name: string }) => row.name,
    ),
  );
}

/**
 * Names are unique regardless of case on both engines (MySQL's collation
 * ignores case, SQLite's unique index would not), so ask before writing; the
 * unique index still decides a race.
 */
async function refuseTakenName(trx: Db, name: string, exceptId?: number): Promise<void> {
  const query = trx("deliveryProviders")
    .select("id")
    .whereRaw("LOWER(??) = ?", ["name", name.toLowerCase()]);
  if (exceptId !== undefined) query.whereNot({ id: exceptId });
  if (await query.first()) throw new ProviderFieldError("name", NAME_TAKEN);
}

async function writeUnique<T>(write: () => PromiseLike<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ProviderFieldError("name", NAME_TAKEN);
    throw error;
  }
}
