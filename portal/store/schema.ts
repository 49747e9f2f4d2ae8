import type { Kysely, Transaction } from 'kysely';
import type { Database } from './tables/generated.ts';

// The tables' types are generated from the migrations (npm run db:types), never written by hand.
export type { Database };
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or a transaction: store functions take this so flows can group them. */
export type Queryable = Db | Tx;
