import type { Kysely, Transaction } from 'kysely';
import type { AccountTables } from './tables/account.ts';
import type { FoundationTables } from './tables/foundation.ts';
import type { PasskeyTables } from './tables/passkeys.ts';
import type { RegistrationTables } from './tables/registration.ts';

export type Database = FoundationTables & RegistrationTables & AccountTables & PasskeyTables;
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or a transaction: store functions take this so flows can group them. */
export type Queryable = Db | Tx;
