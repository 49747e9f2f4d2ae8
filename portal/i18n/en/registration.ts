// English phrases of the registration area. Japanese: ../ja/registration.ts (same keys, checked by the compiler).
export const registration = {};
