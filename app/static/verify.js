// The /verify page, enhanced: the chosen file is read and hashed (SHA-256) in the browser, and
// only its hash is sent; the file itself never leaves the computer. Without JavaScript, or
// without Web Crypto (a page not served over HTTPS), the form sends the file and the server
// hashes it as it arrives.
(function () {
  "use strict";
  var form = document.getElementById("verify-form");
  if (!form || !window.FileReader || !window.crypto || !window.crypto.subtle) return;
  var input = document.getElementById("file");
  var hashed = document.getElementById("file_sha256");
  var status = document.getElementById("verify-status");
  var button = document.getElementById("verify-submit");
  var maxBytes = parseInt(form.dataset.maxMb, 10) * 1024 * 1024;
  var busy = false;

  function say(text) {
    status.textContent = text;
  }

  function hex(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += ("0" + bytes[i].toString(16)).slice(-2);
    return out;
  }

  function send() {
    // The file input is left out of what is sent: no name, disabled, and no multipart body.
    input.disabled = true;
    input.removeAttribute("name");
    form.enctype = "application/x-www-form-urlencoded";
    form.submit();
  }

  function fail(text) {
    busy = false;
    button.disabled = false;
    say(text);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    var file = input.files && input.files[0];
    hashed.value = "";
    if (!file) {
      send();
      return;
    }
    if (file.size > maxBytes) {
      say("The file is larger than " + form.dataset.maxMb + " MB. No document served here is larger, so it was not served under any receipt.");
      return;
    }
    busy = true;
    button.disabled = true;
    say("Checking the file on this computer…");
    // Web Crypto hashes a whole buffer, not a stream: the file (at most the document limit)
    // is read whole, with progress.
    var reader = new FileReader();
    reader.addEventListener("progress", function (e) {
      if (e.lengthComputable) say("Checking the file on this computer: " + Math.floor((100 * e.loaded) / e.total) + "%");
    });
    reader.addEventListener("error", function () {
      fail("The file could not be read. Choose it again.");
    });
    reader.addEventListener("load", function () {
      window.crypto.subtle.digest("SHA-256", reader.result).then(function (digest) {
        hashed.value = hex(digest);
        say("Checked on this computer; sending its SHA-256 only.");
        send();
      }, function () {
        fail("The file could not be read. Choose it again.");
      });
    });
    reader.readAsArrayBuffer(file);
  });

  // Back from the answer (the page kept in memory): the form works again.
  window.addEventListener("pageshow", function () {
    busy = false;
    button.disabled = false;
    input.disabled = false;
    input.setAttribute("name", "file");
  });
})();
