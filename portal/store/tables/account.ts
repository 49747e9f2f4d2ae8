// Tables of mail delivery, password setting and sign-in (outbox, password links, sign-in throttling).
// Owned by the account area; migrations 02xx.
// biome-ignore lint/complexity/noBannedTypes: filled in by its area
export type AccountTables = {};
