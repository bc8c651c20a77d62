/**
 * A static migration source: the list of migrations is code, imported like any
 * other module, so migrations run the same from vitest, tsx and the bundled
 * production build (knex's folder scanning cannot load .ts files under vitest
 * and has no folder to scan inside a bundle). Add new migrations at the end.
 */
import type { Knex } from "knex";
import * as catalog from "./20261128000100_catalog";
import * as bookSearch from "./20261128000200_book_search";
import * as shoppers from "./20261203000100_shoppers";
import * as admin from "./20261203000200_admin";
import * as searchUnderscores from "./20261203000300_search_underscores";
import * as titleSort from "./20261203000400_title_sort";

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ["20261128000100_catalog", catalog],
  ["20261128000200_book_search", bookSearch],
  ["20261203000100_shoppers", shoppers],
  ["20261203000200_admin", admin],
  ["20261203000300_search_underscores", searchUnderscores],
  ["20261203000400_title_sort", titleSort],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([candidate]) => candidate === name);
    if (!found) throw new Error(`Unknown migration ${name}`);
    return found[1];
  },
};
