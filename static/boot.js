// Registers the service worker (dist/sw.js, written by scripts/postbuild.mjs from static/sw.js)
// so the app loads with the network off after the first visit, and tells the UI how that went:
// <html data-offline="ready"> once the worker is active (which means the app shell is cached),
// "unavailable" where there can be no service worker (a file opened from disk, the single-file
// build, a browser without them or a page that is not a secure context), "error" when
// registering or caching failed. Each change fires a `tokenscope-offline` event on window.
// When a newer build's worker takes over, it sets <html data-update="ready"> and fires
// `tokenscope-update`.
(function () {
  var root = document.documentElement;
  function set(state) {
    if (root.dataset.offline === state) return;
    root.dataset.offline = state;
    window.dispatchEvent(new Event("tokenscope-offline"));
  }
  var web = location.protocol === "https:" || location.protocol === "http:";
  if (!web || root.hasAttribute("data-single-file") || !("serviceWorker" in navigator)) {
    set("unavailable");
    return;
  }
  // A page the worker served is already offline-capable.
  var served = !!navigator.serviceWorker.controller;
  if (served) set("ready");
  // A newer build's worker takes over open pages (it skips waiting), but this page still runs
  // the build it loaded: <html data-update="ready"> and a `tokenscope-update` event let the UI
  // offer a reload. Not on a first visit, where the first worker takes over a page it did not
  // serve.
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (!served || root.dataset.update === "ready") return;
    root.dataset.update = "ready";
    window.dispatchEvent(new Event("tokenscope-update"));
  });
  function register() {
    navigator.serviceWorker
      .register("sw.js")
      .then(function (registration) {
        // A worker that fails to install (a file of the shell would not download) becomes
        // "redundant"; unless an older one is still active, the app does not work offline.
        function watch(worker) {
          if (!worker) return;
          worker.addEventListener("statechange", function () {
            if (worker.state === "redundant" && !registration.active) set("error");
          });
        }
        watch(registration.installing || registration.waiting);
        registration.addEventListener("updatefound", function () {
          watch(registration.installing);
        });
        return navigator.serviceWorker.ready;
      }, function (error) {
        // Registering also checks for a newer sw.js, which fails with the network off; the
        // worker that served this page still serves the next load.
        if (navigator.serviceWorker.controller) return navigator.serviceWorker.ready;
        throw error;
      })
      .then(
        function () {
          set("ready");
        },
        function () {
          set("error");
        }
      );
  }
  // After the page has loaded, so caching the shell does not compete with the first load.
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
})();
