// Passkeys (WebAuthn): adding one on the passkeys page, and using one at log-in.
// The server's options are WebAuthn JSON; the browser parses them and answers in JSON.
(function () {
  "use strict";

  function showError(message) {
    var box = document.getElementById("passkey-error");
    if (box) { box.textContent = message; box.hidden = false; }
  }

  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || "The server refused the passkey."); }
        return data;
      });
    });
  }

  function supported() {
    return window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON;
  }

  var add = document.getElementById("add-passkey");
  if (add) {
    add.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!supported()) { showError("This browser cannot make passkeys."); return; }
      var csrf = add.dataset.csrf;
      var name = add.querySelector("input[name=name]").value;
      post(add.dataset.options, csrf).then(function (options) {
        return navigator.credentials.create({
          publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options)
        });
      }).then(function (credential) {
        return post(add.dataset.register, csrf, { credential: credential.toJSON(), name: name });
      }).then(function (data) {
        window.location.assign(data.redirect);
      }).catch(function (error) { showError(error.message); });
    });
  }

  var use = document.getElementById("use-passkey");
  if (use) {
    use.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!supported()) { showError("This browser cannot use passkeys."); return; }
      var csrf = use.dataset.csrf;
      post(use.dataset.options, csrf).then(function (options) {
        return navigator.credentials.get({
          publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options)
        });
      }).then(function (credential) {
        return post(use.dataset.login, csrf, { credential: credential.toJSON() });
      }).then(function (data) {
        window.location.assign(data.redirect);
      }).catch(function (error) { showError(error.message); });
    });
  }
})();
