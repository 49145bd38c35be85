// OneWindow: small keyboard helpers for the counter. No framework; htmx does the rest.
(function () {
  "use strict";
  // Alt+<key> shortcuts are declared as accesskey attributes. They are handled here by the
  // physical key (event.code), so they work with the Russian layout too and the same way in
  // every browser (Firefox's own accesskeys want Alt+Shift).
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || !/^Key[A-Z]$/.test(event.code)) return;
    var letter = event.code.slice(3).toLowerCase();
    var target = document.querySelector('[accesskey="' + letter + '"]');
    if (!target) return;
    event.preventDefault();
    if (target.tagName === "A" || target.tagName === "BUTTON") target.click(); else target.focus();
  });
  // Links with data-carry="#field" take what is typed in that field along as ?q=…
  // («Новый заявитель» right after a search that found nobody).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-carry]");
    if (!link) return;
    var field = document.querySelector(link.getAttribute("data-carry"));
    if (!field || !field.value.trim()) return;
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("q", field.value.trim());
    link.href = url.toString();
  }, true);
  // Elements with data-hotkey="/" get focus on that key when the user is not typing in a field.
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
  // After a refused submit, the cursor goes to the first field with an error.
  document.addEventListener("DOMContentLoaded", function () {
    var wrong = document.querySelector(".has-error input:not([type=hidden]), .has-error select, .has-error textarea");
    if (wrong) wrong.focus();
  });
  // Buttons with data-once are disabled after the first submit so a double click sends one form.
  // The browser builds the form's data after this event and leaves disabled buttons out, the
  // clicked one too: its name=value (e.g. start=1) goes along in a hidden field instead.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    if (form.hasAttribute("data-once")) {
      form.dataset.submitted = "1";
      form.querySelectorAll("input[data-submitter]").forEach(function (i) { i.remove(); });
      var submitter = event.submitter;
      if (submitter && submitter.name) {
        var carried = document.createElement("input");
        carried.type = "hidden";
        carried.name = submitter.name;
        carried.value = submitter.value;
        carried.setAttribute("data-submitter", "");
        form.appendChild(carried);
      }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }
  }, true);
  // A page restored by «Назад» from the browser's cache gets its data-once forms back.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-once][data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll("input[data-submitter]").forEach(function (i) { i.remove(); });
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });
  // Search boxes with data-results="#id": ArrowDown moves into the result links, arrows move
  // between them, Escape returns to the box, Enter opens the focused link.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var box = target.closest && target.closest("[data-results]") ? target : null;
    var list = null;
    if (box) {
      list = document.querySelector(box.getAttribute("data-results"));
    } else if (target.classList && target.classList.contains("result-link")) {
      list = target.closest("[id]");
      box = document.querySelector('[data-results="#' + list.id + '"]');
    }
    if (!list) return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a.result-link"));
    if (!links.length) return;
    var index = links.indexOf(target);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      links[Math.min(index + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (index <= 0 && box) box.focus(); else links[index - 1].focus();
    } else if (event.key === "Escape" && box) {
      box.focus();
    } else if (event.key === "Enter" && target === box) {
      // Enter in the box opens the first result (one keystroke away), but only when the results
      // shown are those of what is typed now; otherwise the form is submitted as usual.
      var shownFor = (list.getAttribute("data-query") || "").trim();
      if (shownFor && shownFor === box.value.trim()) {
        event.preventDefault();
        links[0].click();
      }
    }
  });
  // Presence check: after each scan the field is emptied and keeps the focus (a USB scanner types
  // the code and presses Enter); a number that matches nothing beeps.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-scan]");
    if (!form) return;
    var field = form.querySelector("input[name=code]");
    field.value = "";
    field.focus();
    if (document.querySelector("#progress [data-beep='1']")) beep();
  });
  function beep() {
    try {
      var audio = new (window.AudioContext || window.webkitAudioContext)();
      var tone = audio.createOscillator();
      tone.frequency.value = 440;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch (e) { /* no sound device: the red message says it */ }
  }
})();
