// A page about work still under way (a set being checked) marks itself with
// data-reload-when-done="<seconds>". Instead of reloading itself on a timer (which moves a
// screen reader back to the top every few seconds), it asks for itself quietly in the
// background and reloads once, when the answer no longer carries the mark. Without JavaScript
// the page's "reload now" link does the same.
(function () {
  "use strict";
  var marked = document.querySelector("[data-reload-when-done]");
  if (!marked || !window.fetch) return;
  var seconds = Math.max(2, parseInt(marked.getAttribute("data-reload-when-done"), 10) || 3);
  var deadline = Date.now() + 30 * 60 * 1000; // stop asking after half an hour
  function ask() {
    if (Date.now() > deadline) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        if (html.indexOf("data-reload-when-done") === -1) {
          window.location.reload();
        } else {
          window.setTimeout(ask, seconds * 1000);
        }
      })
      .catch(function () {
        window.setTimeout(ask, seconds * 4000); // offline or a hiccup: ask less often
      });
  }
  window.setTimeout(ask, seconds * 1000);
})();
