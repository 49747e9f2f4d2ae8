import type { FastifyInstance } from 'fastify';
import type { PortalDeps } from '../deps.ts';

/** Password setting, sign-in, my page, recovery. (Account area.) */
export async function accountRoutes(_app: FastifyInstance, _deps: PortalDeps): Promise<void> {}
