import type { FastifyInstance } from 'fastify';
import type { PortalDeps } from '../../flows/deps.ts';
import { TrustStore } from '../../identity/trust.ts';
import { loadMunicipalityDirectory, seedMunicipalities } from '../../store/municipalities.ts';
import { cardStepRoutes, startCard } from './card-step.ts';
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
    async (request, reply) => startCard(deps, request, reply, 'registration'),
  );
  await cardStepRoutes(app, deps, trust);

  await stepRoutes(app, deps, directory);
}
