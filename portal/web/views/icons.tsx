/** The red exclamation mark the manual shows beside a field in error. */
export function ErrorIcon({ label }: { label: string }) {
  return (
    <span class="error-icon">
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <circle cx="12" cy="12" r="11" fill="currentColor" />
        <rect x="10.75" y="5" width="2.5" height="9" rx="1" fill="#fff" />
        <circle cx="12" cy="17.6" r="1.5" fill="#fff" />
      </svg>
      <span class="visually-hidden">{label}</span>
    </span>
  );
}
