// nextdesk live pages (the desk and the workbench): the parts of a page marked data-live-part are
// fetched again whenever the event stream says something changed, and by a slow poll beside it,
// so time-based parts (overdue) stay current too. No build step.
(function () {
  "use strict";

  var POLL_MS = 30000;
  var locale = document.documentElement.lang === "id" ? "id-ID" : "en-GB";

  // options: signIn (the page's sign-in address), carryOver(old, fresh) for each part swapped,
  // beforeSwap() -> kept and afterSwap(kept) around the swap, announce() -> false to skip the
  // flash, onOpen() when the stream (re)connects, pollWhen() -> false to skip a poll.
  window.nextdeskLive = function (options) {
    var live = document.getElementById("live");
    if (!live) return null;
    var statusBox = document.getElementById("live-status");
    var stateText = document.getElementById("live-state");
    var heard = document.getElementById("heard");
    var pending = null;
    var inFlight = false;

    function markHeard() {
      if (!heard) return;
      var now = new Date();
      heard.dateTime = now.toISOString();
      // In the business's time zone, like every other time on these pages.
      try { heard.textContent = now.toLocaleTimeString(locale, { timeZone: heard.dataset.zone }); }
      catch (error) { heard.textContent = now.toLocaleTimeString(locale); }
    }

    function setState(name) {
      if (!statusBox || !stateText) return;
      statusBox.classList.toggle("connected", name === "live");
      statusBox.classList.toggle("lost", name === "lost");
      if (stateText.dataset[name]) stateText.textContent = stateText.dataset[name];
    }

    function swap(html) {
      var kept = options.beforeSwap ? options.beforeSwap() : null;
      var fresh = document.createElement("template");
      fresh.innerHTML = html;
      fresh.content.querySelectorAll("[data-live-part]").forEach(function (part) {
        var old = document.getElementById(part.id);
        if (!old) return;
        if (options.carryOver) options.carryOver(old, part);
        old.replaceWith(part);
      });
      if (options.afterSwap) options.afterSwap(kept);
    }

    function refresh(announceIt) {
      if (inFlight) { schedule(announceIt); return; }
      inFlight = true;
      fetch(live.dataset.liveUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (response.status === 401) {
            window.location.assign(options.signIn + "?next=" + encodeURIComponent(location.pathname + location.search));
            return null;
          }
          if (!response.ok) throw new Error("refresh failed: " + response.status);
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          swap(html);
          markHeard();
          if (announceIt && (!options.announce || options.announce() !== false)) {
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

    function onEvent() { markHeard(); setState("live"); schedule(true); }

    if (window.EventSource && live.dataset.streamUrl) {
      var source = new EventSource(live.dataset.streamUrl);
      (live.dataset.eventTypes || "").split(",").forEach(function (type) { if (type) source.addEventListener(type, onEvent); });
      source.onmessage = onEvent;
      // The stream's control messages: "reset" means refetch what is shown; "reconnect" is
      // followed by the browser reconnecting on its own, with Last-Event-ID.
      source.addEventListener("reset", onEvent);
      source.addEventListener("reconnect", function () { markHeard(); });
      source.onopen = function () { markHeard(); setState("live"); if (options.onOpen) options.onOpen(); };
      source.onerror = function () { setState("lost"); };
      window.addEventListener("pagehide", function () { source.close(); });
    }
    setInterval(function () { if (!options.pollWhen || options.pollWhen()) refresh(false); }, POLL_MS);

    return { live: live, refresh: refresh };
  };
})();
