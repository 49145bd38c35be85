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
  // The checklist follows what the counter says of who applies (cases/intake.py decides the
  // same on the server): a line that does not apply is greyed and marked «не требуется», a
  // per-member line counts the family, and in a «one of» group one document brought or
  // requested makes the others «не требуется». What the specialist marked is never overridden
  // except on a line that does not apply.
  function plural(n, one, few, many) {
    var m10 = n % 10, m100 = n % 100;
    if (m10 === 1 && m100 !== 11) return one;
    if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
    return many;
  }
  function setupChecklist(form) {
    var cells = Array.prototype.slice.call(form.querySelectorAll("td.line"));
    if (!cells.length) return;
    function count(name) {
      var field = form.elements[name];
      if (!field || field.value.trim() === "") return null;
      var n = parseInt(field.value, 10);
      return isNaN(n) || n < 0 ? null : n;
    }
    function facts() {
      var org = form.elements.is_organisation, kind = form.elements.representative_kind;
      var category = form.elements.applicant_category;
      var organisation = !!(org && org.checked);
      return {
        organisation: organisation,
        representative: organisation || !!(kind && kind.value),
        category: category ? category.value : "",
        children: count("family_children"),
        adults: count("family_adults")
      };
    }
    function need(d, f) {
      if ((d.appliesTo === "representative" && !f.representative) ||
          (d.appliesTo === "organisation" && !f.organisation) ||
          (d.appliesTo === "citizen" && f.organisation)) return { needed: false, reason: d.offApplies };
      if (d.categories) {
        if (!f.category) return { needed: null, reason: "выберите категорию заявителя" };
        if (d.categories.split("|").indexOf(f.category) < 0) return { needed: false, reason: d.offCategory };
      }
      if (d.perMember) {
        var n = d.perMember === "child" ? f.children : d.perMember === "adult" ? f.adults :
          (f.children === null || f.adults === null ? null : f.children + f.adults);
        if (n === null) return { needed: null, reason: d.askMembers };
        if (n === 0) return { needed: false, reason: d.offMembers };
        return { needed: true, quantity: "на каждого " + d.memberNoun + ": " + n + " " +
          plural(n, "документ", "документа", "документов") };
      }
      return { needed: true };
    }
    function notRequired(row) { return row.querySelector('input[type=radio][value="not_required"]'); }
    function checked(row) { return row.querySelector("input[type=radio]:checked"); }
    function setAuto(radio) { radio.checked = true; radio.dataset.auto = "1"; }
    function clearAuto(radio) {
      if (radio && radio.checked && radio.dataset.auto === "1") radio.checked = false;
      if (radio) delete radio.dataset.auto;
    }
    function update() {
      var f = facts();
      cells.forEach(function (cell) {
        var row = cell.closest("tr"), n = need(cell.dataset, f), none = notRequired(row);
        row.classList.toggle("not-needed", n.needed === false);
        row.dataset.needed = n.needed === false ? "0" : "1";
        cell.querySelector(".need-reason").textContent =
          n.needed === false ? "не требуется: " + n.reason : (n.needed === null ? n.reason : "");
        cell.querySelector(".quantity").textContent = n.quantity || "";
        if (n.needed === false && none && !none.checked) setAuto(none);
        else if (n.needed !== false && !row.closest("tbody.group")) clearAuto(none);
      });
      form.querySelectorAll("tbody.group").forEach(function (group) {
        var rows = Array.prototype.filter.call(group.querySelectorAll("tr"), function (r) {
          return r.querySelector("td.line") && r.dataset.needed !== "0";
        });
        var satisfied = rows.some(function (r) {
          var c = checked(r);
          return c && (c.value === "brought" || c.value === "requested");
        });
        rows.forEach(function (r) {
          var none = notRequired(r);
          if (satisfied && !checked(r) && none) setAuto(none);
          else if (!satisfied) clearAuto(none);
        });
      });
      var org = form.elements.is_organisation, box = form.querySelector("[data-org-fields]");
      if (box) box.hidden = !(org && org.checked);
      if (org && org.checked) form.querySelector("details.representative").open = true;
    }
    form.addEventListener("change", function (event) {
      if (event.target.type === "radio") delete event.target.dataset.auto;
      update();
    });
    form.addEventListener("input", function (event) {
      if (/^family_/.test(event.target.name || "")) update();
    });
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-checklist]").forEach(setupChecklist);
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
