// Content-hashed asset URLs, filled in at start by ../asset-registry.ts; views read them from here.
export const assetUrls: Record<string, string> & { css: string; js: string } = {
  css: '/assets/site.css',
  js: '/assets/site.js',
};
