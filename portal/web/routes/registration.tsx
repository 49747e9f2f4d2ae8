import type { FastifyInstance } from 'fastify';
import { handleCardCallback, handleCardContinue, startCardStep } from '../../flows/card-step.ts';
import { TrustStore } from '../../identity/trust.ts';
import { loadMunicipalityDirectory, seedMunicipalities } from '../../store/municipalities.ts';
import type { PortalDeps } from '../deps.ts';
import { stepRoutes } from './registration/steps.tsx';

/** The card step and STEP1–STEP3 of the manual. (Registration area.) */
export async function registrationRoutes(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  if (await seedMunicipalities(deps.db)) app.log.info('municipality list loaded into the database');
  const directory = await loadMunicipalityDirectory(deps.db);
  const trust = await TrustStore.load(deps.config.trust, app.log);

  // Each start writes a card session: limited per address like the other card steps.
  app.post(
    '/registration/card',
    { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } },
    async (request, reply) => startCardStep(deps, request, reply, 'registration'),
  );
  app.post(
    '/card/callback',
    // Cross-site by design (the client's auto-submitted form): bound by the single-use nonce instead.
    { config: { csrf: false, rateLimit: { max: 60, timeWindow: 60_000 } } },
    async (request, reply) => handleCardCallback(deps, trust, request, reply),
  );
  app.get('/card/continue', async (request, reply) => handleCardContinue(deps, request, reply));

  await stepRoutes(app, deps, directory);
}
