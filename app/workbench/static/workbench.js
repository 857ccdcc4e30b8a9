// nextdesk workbench: live updates from the event stream, and an outbox that keeps what a
// technician did while offline and sends it, once, when the connection returns. No build step.
(function () {
  "use strict";

  var OUTBOX = "nextdesk.workbench.outbox";
  var RETRY_MS = 5000;
  var live = document.getElementById("live");
  var box = document.getElementById("outbox");
  var boxItems = document.getElementById("outbox-items");
  var boxCount = document.getElementById("outbox-count");
  var boxState = document.getElementById("outbox-state");
  var announce = document.getElementById("bench-announce");
  var heard = document.getElementById("heard");
  var locale = document.documentElement.lang === "id" ? "id-ID" : "en-GB";
  if (!live) return;

  // --- the outbox: kept in localStorage so a reload or a closed tab loses nothing ----------------

  function load() {
    try { return JSON.parse(localStorage.getItem(OUTBOX) || "[]"); } catch (error) { return []; }
  }
  function save(items) { localStorage.setItem(OUTBOX, JSON.stringify(items)); }

  function newKey() {
    // getRandomValues works on plain http too, where randomUUID does not.
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "wb-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function timeText(iso) {
    try {
      return new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", timeZone: heard && heard.dataset.zone });
    } catch (error) { return new Date(iso).toLocaleTimeString(locale); }
  }

  var lastProblem = "";

  function showOutbox() {
    var items = load();
    box.hidden = items.length === 0 && !lastProblem;
    boxCount.textContent = String(items.length);
    boxItems.innerHTML = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "waiting";
      li.dataset.key = item.key;
      li.textContent = item.label + " · " + timeText(item.at);
      boxItems.appendChild(li);
    });
    if (lastProblem) boxState.textContent = lastProblem;
    else boxState.textContent = navigator.onLine ? "" : box.dataset.offline;
  }

  var sending = false;

  function flush() {
    if (sending) return;
    var items = load();
    if (!items.length) { showOutbox(); return; }
    if (!navigator.onLine) { showOutbox(); return; }
    sending = true;
    var item = items[0];
    fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
        "Idempotency-Key": item.key
      },
      body: item.body
    }).then(function (response) {
      if (response.status === 401) {
        // Signed out (or the key revoked): keep it, and say why it waits.
        lastProblem = box.dataset.signedOut;
        return "stop";
      }
      if (response.status >= 500) return "stop";
      return response.json().catch(function () { return {}; }).then(function (answer) {
        // Sent: whatever the answer, it is no longer waiting. A refusal is said, not retried.
        save(load().filter(function (other) { return other.key !== item.key; }));
        lastProblem = response.ok ? "" : box.dataset.failed + ": " + item.label + ": " + (answer.detail || response.status);
        if (announce) announce.textContent = response.ok ? (answer.message || "") : lastProblem;
        page.refresh(true);
        return "next";
      });
    }, function () {
      // No answer (offline, or the answer was lost): keep it; the resend carries the same key.
      return "stop";
    }).then(function (next) {
      sending = false;
      showOutbox();
      if (next === "next") flush();
    });
  }

  function queue(form, submitter) {
    var data = new FormData(form, submitter);
    var key = newKey();
    data.set("idempotency_key", key);
    var label = form.dataset.label + (submitter ? ": " + submitter.textContent.trim() : "");
    var items = load();
    // getAttribute: form.action would name the button called "action", not the address.
    items.push({ key: key, url: form.getAttribute("action"), body: new URLSearchParams(data).toString(), label: label, at: new Date().toISOString() });
    save(items);
    lastProblem = "";
    // The form is done with: close its panel and clear what was typed.
    form.reset();
    var details = form.closest("details");
    if (details) details.open = false;
    showOutbox();
    flush();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-queue]")) return;
    if (!form.reportValidity()) return;
    event.preventDefault();
    queue(form, event.submitter);
  });

  window.addEventListener("online", function () { showOutbox(); flush(); });
  window.addEventListener("offline", showOutbox);
  setInterval(flush, RETRY_MS);

  // --- live updates ------------------------------------------------------------------------------

  // A refresh must not take away what the technician is typing: open panels stay open and
  // fields keep their values.
  function remember() {
    var kept = { open: [], values: {}, focus: null };
    live.querySelectorAll("details[open][data-keep-open]").forEach(function (d) { kept.open.push(d.dataset.keepOpen); });
    live.querySelectorAll("[data-card]").forEach(function (card) {
      card.querySelectorAll("[data-keep]").forEach(function (field, index) {
        var id = card.dataset.card + "#" + index;
        if (field.type === "radio" || field.type === "checkbox") { if (field.checked) kept.values[id] = true; }
        else if (field.value) kept.values[id] = field.value;
        if (field === document.activeElement) kept.focus = id;
      });
    });
    return kept;
  }

  function restore(kept) {
    kept.open.forEach(function (name) {
      var d = live.querySelector('details[data-keep-open="' + CSS.escape(name) + '"]');
      if (d) d.open = true;
    });
    live.querySelectorAll("[data-card]").forEach(function (card) {
      card.querySelectorAll("[data-keep]").forEach(function (field, index) {
        var id = card.dataset.card + "#" + index;
        if (field.type === "radio" || field.type === "checkbox") { if (kept.values[id]) field.checked = true; }
        else if (kept.values[id] !== undefined) field.value = kept.values[id];
        if (kept.focus === id) field.focus();
      });
    });
  }

  var page = window.nextdeskLive({
    signIn: "/workbench/sign-in",
    beforeSwap: remember,
    afterSwap: restore,
    onOpen: flush,
    pollWhen: function () { return navigator.onLine; }
  });
  showOutbox();
  flush();
})();
