import type { FastifyInstance } from 'fastify';
import type { PortalDeps } from '../../flows/deps.ts';
import { cardRoutes } from './account/card.tsx';
import { cardRenewalRoutes } from './account/card-renewal.tsx';
import { myPageRoutes } from './account/mypage.tsx';
import { passkeyRoutes } from './account/passkeys.tsx';
import { passwordRoutes } from './account/password.tsx';
import { recoveryRoutes } from './account/recovery.tsx';
import { signinRoutes } from './account/signin.tsx';

/** Password setting, sign-in, my page, recovery. (Account area.) */
export async function accountRoutes(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  await passwordRoutes(app, deps);
  await signinRoutes(app, deps);
  await myPageRoutes(app, deps);
  await recoveryRoutes(app, deps);
  await cardRoutes(app, deps);
  await cardRenewalRoutes(app, deps);
  await passkeyRoutes(app, deps);
}
