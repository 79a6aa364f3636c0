// The serve form, enhanced: each file is checked (size, count) before it is sent, sent on its
// own as soon as it is picked (with progress) and kept in the set in progress on the server;
// moving and removing kept files happen in place. Without JavaScript the same buttons submit
// the form, and the server does the same.
(function () {
  "use strict";
  var form = document.getElementById("serve-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var input = document.getElementById("files");
  var kept = document.getElementById("kept-files");
  var progress = document.getElementById("upload-progress");
  var announce = document.getElementById("serve-announce");
  var MB = 1024 * 1024;
  var maxFiles = parseInt(form.dataset.maxFiles, 10);
  var maxFileMb = parseInt(form.dataset.maxFileMb, 10);
  var maxSetMb = parseInt(form.dataset.maxSetMb, 10);

  function say(text) {
    announce.textContent = "";
    window.setTimeout(function () { announce.textContent = text; }, 50);
  }

  function keptCount() {
    return kept.querySelectorAll("[data-kept-file]").length;
  }

  function post(action, file, onProgress) {
    var data = new FormData(form);
    data.delete("files");
    data.set("action", action);
    if (file) data.append("files", file, file.name);
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.pathname);
      xhr.setRequestHeader("Accept", "application/json");
      if (onProgress && xhr.upload) {
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) onProgress(e.loaded / e.total);
        });
      }
      xhr.addEventListener("load", function () {
        var answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = null; }
        resolve({ status: xhr.status, answer: answer });
      });
      xhr.addEventListener("error", function () { resolve({ status: 0, answer: null }); });
      xhr.send(data);
    });
  }

  function redraw(answer) {
    if (answer && typeof answer.html === "string") kept.innerHTML = answer.html;
  }

  function row(file) {
    var li = document.createElement("li");
    li.className = "margin-bottom-1";
    var label = document.createElement("span");
    label.textContent = file.name + " ";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Sending " + file.name);
    var note = document.createElement("span");
    note.className = "display-block";
    li.appendChild(label);
    li.appendChild(bar);
    li.appendChild(note);
    progress.appendChild(li);
    return { bar: bar, note: note, li: li };
  }

  function refuse(file, text) {
    var r = row(file);
    r.bar.remove();
    r.note.className = "display-block usa-error-message";
    r.note.textContent = text;
    say(text);
  }

  async function send(files) {
    var count = keptCount();
    var total = 0;
    for (var i = 0; i < files.length; i++) {
      var file = files[i];
      if (file.size > maxFileMb * MB) {
        refuse(file, file.name + " is over the " + maxFileMb + " MB limit for one document. Split it into parts.");
        continue;
      }
      if (count + 1 > maxFiles) {
        refuse(file, "A document set may hold at most " + maxFiles + " files; " + file.name + " was not sent.");
        continue;
      }
      if ((total + file.size) > maxSetMb * MB) {
        refuse(file, "The documents together would be over the " + maxSetMb + " MB limit; " + file.name + " was not sent.");
        continue;
      }
      var r = row(file);
      var result = await post("save", file, function (part) { r.bar.value = Math.round(part * 100); });
      r.bar.value = 100;
      redraw(result.answer);
      var problems = (result.answer && result.answer.problems) || [];
      if (result.status === 200) {
        count += 1;
        total += file.size;
        r.li.remove();
        say("Kept " + file.name + ".");
      } else {
        r.note.className = "display-block usa-error-message";
        r.note.textContent = problems.length ? problems.map(function (p) { return p.message; }).join(" ")
          : file.name + " could not be sent. Try again, or press Serve to send it with the form.";
        say(r.note.textContent);
      }
    }
    input.value = "";
  }

  input.addEventListener("change", function () {
    if (input.files && input.files.length) send(Array.prototype.slice.call(input.files));
  });

  kept.addEventListener("click", async function (event) {
    var button = event.target.closest("button[name=action]");
    if (!button || !/^(up|down|remove):/.test(button.value)) return;
    event.preventDefault();
    var action = button.value;
    var id = action.split(":")[1];
    var result = await post(action, null, null);
    if (!result.answer) { form.requestSubmit(button); return; }
    redraw(result.answer);
    if (result.answer.notice) say(result.answer.notice);
    var same = kept.querySelector("button[value='" + action + "']:not([disabled])");
    var moved = document.getElementById("file-" + id);
    var target = same || (moved && moved.querySelector("button:not([disabled])")) ||
      kept.querySelector("button") || input;
    target.focus();
  });
})();
