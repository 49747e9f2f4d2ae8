// STEP1–STEP3 and the municipality search. Each handler: find the draft, call the flow, answer.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { plainText, readingPieces } from '../../../../design/readings.ts';
import { telephoneAsTyped } from '../../../domain/contact.ts';
import type { PortalDeps } from '../../../flows/deps.ts';
import type { Draft } from '../../../flows/registration/draft.ts';
import { currentDraft, noDraft } from '../../../flows/registration/flow.ts';
import { mayAlreadyBeRegistered } from '../../../flows/registration/renewal-hint.ts';
import {
  backToStep1,
  chooseMunicipality,
  confirmedEntries,
  STEPS,
  submitStep1,
  submitStep2,
} from '../../../flows/registration/steps.ts';
import { setNotice } from '../../../flows/session-data.ts';
import type { Notice } from '../../../i18n/codes.ts';
import { isLang } from '../../../i18n/index.ts';
import { registrations } from '../../../metrics.ts';
import type { MunicipalityDirectory } from '../../../store/municipalities.ts';
import { readingsChoice } from '../../i18n.ts';
import { noticeText } from '../../notice.ts';
import { municipalityName, placeName } from '../../views/registration/place.ts';
import { SearchPage } from '../../views/registration/search.tsx';
import { Step1Page } from '../../views/registration/step1.tsx';
import { Step2Page } from '../../views/registration/step2.tsx';
import { Step3Page } from '../../views/registration/step3.tsx';
import { sendPage } from '../../views/render.ts';

type Body = Record<string, unknown>;

function toTop(request: FastifyRequest, reply: FastifyReply, notice: Notice): FastifyReply {
  setNotice(request.session, notice);
  return reply.redirect('/', 303);
}

/** A form that switches language posts `_lang`: keep the entries, change language, show it again. */
function switchLang(request: FastifyRequest, body: Body): boolean {
  const readings = readingsChoice(body._furigana);
  if (readings !== undefined) {
    request.setReadings(readings);
    return true;
  }
  if (!isLang(body._lang)) return false;
  request.setLang(body._lang);
  return true;
}

export async function stepRoutes(app: FastifyInstance, deps: PortalDeps, directory: MunicipalityDirectory) {
  const draftOf = (request: FastifyRequest, touch = true) =>
    currentDraft(deps, request.session, request.sessionExpired, touch);
  const step1Page = (request: FastifyRequest, draft: Draft, errors = {}, mayBeRegistered?: boolean) =>
    Step1Page({
      t: request.t,
      path: request.url,
      csrf: request.session.csrfToken,
      input: draft.data.input,
      prefill: draft.data.prefill,
      errors,
      directory,
      ...(mayBeRegistered === undefined ? {} : { mayBeRegistered }),
    });

  app.get(STEPS.step1.path, async (request, reply) => {
    const found = await draftOf(request);
    if (!found.ok) return toTop(request, reply, found.notice);
    const hint =
      found.mayAlreadyBeRegistered ?? (await mayAlreadyBeRegistered(deps.db, found.draft.data.prefill));
    return sendPage(reply, step1Page(request, found.draft, {}, hint));
  });

  app.post(STEPS.step1.path, async (request, reply) => {
    const found = await draftOf(request, false);
    if (!found.ok) return toTop(request, reply, found.notice);
    const body = (request.body ?? {}) as Body;
    const action = switchLang(request, body) ? 'keep' : body._action === 'search' ? 'search' : 'confirm';
    const outcome = await submitStep1(deps, directory, found.draft, body, action);
    if (outcome.kind === 'confirmed') return reply.redirect(STEPS.step2.path, 303);
    if (outcome.kind === 'search') {
      const q = /^\d{2}$/.test(outcome.prefectureCode) ? `?prefecture=${outcome.prefectureCode}` : '';
      return reply.redirect(`/registration/municipality-search${q}`, 303);
    }
    return sendPage(reply, step1Page(request, found.draft, outcome.kind === 'invalid' ? outcome.errors : {}));
  });

  const showStep2 = async (request: FastifyRequest, reply: FastifyReply) => {
    const found = await draftOf(request);
    if (!found.ok) return toTop(request, reply, found.notice);
    const value = confirmedEntries(found.draft, directory, deps.now());
    if (!value) return reply.redirect(STEPS.step1.path, 303);
    const telephone = telephoneAsTyped(found.draft.data.input.telephone);
    const csrf = request.session.csrfToken;
    return sendPage(reply, Step2Page({ t: request.t, path: request.url, csrf, value, telephone, directory }));
  };
  app.get(STEPS.step2.path, showStep2);

  app.post(STEPS.step2.path, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    if (switchLang(request, body)) return showStep2(request, reply);
    if (body._action === 'back') {
      const found = await draftOf(request, false);
      if (!found.ok) return toTop(request, reply, found.notice);
      await backToStep1(deps, found.draft);
      return reply.redirect(STEPS.step2.back.to === 'step1' ? STEPS.step1.path : '/', 303);
    }
    const browser = { session: request.session, sessionExpired: request.sessionExpired, lang: request.lang };
    const outcome = await submitStep2(deps, directory, { ...browser, requestId: request.id });
    if (outcome.kind === 'top') return toTop(request, reply, outcome.notice);
    if (outcome.kind === 'complete' && outcome.created) registrations.inc();
    return reply.redirect(outcome.kind === 'complete' ? STEPS.complete.path : STEPS.step1.path, 303);
  });

  app.get(STEPS.complete.path, async (request, reply) => {
    const done = request.session.get('registrationCompleted');
    if (!done) return toTop(request, reply, noDraft(false));
    return sendPage(
      reply,
      Step3Page({ t: request.t, path: request.url, userId: done.userId, email: done.email }),
    );
  });

  // Municipality search: a page without JavaScript, JSON for the dialog.
  const prefectureParam = (request: FastifyRequest) => {
    const p = (request.query as Record<string, unknown>).prefecture;
    return typeof p === 'string' && directory.prefecture(p) ? p : '';
  };

  app.get('/registration/municipality-search', async (request, reply) => {
    const found = await draftOf(request);
    if (!found.ok) return toTop(request, reply, found.notice);
    return sendPage(
      reply,
      SearchPage({
        t: request.t,
        path: request.url,
        csrf: request.session.csrfToken,
        directory,
        prefectureCode: prefectureParam(request),
        selected: found.draft.data.input.municipalityCode,
      }),
    );
  });

  app.post('/registration/municipality-search', async (request, reply) => {
    const found = await draftOf(request, false);
    if (!found.ok) return toTop(request, reply, found.notice);
    const body = (request.body ?? {}) as Body;
    const code = typeof body.municipalityCode === 'string' ? body.municipalityCode : '';
    const m = directory.municipality(code);
    await chooseMunicipality(deps, found.draft, m);
    return reply.redirect('/registration/step1#municipality', 303);
  });

  app.get('/registration/municipalities', async (request, reply) => {
    const found = await draftOf(request);
    // The dialog shows `message`: what happened (the draft expired…), not "select a prefecture".
    if (!found.ok) {
      return reply
        .code(403)
        .header('cache-control', 'no-store')
        .send({
          error: found.notice.code,
          message: plainText(noticeText(request.t, found.notice, deps.config)),
        });
    }
    const prefecture = prefectureParam(request);
    const list = prefecture ? directory.inPrefecture(prefecture) : [];
    const easy = request.lang === 'ja-easy';
    const pieces = (text: string) => readingPieces(text, request.readings);
    return reply.header('cache-control', 'no-store').send({
      // JSON for the script's search dialog: plain text; in Easy Japanese also the same as pieces
      // with readings ([text] or [base, reading]) that the script writes as <ruby>.
      count: plainText(request.t.registration.search.count(list.length)),
      ...(easy ? { countPieces: pieces(request.t.registration.search.count(list.length)) } : {}),
      municipalities: list.map((m) => ({
        code: m.code,
        name: plainText(municipalityName(directory, request.lang, m.code)),
        place: plainText(placeName(directory, request.lang, prefecture, m.code)),
        ...(easy
          ? {
              namePieces: pieces(municipalityName(directory, request.lang, m.code)),
              placePieces: pieces(placeName(directory, request.lang, prefecture, m.code)),
            }
          : {}),
      })),
    });
  });
}
