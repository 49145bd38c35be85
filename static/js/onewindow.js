// OneWindow: small keyboard helpers for the counter. No framework; htmx does the rest.
(function () {
  "use strict";
  // Alt+<key> shortcuts are declared as accesskey attributes; elements with data-hotkey="/"
  // get focus on that key when the user is not typing in a field.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    var hot = document.querySelector('[data-hotkey="' + CSS.escape(event.key) + '"]');
    if (hot) {
      event.preventDefault();
      if (hot.tagName === "A" || hot.tagName === "BUTTON") hot.click(); else hot.focus();
    }
  });
  // Buttons with data-once are disabled after the first submit so a double click sends one form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    if (form.hasAttribute("data-once")) {
      form.dataset.submitted = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }
  }, true);
})();
