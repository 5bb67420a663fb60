// The service worker of the hosted app (dist/sw.js): the app keeps working offline after the
// first visit. scripts/build-single.sh writes the two constants below: ASSETS, the build's
// content-hashed files, and VERSION, a hash of them and of index.html.
//
// - install: one cache per version holds index.html and every asset of that version; an
//   index.html that references anything else (a newer deploy) fails the install;
// - navigations to the app are network-first (an update is picked up on the next online
//   visit) and fall back to this version's cached index.html, whose assets are in the same
//   cache; hashed assets are cache-first, other requests are not touched;
// - activate: caches of other versions are deleted and open pages are claimed.
const VERSION = 'dev';
const ASSETS = [];

const PREFIX = 'shoal-';
const CACHE = PREFIX + VERSION;
const INDEX = new URL('./', self.location).href;
const OWN = new Set(ASSETS.map((a) => new URL(a, self.location).href));

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const index = await fetch(INDEX, { cache: 'no-store' });
    if (!index.ok) throw new Error(`index.html: HTTP ${index.status}`);
    const html = await index.clone().text();
    for (const [, name] of html.matchAll(/\.\/([\w.-]+-[0-9a-f]{12}\.[a-z]+)/g)) {
      if (!OWN.has(new URL(name, self.location).href)) throw new Error(`index.html of another version (${name})`);
    }
    const cache = await caches.open(CACHE);
    await cache.addAll([...OWN]);
    await cache.put(INDEX, index);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

async function fromCache(key) {
  const cache = await caches.open(CACHE);
  return cache.match(key);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const path = url.origin + url.pathname;
  if (request.mode === 'navigate' && (path === INDEX || path === `${INDEX}index.html`)) {
    event.respondWith(fetch(request).catch(async (error) => {
      const cached = await fromCache(INDEX);
      if (cached) return cached;
      throw error;
    }));
  } else if (OWN.has(path)) {
    event.respondWith(fromCache(path).then((cached) => cached ?? fetch(request)));
  }
});
