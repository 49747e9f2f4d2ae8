// The municipality Search as a dialog. Without this script the Search button submits the
// STEP1 form (every entry is kept) and the same search opens as a page.
document.addEventListener('DOMContentLoaded', () => {
  const button = document.getElementById('municipality');
  const dialog = document.getElementById('municipality-dialog');
  if (!button || !dialog || typeof dialog.showModal !== 'function') return;
  const prefecture = document.getElementById('dialog-prefecture');
  const search = document.getElementById('dialog-search');
  const results = document.getElementById('dialog-results');
  const status = document.getElementById('dialog-status');
  const close = document.getElementById('dialog-close');
  const prefectureInput = document.getElementById('prefectureCode');
  const municipalityInput = document.getElementById('municipalityCode');
  const display = document.getElementById('municipality-display');

  button.addEventListener('click', (event) => {
    event.preventDefault();
    dialog.showModal();
    prefecture.focus();
  });
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => button.focus());

  /** Text pieces from the portal ([text] or [kanji, reading]): readings as <ruby>, built without HTML. */
  function write(element, pieces, fallback) {
    if (!Array.isArray(pieces)) {
      element.textContent = fallback;
      return;
    }
    element.replaceChildren(
      ...pieces.map(([text, reading]) => {
        if (!reading) return document.createTextNode(text);
        const ruby = document.createElement('ruby');
        const rt = document.createElement('rt');
        rt.setAttribute('aria-hidden', 'true');
        rt.textContent = reading;
        ruby.append(text, rt);
        return ruby;
      }),
    );
  }

  /** A message in the status line; `failed` marks it as an error (the lookup did not work). */
  function say(text, failed) {
    status.textContent = text;
    status.classList.toggle('field-error', Boolean(failed));
  }

  async function run() {
    results.replaceChildren();
    const code = prefecture.value;
    if (!code) {
      say(search.dataset.empty, false);
      return;
    }
    const response = await fetch(`/registration/municipalities?prefecture=${encodeURIComponent(code)}`, {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (!response.ok) {
      // The portal says why (the entries expired, the card step is needed); else a general failure.
      const body = await response.json().catch(() => ({}));
      say(typeof body.message === 'string' ? body.message : search.dataset.failed, true);
      return;
    }
    const data = await response.json();
    say(data.count, false);
    write(status, data.countPieces, data.count);
    for (const m of data.municipalities) {
      const item = document.createElement('li');
      const choose = document.createElement('button');
      choose.type = 'button';
      choose.className = 'result-button';
      write(choose, m.namePieces, m.name);
      choose.addEventListener('click', () => {
        prefectureInput.value = code;
        municipalityInput.value = m.code;
        write(display, [[status.dataset.chosen], ...(m.placePieces ?? [[m.place]])], '');
        dialog.close();
      });
      item.append(choose);
      results.append(item);
    }
    results.querySelector('button')?.focus();
  }
  search.addEventListener('click', () => {
    run().catch(() => say(search.dataset.failed, true));
  });
});
