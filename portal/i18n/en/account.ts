// English phrases of the account area. Japanese: ../ja/account.ts (same keys, checked by the compiler).
export const account = {};
