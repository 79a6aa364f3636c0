// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // The error summary takes focus, so a screen reader reads it and a keyboard starts there.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // "Copy" beside a hash: the clipboard when the browser allows it.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        button.firstChild.textContent = "Copied";
      });
    });
  });

  // The session-expiry warning.
  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : null;
  }
  var dialog = document.getElementById("session-expiry");
  var leftText = meta("session-expires-in");
  if (!dialog || !leftText || typeof dialog.showModal !== "function") {
    return;
  }
  // Seconds left as the server counts them: this computer's clock may be wrong.
  var endsAt = Date.now() + parseInt(leftText, 10) * 1000;
  var warnMs = parseInt(meta("session-warn-seconds") || "120", 10) * 1000;
  var countdown = dialog.querySelector("[data-expiry-countdown]");
  var stay = dialog.querySelector("[data-expiry-stay]");
  var lastFocus = null;
  var timer = null;

  function words(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    if (s >= 90) {
      return "in " + Math.round(s / 60) + " minutes";
    }
    return "in " + s + " second" + (s === 1 ? "" : "s");
  }

  function ended() {
    dialog.querySelector("#session-expiry-heading").textContent = "Your session has ended";
    dialog.querySelector("#session-expiry-text").textContent =
      "You were logged out. What you typed is still on this page: copy it if you need it, " +
      "then log in again.";
    stay.textContent = "Log in again";
    stay.setAttribute("data-expired", "true");
  }

  function tick() {
    var left = endsAt - Date.now();
    if (left <= 0) {
      if (!dialog.open) {
        open();
      }
      ended();
      return;
    }
    if (left <= warnMs) {
      if (!dialog.open) {
        open();
      }
      countdown.textContent = words(left);
    }
    timer = window.setTimeout(tick, left <= warnMs ? 1000 : Math.min(left - warnMs, 60000));
  }

  function open() {
    lastFocus = document.activeElement;
    dialog.showModal();
    stay.focus();
  }

  function close() {
    if (dialog.open) {
      dialog.close();
    }
    if (lastFocus && lastFocus.focus) {
      lastFocus.focus();
    }
  }

  function extend() {
    if (stay.getAttribute("data-expired")) {
      window.location.href = "/login?next=" + encodeURIComponent(window.location.pathname);
      return;
    }
    var body = new FormData();
    body.append("csrf_token", meta("csrf-token"));
    fetch(meta("session-extend-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": meta("csrf-token"), Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(function (data) {
        endsAt = Date.now() + data.expires_in * 1000;
        close();
        window.clearTimeout(timer);
        tick();
      })
      .catch(function () {
        ended();
      });
  }

  stay.addEventListener("click", extend);
  // Escape is "I am still here": the same as Stay signed in.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    if (stay.getAttribute("data-expired")) {
      close();
    } else {
      extend();
    }
  });
  tick();
})();
