// The service worker that lets Tokenscope load with the network off after the first visit.
// scripts/lib/postbuild.mjs writes dist/sw.js from this file, filling in VERSION (derived from the
// contents of the build) and SHELL (every file of the build, by its hashed name, the examples
// too). It precaches all of them, so after one visit to any page every page and every section
// works offline. It never fetches anything but those files, from the origin it was served from.
const VERSION = /* VERSION */ "dev";
const SHELL = /* SHELL */ [];

// The worker's scope is the folder it is served from (the app may live at a sub-path such as
// /tools/tokenscope/), and its caches are named for that folder: two copies of the app on one
// origin never delete each other's caches.
const SCOPE = new URL("./", self.location).pathname;
const PREFIX = "tokenscope " + SCOPE + " ";
const CACHE = PREFIX + VERSION;
// Caches named before they carried their folder ("tokenscope-" and a version) were only ever
// made at an origin's root: the app did not start at a sub-path then.
const UNSCOPED = /^tokenscope-[0-9a-f]{16}$/;
// The page is cached as the directory URL; a navigation to it or to index.html gets that copy.
const PAGE = new URL("./", self.location).href;
const PAGE_ALIASES = [PAGE, new URL("index.html", self.location).href];

// Trunk names files by a hash of their contents (`tokenscope-0123456789abcdef_bg.wasm`): a
// 64-bit number in hex without leading zeros, so sometimes fewer than 16 digits.
var HASHED = /-[0-9a-f]{12,16}(_bg)?\.[a-z]+$/;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(function (cache) {
        // A hashed file never changes under its name, so the copy the page has just loaded,
        // in the HTTP cache, is the right one: "force-cache" takes it without the network, and
        // a first visit no longer downloads the wasm twice. The rest (the page, with the
        // crash notice inline, and boot.js) is revalidated ("no-cache"), so an old index.html in the HTTP cache never
        // ends up next to the files of a newer build.
        return cache.addAll(
          SHELL.map(function (path) {
            return new Request(new URL(path, self.location).href, {
              cache: HASHED.test(path) ? "force-cache" : "no-cache",
            });
          })
        );
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

// Deletes the caches of older builds, then takes over the open pages.
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (keys) {
        return Promise.all(
          keys
            .filter(function (key) {
              if (key === CACHE) return false;
              return key.indexOf(PREFIX) === 0 || (SCOPE === "/" && UNSCOPED.test(key));
            })
            .map(function (key) {
              return caches.delete(key);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

// Cache first: the app shell comes from the cache, anything else goes to the network as usual.
self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  url.hash = "";
  var key = request;
  if (request.mode === "navigate") {
    url.search = "";
    if (PAGE_ALIASES.indexOf(url.href) === -1) return;
    key = PAGE;
  }
  event.respondWith(
    caches.open(CACHE).then(function (cache) {
      return cache.match(key).then(function (hit) {
        return hit || fetch(request);
      });
    })
  );
});

// The page asks (static/boot.js) which files of the build this worker's cache lacks, so its
// footer says "Works offline" only when that is true, and otherwise what is missing. The answer
// (a list of file names, empty when the cache is complete) goes back on the port it sent.
self.addEventListener("message", function (event) {
  var port = event.ports && event.ports[0];
  if (event.data !== "tokenscope-missing" || !port) return;
  caches
    .open(CACHE)
    .then(function (cache) {
      return Promise.all(
        SHELL.map(function (path) {
          return cache.match(new URL(path, self.location).href).then(function (hit) {
            return hit ? "" : path === "./" ? "index.html" : path;
          });
        })
      );
    })
    .then(
      function (missing) {
        port.postMessage(missing.filter(Boolean));
      },
      function () {
        port.postMessage(["the cache"]);
      }
    );
});
