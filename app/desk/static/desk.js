// nextdesk front desk: live updates from the event stream, and copy buttons. No build step.
(function () {
  "use strict";

  var POLL_MS = 30000; // a fallback refresh, so time-based queues (overdue) stay current too
  var live = document.getElementById("live");
  var statusBox = document.getElementById("live-status");
  var stateText = document.getElementById("live-state");
  var heard = document.getElementById("heard");
  var announce = document.getElementById("live-announce");
  var locale = document.documentElement.lang === "id" ? "id-ID" : "en-GB";

  function markHeard() {
    if (!heard) return;
    var now = new Date();
    heard.dateTime = now.toISOString();
    // In the business's time zone, like every other time on the desk.
    try {
      heard.textContent = now.toLocaleTimeString(locale, { timeZone: heard.dataset.zone });
    } catch (error) {
      heard.textContent = now.toLocaleTimeString(locale);
    }
  }

  function setState(name) {
    if (!statusBox || !stateText) return;
    statusBox.classList.toggle("connected", name === "live");
    statusBox.classList.toggle("lost", name === "lost");
    if (stateText.dataset[name]) stateText.textContent = stateText.dataset[name];
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    document.body.removeChild(area);
    return Promise.resolve();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copy);
    if (!source) return;
    var label = button.innerHTML;
    copyText(source.textContent.trim()).then(function () {
      button.textContent = button.dataset.copied || "Copied";
      setTimeout(function () { button.innerHTML = label; }, 1500);
    });
  });

  if (!live) return;

  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-keep-choice")) event.target.dataset.touched = "1";
  });

  var pending = null;
  var inFlight = false;

  function syncForms() {
    // The acknowledge form records the version now on screen: what the agent just read out.
    var data = document.getElementById("order-summary");
    var field = document.querySelector("[data-order-version]");
    if (data && field) field.value = data.dataset.version;
  }

  function refresh(announceIt) {
    if (inFlight) { schedule(announceIt); return; }
    inFlight = true;
    fetch(live.dataset.liveUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.status === 401) { window.location.assign("/desk/sign-in?next=" + encodeURIComponent(location.pathname + location.search)); return null; }
        if (!response.ok) throw new Error("refresh failed: " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        // Swap each live part for its fresh copy; the forms between them keep what was typed.
        var fresh = document.createElement("template");
        fresh.innerHTML = html;
        fresh.content.querySelectorAll("[data-live-part]").forEach(function (part) {
          var old = document.getElementById(part.id);
          if (!old) return;
          // A list the agent already chose from keeps the choice, if it is still offered.
          if (old.hasAttribute("data-keep-choice") && old.dataset.touched) {
            var keep = old.value;
            if (Array.prototype.some.call(part.options, function (o) { return o.value === keep; })) part.value = keep;
            part.dataset.touched = "1";
          }
          old.replaceWith(part);
        });
        syncForms();
        markHeard();
        if (announceIt && announce) {
          announce.textContent = announce.dataset.text;
          live.classList.remove("flash-update");
          void live.offsetWidth;
          live.classList.add("flash-update");
        }
      })
      .catch(function () { setState("lost"); })
      .then(function () { inFlight = false; });
  }

  function schedule(announceIt) {
    if (pending) clearTimeout(pending);
    pending = setTimeout(function () { pending = null; refresh(announceIt); }, 150);
  }

  function onEvent() {
    markHeard();
    setState("live");
    schedule(true);
  }

  if (window.EventSource && live.dataset.streamUrl) {
    var source = new EventSource(live.dataset.streamUrl);
    var types = (live.dataset.eventTypes || "").split(",");
    types.forEach(function (type) { if (type) source.addEventListener(type, onEvent); });
    source.onmessage = onEvent;
    // The stream's control messages: "reset" means refetch what is shown; "reconnect" is
    // followed by the browser reconnecting on its own, with Last-Event-ID.
    source.addEventListener("reset", onEvent);
    source.addEventListener("reconnect", function () { markHeard(); });
    source.onopen = function () { markHeard(); setState("live"); };
    source.onerror = function () { setState("lost"); };
    window.addEventListener("pagehide", function () { source.close(); });
  }
  setInterval(function () { refresh(false); }, POLL_MS);
})();
