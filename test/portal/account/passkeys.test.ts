// Passkeys, flow by flow, with a software authenticator: adding one, signing in with it, and
// every refusal the issue asks for (replay, wrong origin, wrong RP ID, cloned authenticator,
// another user's credential, expired challenge), then rename and remove with their notices.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AccountDeps } from '../../../portal/flows/account/deps.ts';
import {
  addPasskey,
  CHALLENGE_MS,
  FRESH_PROOF_MS,
  isFreshProof,
  registrationOptions,
  relyingParty,
  removeUserPasskey,
  renameUserPasskey,
  signInOptions,
  signInWithPasskey,
  userHandleOf,
} from '../../../portal/flows/account/passkeys.ts';
import { renderMail } from '../../../portal/mail/templates.tsx';
import type { DatabaseHandle } from '../../../portal/store/db.ts';
import { listPasskeys } from '../../../portal/store/passkeys.ts';
import { databaseKinds, openTestDatabase } from '../../helpers/db.ts';
import { SoftAuthenticator } from '../../helpers/soft-authenticator.ts';
import { createTestUser, type TestUser, testConfig } from './helpers.ts';

const ORIGIN = 'http://localhost:3000';
const req = { ip: '192.0.2.1', requestId: 'test' };

for (const kind of databaseKinds()) {
  describe(`passkeys (flows, software authenticator, ${kind})`, () => {
    let h: DatabaseHandle;
    let deps: AccountDeps;
    let clock = new Date('2026-11-01T03:00:00Z');
    const advance = (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    };

    before(async () => {
      h = await openTestDatabase(kind);
      deps = { config: testConfig({ PUBLIC_ORIGIN: ORIGIN }), db: h.db, now: () => clock };
    });
    after(() => h.close());

    /** A user with one passkey on a fresh software authenticator. */
    async function userWithPasskey(
      sessionId: string,
      keepsCounter = true,
    ): Promise<{ user: TestUser; auth: SoftAuthenticator }> {
      const user = await createTestUser(h.db, { lang: 'en' });
      const auth = new SoftAuthenticator(ORIGIN, keepsCounter);
      const options = await registrationOptions(deps, user, sessionId);
      const added = await addPasskey(
        deps,
        user.id,
        sessionId,
        { response: auth.create(options), name: 'My phone' },
        req,
      );
      assert.deepEqual(added, { ok: true, name: 'My phone' });
      return { user, auth };
    }

    async function audit(userId: string | null, event: string): Promise<number> {
      let q = h.db.selectFrom('audit_events').select('id').where('event', '=', event);
      q = userId ? q.where('user_id', '=', userId) : q;
      return (await q.execute()).length;
    }

    test('the relying party is PUBLIC_ORIGIN: its host is the RP ID, the origin the only one accepted', () => {
      assert.deepEqual(relyingParty('https://residence.example.jp'), {
        id: 'residence.example.jp',
        origin: 'https://residence.example.jp',
      });
      assert.deepEqual(relyingParty('http://localhost:3000'), {
        id: 'localhost',
        origin: 'http://localhost:3000',
      });
    });

    test('a fresh proof counts for 5 minutes', () => {
      const at = clock.toISOString();
      assert.equal(isFreshProof(at, clock), true);
      assert.equal(isFreshProof(at, new Date(clock.getTime() + FRESH_PROOF_MS)), true);
      assert.equal(isFreshProof(at, new Date(clock.getTime() + FRESH_PROOF_MS + 1)), false);
      assert.equal(isFreshProof(undefined, clock), false);
    });

    test('add a passkey: a discoverable credential with user verification; stored with a notice by email', async () => {
      const user = await createTestUser(h.db, { lang: 'ja' });
      const options = await registrationOptions(deps, user, 'session-add');
      const sel = options.authenticatorSelection as Record<string, unknown>;
      assert.equal(sel.residentKey, 'required');
      assert.equal(sel.userVerification, 'required');
      assert.equal((options.rp as { id: string }).id, 'localhost');
      assert.equal((options.user as { id: string }).id, userHandleOf(user.id));
      assert.equal(options.attestation, 'none');

      const auth = new SoftAuthenticator(ORIGIN);
      const result = await addPasskey(
        deps,
        user.id,
        'session-add',
        { response: auth.create(options), name: '  Work   laptop ' },
        req,
      );
      assert.deepEqual(result, { ok: true, name: 'Work laptop' });
      const [stored, ...more] = await listPasskeys(h.db, user.id);
      assert.equal(more.length, 0);
      assert.equal(stored?.credentialId, auth.credentials[0]?.id);
      assert.equal(stored?.name, 'Work laptop');
      assert.equal(stored?.signCount, 0);
      assert.deepEqual(stored?.transports, ['internal']);
      assert.equal(stored?.backedUp, false);
      assert.equal(stored?.lastUsedAt, null);

      const mail = await h.db
        .selectFrom('outbox')
        .select(['template', 'payload', 'lang'])
        .where('to_address', '=', user.email)
        .executeTakeFirstOrThrow();
      assert.equal(mail.template, 'passkey-added');
      const rendered = renderMail('passkey-added', 'ja', mail.payload as never, undefined, {
        publicOrigin: ORIGIN,
        fromDomain: 'example.jp',
        passwordLinkHours: 24,
      });
      assert.match(rendered.subject, /パスキーが追加されました.*A passkey has been added/);
      assert.match(rendered.text, /「Work laptop」/);
      assert.match(rendered.text, /“Work laptop”/);
      assert.equal(await audit(user.id, 'passkey.added'), 1);

      // The same authenticator is not offered again: the next options exclude it.
      const next = await registrationOptions(deps, user, 'session-add');
      assert.deepEqual(
        (next.excludeCredentials as { id: string }[]).map((c) => c.id),
        [auth.credentials[0]?.id],
      );
    });

    test('sign in with a passkey: the sign count and the last use are recorded', async () => {
      const { user, auth } = await userWithPasskey('s1');
      const options = await signInOptions(deps, 'anon-1');
      assert.equal(options.userVerification, 'required');
      assert.equal(options.rpId, 'localhost');
      assert.deepEqual(options.allowCredentials ?? [], [], 'discoverable: the browser offers its passkeys');
      const result = await signInWithPasskey(deps, 'anon-1', auth.get(options), req);
      assert.deepEqual(result, { ok: true, userId: user.id });
      const [stored] = await listPasskeys(h.db, user.id);
      assert.equal(stored?.signCount, 1);
      assert.equal(stored?.lastUsedAt?.toISOString(), clock.toISOString());
      assert.equal(await audit(user.id, 'signin.passkey'), 1);
    });

    test('replay: the same assertion twice, or a challenge used again, is refused', async () => {
      const { user, auth } = await userWithPasskey('s2');
      const options = await signInOptions(deps, 'anon-2');
      const assertion = auth.get(options);
      assert.equal((await signInWithPasskey(deps, 'anon-2', assertion, req)).ok, true);
      assert.deepEqual(await signInWithPasskey(deps, 'anon-2', assertion, req), {
        ok: false,
        reason: 'challenge',
      });
      // A new signature over the used challenge (counter going up) is refused all the same.
      assert.deepEqual(await signInWithPasskey(deps, 'anon-2', auth.get(options), req), {
        ok: false,
        reason: 'challenge',
      });
      // Registration answers are single-use too.
      const reg = await registrationOptions(deps, user, 's2');
      const other = new SoftAuthenticator(ORIGIN);
      const response = other.create(reg);
      assert.equal((await addPasskey(deps, user.id, 's2', { response, name: 'Tablet' }, req)).ok, true);
      assert.deepEqual(await addPasskey(deps, user.id, 's2', { response, name: 'Tablet' }, req), {
        ok: false,
        reason: 'challenge',
      });
      assert.ok((await audit(user.id, 'passkey.add.refused')) >= 1);
    });

    test('a challenge is bound to the session that asked for it', async () => {
      const { auth } = await userWithPasskey('s3');
      const options = await signInOptions(deps, 'anon-3');
      assert.deepEqual(await signInWithPasskey(deps, 'somebody-else', auth.get(options), req), {
        ok: false,
        reason: 'challenge',
      });
      // ...and was not used up by the other session's attempt.
      assert.equal((await signInWithPasskey(deps, 'anon-3', auth.get(options), req)).ok, true);
    });

    test('a wrong origin is refused (sign-in and add)', async () => {
      const { user, auth } = await userWithPasskey('s4');
      const options = await signInOptions(deps, 'anon-4');
      assert.deepEqual(
        await signInWithPasskey(deps, 'anon-4', auth.get(options, { origin: 'https://evil.example' }), req),
        { ok: false, reason: 'origin' },
      );
      const reg = await registrationOptions(deps, user, 's4');
      const response = new SoftAuthenticator(ORIGIN).create(reg, { origin: 'http://localhost:3001' });
      assert.deepEqual(await addPasskey(deps, user.id, 's4', { response, name: 'x' }, req), {
        ok: false,
        reason: 'origin',
      });
    });

    test('a wrong RP ID is refused (sign-in and add)', async () => {
      const { user, auth } = await userWithPasskey('s5');
      const options = await signInOptions(deps, 'anon-5');
      assert.deepEqual(
        await signInWithPasskey(deps, 'anon-5', auth.get(options, { rpId: 'example.com' }), req),
        { ok: false, reason: 'rpId' },
      );
      const reg = await registrationOptions(deps, user, 's5');
      const response = new SoftAuthenticator(ORIGIN).create(reg, { rpId: 'localhost.example' });
      assert.deepEqual(await addPasskey(deps, user.id, 's5', { response, name: 'x' }, req), {
        ok: false,
        reason: 'rpId',
      });
    });

    test('a cloned authenticator (sign count not going up) is refused; authenticators counting 0 are not', async () => {
      const { user, auth } = await userWithPasskey('s6');
      for (let i = 0; i < 3; i++) {
        const options = await signInOptions(deps, 'anon-6');
        assert.equal((await signInWithPasskey(deps, 'anon-6', auth.get(options), req)).ok, true);
      }
      const [before] = await listPasskeys(h.db, user.id);
      assert.equal(before?.signCount, 3);
      for (const counter of [2, 3]) {
        const options = await signInOptions(deps, 'anon-6');
        assert.deepEqual(await signInWithPasskey(deps, 'anon-6', auth.get(options, { counter }), req), {
          ok: false,
          reason: 'cloned',
        });
      }
      assert.equal(await audit(user.id, 'signin.passkey.cloned'), 2);
      const [after] = await listPasskeys(h.db, user.id);
      assert.equal(after?.signCount, 3, 'the stored count is not lowered');

      const synced = await userWithPasskey('s6b', false);
      for (let i = 0; i < 2; i++) {
        const options = await signInOptions(deps, 'anon-6b');
        const result = await signInWithPasskey(deps, 'anon-6b', synced.auth.get(options), req);
        assert.deepEqual(result, { ok: true, userId: synced.user.id });
      }
    });

    test('a credential of another user is refused: at add (the id is taken) and at sign-in (user handle)', async () => {
      const a = await userWithPasskey('s7a');
      const b = await createTestUser(h.db, { lang: 'en' });
      const taken = a.auth.credentials[0]!.id;
      const reg = await registrationOptions(deps, b, 's7b');
      assert.deepEqual(reg.excludeCredentials, [], "another user's passkeys are not named to b");
      const response = new SoftAuthenticator(ORIGIN).create(reg, { credentialId: taken });
      assert.deepEqual(await addPasskey(deps, b.id, 's7b', { response, name: 'x' }, req), {
        ok: false,
        reason: 'taken',
      });
      assert.equal((await listPasskeys(h.db, b.id)).length, 0);
      assert.equal((await listPasskeys(h.db, a.user.id))[0]?.credentialId, taken, "a's passkey is untouched");

      // a's passkey presented as b's (the authenticator's user handle says b).
      const options = await signInOptions(deps, 'anon-7');
      assert.deepEqual(
        await signInWithPasskey(deps, 'anon-7', a.auth.get(options, { userHandle: userHandleOf(b.id) }), req),
        { ok: false, reason: 'userMismatch' },
      );
      // A registration challenge given to a cannot add a passkey to b.
      const aReg = await registrationOptions(deps, a.user, 's7a');
      const aResponse = new SoftAuthenticator(ORIGIN).create(aReg);
      assert.deepEqual(await addPasskey(deps, b.id, 's7a', { response: aResponse, name: 'x' }, req), {
        ok: false,
        reason: 'challenge',
      });
    });

    test('an expired challenge is refused', async () => {
      const { user, auth } = await userWithPasskey('s8');
      const options = await signInOptions(deps, 'anon-8');
      advance(CHALLENGE_MS + 1);
      assert.deepEqual(await signInWithPasskey(deps, 'anon-8', auth.get(options), req), {
        ok: false,
        reason: 'expired',
      });
      const reg = await registrationOptions(deps, user, 's8');
      advance(CHALLENGE_MS + 1);
      const response = new SoftAuthenticator(ORIGIN).create(reg);
      assert.deepEqual(await addPasskey(deps, user.id, 's8', { response, name: 'x' }, req), {
        ok: false,
        reason: 'expired',
      });
    });

    test('user verification is required (presence alone is not enough)', async () => {
      const { user, auth } = await userWithPasskey('s9');
      const options = await signInOptions(deps, 'anon-9');
      assert.deepEqual(
        await signInWithPasskey(deps, 'anon-9', auth.get(options, { userVerified: false }), req),
        { ok: false, reason: 'invalid' },
      );
      const reg = await registrationOptions(deps, user, 's9');
      const response = new SoftAuthenticator(ORIGIN).create(reg, { userVerified: false });
      assert.deepEqual(await addPasskey(deps, user.id, 's9', { response, name: 'x' }, req), {
        ok: false,
        reason: 'invalid',
      });
    });

    test('a passkey nobody stored, or garbage, is refused', async () => {
      const stranger = new SoftAuthenticator(ORIGIN);
      stranger.create({ challenge: 'x', user: { id: userHandleOf('NOBODY') } });
      const options = await signInOptions(deps, 'anon-10');
      assert.deepEqual(await signInWithPasskey(deps, 'anon-10', stranger.get(options), req), {
        ok: false,
        reason: 'unknown',
      });
      for (const junk of [undefined, 'x', {}, { response: { clientDataJSON: '!!!' } }]) {
        assert.deepEqual(await signInWithPasskey(deps, 'anon-10', junk, req), {
          ok: false,
          reason: 'challenge',
        });
      }
    });

    test('rename and remove: only the owner, with a notice by email on removal', async () => {
      const { user, auth } = await userWithPasskey('s11');
      const other = await createTestUser(h.db);
      const id = auth.credentials[0]!.id;
      assert.deepEqual(await renameUserPasskey(deps, user.id, id, '   ', req), { ok: false, reason: 'name' });
      assert.deepEqual(await renameUserPasskey(deps, user.id, id, 'x'.repeat(65), req), {
        ok: false,
        reason: 'name',
      });
      assert.deepEqual(await renameUserPasskey(deps, other.id, id, 'Mine now', req), {
        ok: false,
        reason: 'notFound',
      });
      assert.deepEqual(await renameUserPasskey(deps, user.id, id, 'Old phone', req), { ok: true });
      assert.deepEqual(await removeUserPasskey(deps, other.id, id, req), { ok: false, reason: 'notFound' });
      assert.deepEqual(await removeUserPasskey(deps, user.id, id, req), { ok: true, name: 'Old phone' });
      assert.equal((await listPasskeys(h.db, user.id)).length, 0);
      const templates = await h.db
        .selectFrom('outbox')
        .select('template')
        .where('to_address', '=', user.email)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        templates.map((r) => r.template),
        ['passkey-added', 'passkey-removed'],
      );
      // Removed: it signs nobody in any more.
      const options = await signInOptions(deps, 'anon-11');
      assert.deepEqual(await signInWithPasskey(deps, 'anon-11', auth.get(options), req), {
        ok: false,
        reason: 'unknown',
      });
    });
  });
}
