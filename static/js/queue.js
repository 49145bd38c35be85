/* The hall's devices: no framework, no network beyond our own server.
   - [data-refresh-url]: fetch the part every N seconds and put it in place; a failed fetch (the
     server restarting, the network gone) shows a note and simply tries again on the next beat,
     so the screen recovers by itself; a page that is not our part (the login page after the
     session ended) reloads the whole page after a while.
   - [data-chime]: a new call (the board's data-signature changed) rings a short chime (WebAudio).
   - [data-once]: a form is sent once (a double tap sends nothing more; the server's token also
     returns the first tap's ticket).
   - [data-autoprint]: the ticket page prints itself; [data-return-after]: back to the kiosk. */
(function () {
  "use strict";

  let audio = null;
  function audioContext() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    if (!audio) audio = new Ctx();
    return audio;
  }

  function chime() {
    const ctx = audioContext();
    if (!ctx) return;
    if (ctx.state === "suspended") ctx.resume();
    const start = ctx.currentTime + 0.05;
    [[880, 0], [660, 0.45]].forEach(function (tone) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = tone[0];
      gain.gain.setValueAtTime(0.0001, start + tone[1]);
      gain.gain.exponentialRampToValueAtTime(0.5, start + tone[1] + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + tone[1] + 0.6);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + tone[1]);
      osc.stop(start + tone[1] + 0.65);
    });
    document.body.dataset.chimes = String(Number(document.body.dataset.chimes || 0) + 1);
  }

  function soundButton() {
    const button = document.querySelector("[data-sound]");
    if (!button) return;
    const ctx = audioContext();
    if (!ctx) return;
    const show = function () { button.hidden = ctx.state !== "suspended"; };
    button.addEventListener("click", function () { ctx.resume().then(show); });
    document.addEventListener("pointerdown", function () { ctx.resume().then(show); });
    show();
  }

  function refresher(holder) {
    const url = holder.dataset.refreshUrl;
    const every = Math.max(1, Number(holder.dataset.refreshEvery || 2)) * 1000;
    const part = holder.dataset.refreshPart;
    const status = document.querySelector("[data-status]");
    const signature = function () {
      const board = holder.querySelector("[data-signature]");
      return board ? board.dataset.signature : "";
    };
    let last = signature();
    let failures = 0;
    let foreign = 0;

    function say(text) { if (status) status.textContent = text; }

    async function beat() {
      const controller = new AbortController();
      const timer = setTimeout(function () { controller.abort(); }, Math.max(every, 5000));
      try {
        const response = await fetch(url, {
          cache: "no-store", credentials: "same-origin", signal: controller.signal,
          headers: { "X-Requested-With": "fetch" },
        });
        if (response.ok && response.headers.get("X-Queue-Part") === part) {
          holder.innerHTML = await response.text();
          failures = 0; foreign = 0;
          say("");
          const now = signature();
          if (holder.hasAttribute("data-chime") && now && now !== last) chime();
          last = now;
        } else if (response.ok) {
          // not our part: the session ended and the login page came back
          foreign += 1;
          say("Требуется вход в систему");
          if (foreign * every >= 30000) window.location.reload();
        } else {
          failures += 1;
          say("Сервер недоступен, повторяю…");
        }
      } catch (error) {
        failures += 1;
        say("Нет связи с сервером, повторяю…");
      } finally {
        clearTimeout(timer);
        setTimeout(beat, every);
      }
    }
    setTimeout(beat, every);
  }

  function returner() {
    const body = document.body;
    const seconds = Number(body.dataset.returnAfter || 0);
    if (!seconds || !body.dataset.returnUrl) return;
    let timer = null;
    const arm = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { window.location.href = body.dataset.returnUrl; }, seconds * 1000);
    };
    document.addEventListener("pointerdown", arm);
    arm();
  }

  // [data-keypad]: the on-screen keys type into the form's input (a keyboard works as well)
  function keypad(form) {
    const input = form.querySelector("input[name=code]");
    form.addEventListener("click", function (event) {
      const key = event.target.closest("[data-key]");
      if (!key || !input) return;
      if (key.dataset.key === "erase") input.value = input.value.slice(0, -1);
      else if (input.value.length < Number(input.maxLength || 10)) input.value += key.dataset.key;
      input.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-keypad]").forEach(keypad);
    document.querySelectorAll("[data-refresh-url]").forEach(refresher);
    soundButton();
    returner();
    if (document.body.hasAttribute("data-autoprint")) {
      window.addEventListener("load", function () { setTimeout(function () { window.print(); }, 300); });
    }
  });

  // a form marked data-once is sent once: a double tap on the kiosk sends nothing more (the
  // server's token would give back the first tap's ticket anyway); the kiosk's buttons are
  // replaced by the refresh, so the guard listens on the document
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches || !form.matches("form[data-once]")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    setTimeout(function () { delete form.dataset.sent; }, 10000);
  }, true);
})();
