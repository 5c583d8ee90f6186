// Paraglide compiler options, shared by the Vite plugin (dev and build) and by
// `npm run i18n` (svelte-check runs without Vite, so it needs the output first).
//
// Locale resolution uses two custom strategies instead of the built-in "cookie" one:
// the `salon_locale` cookie is HttpOnly, so the browser cannot read it, and the built-in
// cookie strategy would also write a script-readable cookie from the client.
//  - custom-request (server): the cookie, then Accept-Language — see src/lib/i18n/server.ts
//  - custom-document (browser): the `<html lang>` the server rendered — see src/lib/i18n/client.ts

/** @type {import('@inlang/paraglide-js').CompilerOptions} */
export const paraglideOptions = {
  project: './project.inlang',
  outdir: './src/lib/paraglide',
  strategy: ['custom-request', 'custom-document', 'baseLocale'],
  emitReadme: false,
};
