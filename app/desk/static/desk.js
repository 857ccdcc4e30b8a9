// nextdesk front desk: copy buttons, and what the desk adds to the live parts (live.js). No build step.
(function () {
  "use strict";

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

  if (!document.getElementById("live")) return;

  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-keep-choice")) event.target.dataset.touched = "1";
  });

  function syncForms() {
    // The acknowledge form records the version now on screen: what the agent just read out.
    var data = document.getElementById("order-summary");
    var field = document.querySelector("[data-order-version]");
    if (data && field) field.value = data.dataset.version;
  }

  var announce = document.getElementById("live-announce");

  window.nextdeskLive({
    signIn: "/desk/sign-in",
    carryOver: function (old, part) {
      // A list the agent already chose from keeps the choice, if it is still offered.
      if (old.hasAttribute("data-keep-choice") && old.dataset.touched) {
        var keep = old.value;
        if (Array.prototype.some.call(part.options, function (o) { return o.value === keep; })) part.value = keep;
        part.dataset.touched = "1";
      }
    },
    afterSwap: syncForms,
    announce: function () {
      if (!announce) return false;
      announce.textContent = announce.dataset.text;
      return true;
    }
  });
})();
