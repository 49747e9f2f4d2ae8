import type { FastifyInstance } from 'fastify';
import type { PortalDeps } from '../deps.ts';

/** The card step and STEP1–STEP3 of the manual. (Registration area.) */
export async function registrationRoutes(_app: FastifyInstance, _deps: PortalDeps): Promise<void> {}
