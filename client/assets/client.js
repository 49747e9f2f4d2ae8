// Small enhancements; every page of the client works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // The answer to the website: sent at once (the Continue button stays for pages without scripts).
  const answer = document.querySelector('form[data-autosubmit]');
  if (answer) {
    answer.submit();
    return;
  }
  // "Show password": only offered when this script runs, as it needs it.
  for (const row of document.querySelectorAll('[data-show-password]')) {
    const box = row.querySelector('input[type="checkbox"]');
    const field = document.getElementById(row.getAttribute('data-show-password'));
    if (!box || !field) continue;
    row.hidden = false;
    box.checked = false;
    box.addEventListener('change', () => {
      field.type = box.checked ? 'text' : 'password';
    });
  }
  // Focus the error so screen readers announce it; otherwise the password field.
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
  else document.querySelector('[data-focus]')?.focus();
});
