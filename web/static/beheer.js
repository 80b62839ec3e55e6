// Staff page: follow a running index build live. Without JavaScript the page shows the state
// at load time and a reload shows the rest. Text from the server goes in with textContent.
"use strict";

(function () {
  var panel = document.getElementById("bouwstatus");
  if (!panel) return;
  var text = document.getElementById("bouw-tekst");
  var bar = document.getElementById("bouw-voortgang");
  var lines = document.getElementById("bouw-regels");
  var version = document.getElementById("bouw-versie");
  var refresh = document.getElementById("bouw-vernieuwen");
  var INTERVAL_MS = 1000;

  function describe(state) {
    if (state.running) {
      var steps = state.total ? " (" + state.done + " van " + state.total + ")" : "";
      return "Bezig: " + state.stage + steps + "…";
    }
    if (state.outcome === "gelukt") return "Klaar: de laatste build is gelukt.";
    if (state.outcome === "mislukt") return "De laatste build is mislukt; de vorige index blijft in gebruik.";
    return "Er loopt geen build.";
  }

  function show(state) {
    var message = describe(state);
    if (text.textContent !== message) text.textContent = message;
    bar.hidden = !state.running;
    bar.value = state.percent;
    bar.textContent = state.percent + "%";
    version.textContent = state.serving;
    lines.replaceChildren.apply(lines, state.lines.map(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      return item;
    }));
    panel.dataset.settled = state.settled ? "ja" : "nee";
    // The list below was drawn before this build: offer the new one (no reload while typing).
    refresh.hidden = !state.settled;
  }

  function poll() {
    fetch(panel.dataset.statusUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (state) {
        show(state);
        // Keep following until the build is done and the chat answers from its version.
        if (!state.settled) window.setTimeout(poll, INTERVAL_MS);
      })
      .catch(function () {
        text.textContent = "De voortgang kan niet worden opgehaald; vernieuw de pagina.";
      });
  }

  if (panel.dataset.settled === "nee") window.setTimeout(poll, INTERVAL_MS / 4);
})();
