// Shows the fallback when the wasm app panics (panic = "abort" turns a Rust panic into a
// WebAssembly "unreachable" trap), instead of leaving a page that silently stops answering.
(function () {
  function crashed() {
    var box = document.getElementById("crashed");
    if (box) box.hidden = false;
  }
  window.addEventListener("error", function (e) {
    var m = String((e && e.message) || "");
    if (/unreachable|RuntimeError|wasm/i.test(m)) crashed();
  });
  window.addEventListener("unhandledrejection", crashed);
  document.addEventListener("click", function (e) {
    if (e.target && e.target.id === "reload") location.reload();
  });
})();
// The static shell in index.html is the Inspect page's first render. Opened at another page
// (a deep link such as #/ca), <html data-deep-link> hides the shell's <main> until the app
// replaces it, so the wrong page never shows. Same rule as Route::from_hash.
(function () {
  var page = location.hash.replace(/^#\/*/, "").split(/[?\/]/)[0];
  if (page !== "" && page !== "inspect") document.documentElement.setAttribute("data-deep-link", "");
})();
