// Labels shared by every page that shows a stored code, so STEP1, STEP2 and My page read alike.
import { parseUserCategory, type UserCategory } from '../../domain/user-category.ts';
import type { Catalog } from '../../i18n/index.ts';

/** The user category as STEP1 offers it (t.registration.userCategories: the one label map). */
export function userCategoryLabel(t: Catalog, code: UserCategory | string): string {
  const parsed = parseUserCategory(code);
  return parsed.ok ? t.registration.userCategories[parsed.value] : code;
}
