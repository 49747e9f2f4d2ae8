// Small enhancements; every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // Move focus to the error summary so screen readers announce the errors at once.
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();

  // "Show password" (ASVS 2.1.12): the check box is hidden in the page and shown only here.
  for (const box of document.querySelectorAll('[data-show-password]')) {
    const input = document.getElementById(box.getAttribute('data-show-password'));
    const toggle = box.querySelector('input[type="checkbox"]');
    if (!input || !toggle) continue;
    toggle.checked = false;
    toggle.addEventListener('change', () => {
      input.type = toggle.checked ? 'text' : 'password';
    });
    // Sent as a password field again, so the browser neither keeps it in form history nor shows it.
    input.form?.addEventListener('submit', () => {
      input.type = 'password';
    });
    box.hidden = false;
  }
});
