// Choosing a rejection reason from the office's list fills the reason box with its words, to
// send as they are or to edit. Without this script the server does the same when the box is
// left empty (filings/reason_templates.py reason_from).
(function () {
  "use strict";
  var select = document.querySelector("[data-reason-templates]");
  var reason = document.getElementById("reason");
  if (!select || !reason) return;
  var filled = "";
  select.addEventListener("change", function () {
    var option = select.options[select.selectedIndex];
    var text = option ? option.getAttribute("data-text") || "" : "";
    // Never overwrite words the staff member typed themselves.
    if (reason.value.trim() === "" || reason.value === filled) {
      reason.value = text;
      filled = text;
    }
  });
})();
