// Rows as the rest of the portal sees them: a table's selected columns (types generated from the
// migrations, tables/generated.ts) with camelCase names. So a row type is derived, never restated.
import type { Selectable } from 'kysely';

/** 'auth_cert_serial' → 'authCertSerial'. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** An object with its keys in camelCase. */
export type Camel<R> = { [K in keyof R & string as CamelCase<K>]: R[K] };

/** What `select(C)` returns from `Table`. */
export type Selected<Table, C extends keyof Selectable<Table> & string> = Pick<Selectable<Table>, C>;

/** The camelCase row of `Table` for the columns `C` (what `select(C)` returns, renamed). */
export type Row<Table, C extends keyof Selectable<Table> & string> = Camel<Selected<Table, C>>;

/** Renames a selected row's keys to camelCase; the values are passed on unchanged. */
export function camel<R extends object>(row: R): Camel<R> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row))
    out[key.replace(/_([a-z0-9])/g, (_m: string, c: string) => c.toUpperCase())] = value;
  // The one assertion of the store: TypeScript cannot follow keys renamed at run time; CamelCase
  // above states the same renaming, and test/portal/schema-types.test.ts checks both agree.
  return out as Camel<R>;
}
