// The Content-Security-Policy the built app ships with, as a <meta> in index.html (the app is static files: a meta is
// the one header every host serves). Scripts only from the app's own origin, WebAssembly compiled without eval (tfjs's
// wasm backend needs 'wasm-unsafe-eval', not 'unsafe-eval'), workers only from the app's origin, no plugins. Styles
// allow inline attributes because Svelte and uPlot set style attributes; connect-src allows https: for the alert
// webhook a user sets. frame-ancestors cannot be set from a meta; a host that serves headers should add it.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self' https:",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Vite plugin: the policy in the built index.html only (the dev server's HMR injects inline scripts). */
export function contentSecurityPolicy() {
  return {
    name: 'loopbench:csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
    },
  };
}
