// Passkeys (WebAuthn): sign in on the sign-in page (a button, and the browser's autofill where it
// offers passkeys) and add one on My page. The pages work without this file: they say a passkey
// needs JavaScript, and the other ways to sign in stay. Messages come from the page's data-*.
(() => {
  const decode = (s) => {
    const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
    return Uint8Array.from(b, (c) => c.charCodeAt(0)).buffer;
  };
  const encode = (buf) => {
    let b = '';
    for (const x of new Uint8Array(buf)) b += String.fromCharCode(x);
    return btoa(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };

  /** A form post (the portal takes no other bodies); the browser's answer goes as JSON text. */
  async function post(url, fields) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) body.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    const res = await fetch(url, {
      method: 'POST',
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
      body,
    });
    let data = {};
    try {
      data = await res.json();
    } catch {}
    return { ok: res.ok, data };
  }

  /** The section's error box and status line; a thrown DOMException means cancelled or timed out. */
  function reporter(section) {
    const box = section.querySelector('[data-passkey-error]');
    const status = section.querySelector('[data-passkey-status]');
    return {
      working() {
        box.hidden = true;
        box.textContent = '';
        status.textContent = section.dataset.working;
      },
      error(text) {
        status.textContent = '';
        box.textContent = text;
        box.hidden = false;
      },
      failed(err) {
        const cancelled = err && (err.name === 'NotAllowedError' || err.name === 'AbortError');
        this.error(cancelled ? section.dataset.errorCancelled : section.dataset.errorFailed);
      },
    };
  }

  function assertionJson(cred) {
    const r = cred.response;
    return {
      id: cred.id,
      rawId: encode(cred.rawId),
      type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment ?? undefined,
      clientExtensionResults: cred.getClientExtensionResults(),
      response: {
        clientDataJSON: encode(r.clientDataJSON),
        authenticatorData: encode(r.authenticatorData),
        signature: encode(r.signature),
        userHandle: r.userHandle ? encode(r.userHandle) : undefined,
      },
    };
  }

  function setUpSignIn(section) {
    const button = section.querySelector('[data-passkey-signin]');
    const csrf = button.dataset.csrf;
    const report = reporter(section);
    let autofill;

    async function signIn(mediation, signal) {
      const { ok, data } = await post('/signin/passkey/options', { _csrf: csrf });
      if (!ok) throw Object.assign(new Error(data.error || ''), { server: data.error });
      const publicKey = {
        ...data,
        challenge: decode(data.challenge),
        allowCredentials: (data.allowCredentials || []).map((c) => ({ ...c, id: decode(c.id) })),
      };
      const cred = await navigator.credentials.get({ publicKey, mediation, signal });
      if (mediation === 'optional') report.working();
      const result = await post('/signin/passkey', { _csrf: csrf, response: assertionJson(cred) });
      if (result.ok && result.data.redirect) {
        window.location.assign(result.data.redirect);
        return;
      }
      report.error(result.data.error || section.dataset.errorFailed);
    }

    button.addEventListener('click', async () => {
      autofill?.abort();
      autofill = undefined;
      report.working();
      try {
        await signIn('optional');
      } catch (err) {
        if (err.server) report.error(err.server);
        else report.failed(err);
      }
    });

    // Autofill: the User ID box offers the passkeys this browser holds for the site.
    PublicKeyCredential.isConditionalMediationAvailable?.().then((available) => {
      if (!available) return;
      autofill = new AbortController();
      signIn('conditional', autofill.signal).catch(() => {});
    });
  }

  function setUpAdd(section) {
    const button = section.querySelector('[data-passkey-add]');
    const nameInput = section.querySelector('input[name="name"]');
    const csrf = button.dataset.csrf;
    const report = reporter(section);
    button.addEventListener('click', async () => {
      report.working();
      button.disabled = true;
      try {
        const { ok, data } = await post('/mypage/passkeys/options', { _csrf: csrf });
        if (!ok) {
          report.error(data.error || section.dataset.errorFailed);
          return;
        }
        const publicKey = {
          ...data,
          challenge: decode(data.challenge),
          user: { ...data.user, id: decode(data.user.id) },
          excludeCredentials: (data.excludeCredentials || []).map((c) => ({ ...c, id: decode(c.id) })),
        };
        const cred = await navigator.credentials.create({ publicKey });
        const r = cred.response;
        const response = {
          id: cred.id,
          rawId: encode(cred.rawId),
          type: cred.type,
          authenticatorAttachment: cred.authenticatorAttachment ?? undefined,
          clientExtensionResults: cred.getClientExtensionResults(),
          response: {
            clientDataJSON: encode(r.clientDataJSON),
            attestationObject: encode(r.attestationObject),
            transports: r.getTransports ? r.getTransports() : [],
          },
        };
        const result = await post('/mypage/passkeys', { _csrf: csrf, name: nameInput.value, response });
        if (result.ok && result.data.redirect) {
          window.location.assign(result.data.redirect);
          return;
        }
        report.error(result.data.error || section.dataset.errorFailed);
      } catch (err) {
        report.failed(err);
      } finally {
        button.disabled = false;
      }
    });
  }

  function start() {
    for (const section of document.querySelectorAll('#passkey-signin, #passkey-add-section')) {
      for (const p of section.querySelectorAll('[data-passkey-noscript]')) p.hidden = true;
      if (!window.PublicKeyCredential || !navigator.credentials) {
        for (const p of section.querySelectorAll('[data-passkey-unsupported]')) p.hidden = false;
        continue;
      }
      for (const p of section.querySelectorAll('[data-passkey-ready]')) p.hidden = false;
      if (section.id === 'passkey-signin') setUpSignIn(section);
      else setUpAdd(section);
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
