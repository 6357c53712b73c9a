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
// The static shell in index.html is the Inspect page's first render, and on a slow network it
// stands for seconds before the app replaces it. Opened at another page (a deep link such as
// #/ca), or moved there by a click on the shell's navigation, <html data-deep-link> hides the
// shell's <main> until the app starts, so the wrong page never shows, and the navigation marks
// the page asked for. Same rule as Route::from_hash.
(function () {
  function follow() {
    var page = location.hash.replace(/^#\/*/, "").split(/[?\/]/)[0];
    var other = page !== "" && page !== "inspect";
    if (other) document.documentElement.setAttribute("data-deep-link", "");
    else document.documentElement.removeAttribute("data-deep-link");
    var links = document.querySelectorAll("[data-shell] nav a");
    for (var i = 0; i < links.length; i++) {
      var target = (links[i].getAttribute("href") || "").replace(/^#\/*/, "");
      if (target === (other ? page : "inspect")) links[i].setAttribute("aria-current", "page");
      else links[i].removeAttribute("aria-current");
    }
  }
  follow();
  // Again once the shell's navigation is parsed (a no-op if the app has replaced it by then).
  document.addEventListener("DOMContentLoaded", follow);
  window.addEventListener("hashchange", follow);
  // The shell's skip link does what the app's will: it moves the focus to <main> and leaves
  // the hash alone, which holds the route (#main would open the not-found page).
  document.addEventListener("click", function (e) {
    var skip = e.target && e.target.closest && e.target.closest("[data-shell] a.skip");
    if (!skip) return;
    e.preventDefault();
    var main = document.getElementById("main");
    if (main) main.focus();
  });
})();
