// Tables of the registration flow (card sessions, drafts, municipalities, user cards).
// Owned by the registration area; migrations 01xx.
// biome-ignore lint/complexity/noBannedTypes: filled in by its area
export type RegistrationTables = {};
