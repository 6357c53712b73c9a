// Loads the full app for a page the first-visit app does not have (src/ui/upgrade.rs adds this
// script to the page, a new element each time it asks). scripts/postbuild.mjs fills in FILES,
// the full app's files by their hashed names: its glue, wasm-bindgen's no-modules output, a
// classic script that declares the global `wasm_bindgen`, its init; and its wasm. They are
// named here rather than in index.html, where every first visit would download them. Starting,
// the full app takes over the first-visit app's state and replaces it.
// <html data-upgrade="loading|failed|done"> and a `tokenscope-upgrade` event on window say how
// it goes; on "failed" the first-visit app is still there and may ask again.
(function () {
  var root = document.documentElement;
  function report(state) {
    root.setAttribute("data-upgrade", state);
    window.dispatchEvent(new Event("tokenscope-upgrade"));
  }
  // Asked again while loading (another page, a second click): the first copy carries on.
  var state = root.getAttribute("data-upgrade");
  if (state === "loading" || state === "done") return;
  report("loading");
  var files = /* FULL */ [];
  function init() {
    wasm_bindgen({ module_or_path: files[1] }).then(
      function () {
        report("done");
      },
      function () {
        report("failed");
      }
    );
  }
  // The glue declares `wasm_bindgen` with `let`: a second copy of it would not run.
  if (typeof wasm_bindgen === "function") {
    init();
    return;
  }
  var glue = document.createElement("script");
  glue.src = files[0];
  glue.addEventListener("load", init);
  glue.addEventListener("error", function () {
    glue.remove();
    report("failed");
  });
  document.head.appendChild(glue);
})();
