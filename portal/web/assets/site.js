// Small enhancements; every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // Move focus to the error summary so screen readers announce the errors at once.
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
});
