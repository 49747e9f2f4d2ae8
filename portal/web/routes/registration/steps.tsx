// STEP1–STEP3 and the municipality search. Each handler: find the draft, call the flow, answer.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { telephoneAsTyped } from '../../../domain/contact.ts';
import { todayInJapan } from '../../../domain/person.ts';
import { validateRegistration } from '../../../domain/registration.ts';
import { saveDraft } from '../../../flows/registration/draft.ts';
import { COMPLETED_KEY, type Completed, currentDraft, DRAFT_KEY } from '../../../flows/registration/flow.ts';
import type { RegistrationNoticeCode } from '../../../flows/registration/notices.ts';
import { register } from '../../../flows/registration/register.ts';
import { mayAlreadyBeRegistered } from '../../../flows/registration/renewal-hint.ts';
import { checkStep1, readStep1Form } from '../../../flows/registration/step1-form.ts';
import { isLang } from '../../../i18n/index.ts';
import { plainText, readingPieces } from '../../../i18n/readings.ts';
import type { MunicipalityDirectory } from '../../../store/municipalities.ts';
import type { PortalDeps } from '../../deps.ts';
import { readingsChoice } from '../../i18n.ts';
import { setNotice } from '../../notice.ts';
import { municipalityName, placeName } from '../../views/registration/place.ts';
import { SearchPage } from '../../views/registration/search.tsx';
import { Step1Page } from '../../views/registration/step1.tsx';
import { Step2Page } from '../../views/registration/step2.tsx';
import { Step3Page } from '../../views/registration/step3.tsx';
import { sendPage } from '../../views/render.ts';

type Body = Record<string, unknown>;

function toTop(request: FastifyRequest, reply: FastifyReply, code: RegistrationNoticeCode): FastifyReply {
  setNotice(request.session, { kind: 'error', area: 'registration', code });
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
  const idle = deps.config.draftIdleMinutes;
  const draftOf = (request: FastifyRequest, touch = true) =>
    currentDraft(deps, request.session, request.sessionExpired, touch);

  app.get('/registration/step1', async (request, reply) => {
    const found = await draftOf(request);
    if (!found.ok) return toTop(request, reply, found.notice);
    const { input, prefill } = found.draft.data;
    return sendPage(
      reply,
      Step1Page({
        t: request.t,
        path: request.url,
        csrf: request.session.csrfToken,
        input,
        prefill,
        errors: {},
        directory,
        mayBeRegistered: await mayAlreadyBeRegistered(deps.db, prefill),
      }),
    );
  });

  app.post('/registration/step1', async (request, reply) => {
    const found = await draftOf(request, false);
    if (!found.ok) return toTop(request, reply, found.notice);
    const draft = found.draft;
    const body = (request.body ?? {}) as Body;
    const input = readStep1Form(body, draft.data.prefill);
    draft.data.input = input;
    draft.state = 'entering';
    const page = (errors = {}) =>
      Step1Page({
        t: request.t,
        path: request.url,
        csrf: request.session.csrfToken,
        input,
        prefill: draft.data.prefill,
        errors,
        directory,
      });
    if (switchLang(request, body)) {
      await saveDraft(deps.db, draft, deps.now(), idle);
      return sendPage(reply, page());
    }
    if (body._action === 'search') {
      await saveDraft(deps.db, draft, deps.now(), idle);
      const q = /^\d{2}$/.test(input.prefectureCode) ? `?prefecture=${input.prefectureCode}` : '';
      return reply.redirect(`/registration/municipality-search${q}`, 303);
    }
    const result = checkStep1(input, directory, deps.now());
    if (result.ok) draft.state = 'confirming';
    await saveDraft(deps.db, draft, deps.now(), idle);
    if (result.ok) return reply.redirect('/registration/step2', 303);
    return sendPage(reply, page(result.errors));
  });

  const showStep2 = async (request: FastifyRequest, reply: FastifyReply) => {
    const found = await draftOf(request);
    if (!found.ok) return toTop(request, reply, found.notice);
    const checked = validateRegistration(found.draft.data.input, {
      today: todayInJapan(deps.now()),
      municipalities: directory,
    });
    if (found.draft.state !== 'confirming' || !checked.ok) return reply.redirect('/registration/step1', 303);
    return sendPage(
      reply,
      Step2Page({
        t: request.t,
        path: request.url,
        csrf: request.session.csrfToken,
        value: checked.value,
        telephone: telephoneAsTyped(found.draft.data.input.telephone),
        directory,
      }),
    );
  };
  app.get('/registration/step2', showStep2);

  app.post('/registration/step2', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    if (switchLang(request, body)) return showStep2(request, reply);
    if (body._action === 'back') {
      const found = await draftOf(request, false);
      if (!found.ok) return toTop(request, reply, found.notice);
      found.draft.state = 'entering';
      await saveDraft(deps.db, found.draft, deps.now(), idle);
      return reply.redirect('/registration/step1', 303);
    }
    const draftId = request.session.get<string>(DRAFT_KEY);
    if (!draftId) {
      // Registration clicked again after it succeeded: show the same completion page.
      if (request.session.get<Completed>(COMPLETED_KEY)) return reply.redirect('/registration/complete', 303);
      return toTop(request, reply, request.sessionExpired ? 'draft_expired' : 'card_step_required');
    }
    const outcome = await register(deps, directory, draftId, request.session.id, request.lang, request.id);
    if (outcome.kind === 'not_confirmed') return reply.redirect('/registration/step1', 303);
    request.session.set(DRAFT_KEY, undefined);
    if (outcome.kind === 'registered') {
      request.session.set(COMPLETED_KEY, {
        userId: outcome.userId,
        email: outcome.email,
      } satisfies Completed);
      return reply.redirect('/registration/complete', 303);
    }
    const notice: Record<typeof outcome.kind, RegistrationNoticeCode> = {
      already_registered: 'card_already_registered',
      expired: 'draft_expired',
      gone: 'card_step_required',
    };
    return toTop(request, reply, notice[outcome.kind]);
  });

  app.get('/registration/complete', async (request, reply) => {
    const done = request.session.get<Completed>(COMPLETED_KEY);
    if (!done) return toTop(request, reply, 'card_step_required');
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
    if (m) {
      found.draft.data.input.prefectureCode = m.prefectureCode;
      found.draft.data.input.municipalityCode = m.code;
      found.draft.state = 'entering';
      await saveDraft(deps.db, found.draft, deps.now(), idle);
    }
    return reply.redirect('/registration/step1#municipality', 303);
  });

  app.get('/registration/municipalities', async (request, reply) => {
    const found = await draftOf(request);
    // The dialog shows `message`: what happened (the draft expired…), not "select a prefecture".
    if (!found.ok) {
      return reply
        .code(403)
        .header('cache-control', 'no-store')
        .send({ error: found.notice, message: plainText(request.t.registration.notices[found.notice]) });
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
