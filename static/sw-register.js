// Registers the service worker (sw.js, next to this file: any sub-path works) so the app keeps
// working offline. Service workers need http(s): skipped on file:// (the single-file build).
if ('serviceWorker' in navigator && /^https?:$/.test(location.protocol)) {
  navigator.serviceWorker.register(new URL('./sw.js', import.meta.url)).catch(() => {});
}
