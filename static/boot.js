// Registers the service worker (dist/sw.js, written by scripts/lib/postbuild.mjs from static/sw.js)
// so the app loads with the network off after the first visit, and tells the UI how that went:
// <html data-offline="ready"> only when it is true: a worker controls this page and its cache
// holds every file of the build (the worker says which it lacks). Otherwise "incomplete" (with
// the missing files in data-offline-missing), "uncontrolled" (a worker is installed but does not
// serve this page, as after a hard reload), "unavailable" where there can be no service worker
// (a file opened from disk, the single-file build, a browser without them or a page that is not
// a secure context), "error" when registering or caching failed. Each change fires a
// `tokenscope-offline` event on window.
// When a newer build's worker takes over, it sets <html data-update="ready"> and fires
// `tokenscope-update`.
(function () {
  var root = document.documentElement;
  function set(state, missing) {
    missing = missing || "";
    if (root.dataset.offline === state && (root.dataset.offlineMissing || "") === missing) return;
    if (missing) root.dataset.offlineMissing = missing;
    else delete root.dataset.offlineMissing;
    root.dataset.offline = state;
    window.dispatchEvent(new Event("tokenscope-offline"));
  }
  var web = location.protocol === "https:" || location.protocol === "http:";
  if (!web || root.hasAttribute("data-single-file") || !("serviceWorker" in navigator)) {
    set("unavailable");
    return;
  }
  // Asks the worker that controls this page which files of the build its cache lacks.
  function check() {
    var worker = navigator.serviceWorker.controller;
    if (!worker) return;
    var channel = new MessageChannel();
    channel.port1.onmessage = function (event) {
      var missing = Array.isArray(event.data) ? event.data : ["the answer of the worker"];
      if (missing.length) set("incomplete", missing.join(", "));
      else set("ready");
    };
    worker.postMessage("tokenscope-missing", [channel.port2]);
  }
  var served = !!navigator.serviceWorker.controller;
  check();
  // A newer build's worker takes over open pages (it skips waiting), but this page still runs
  // the build it loaded: <html data-update="ready"> and a `tokenscope-update` event let the UI
  // offer a reload. Not on a first visit, where the first worker takes over a page it did not
  // serve.
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    check();
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
          if (navigator.serviceWorker.controller) return check();
          // The new worker takes over this page as it activates (controllerchange checks then);
          // a page it still does not serve a moment later (a hard reload) is not offline.
          setTimeout(function () {
            if (!navigator.serviceWorker.controller) set("uncontrolled");
          }, 1000);
        },
        function () {
          set("error");
        }
      );
  }
  // Only once the page has loaded and the app is on screen, in an idle moment: starting the
  // worker and caching the shell on load competed with the app's first render and held up its
  // first paint by 35-50 ms.
  function whenIdle() {
    if (window.requestIdleCallback) window.requestIdleCallback(register, { timeout: 1000 });
    else setTimeout(register, 0);
  }
  function afterFirstPaint(then) {
    var types = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
    if (!types || types.indexOf("paint") < 0) return then();
    var done = false;
    function once() {
      if (done) return;
      done = true;
      observer.disconnect();
      then();
    }
    var observer = new PerformanceObserver(function (list) {
      if (list.getEntriesByName("first-contentful-paint").length) once();
    });
    observer.observe({ type: "paint", buffered: true });
    // A page opened in the background paints nothing until it is shown.
    setTimeout(once, 3000);
  }
  function loaded() {
    afterFirstPaint(whenIdle);
  }
  if (document.readyState === "complete") loaded();
  else window.addEventListener("load", loaded);
})();
