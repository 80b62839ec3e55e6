// MKB-assistent chat: ask through the JSON API and add the answer without reloading.
// Without JavaScript the forms post normally and the server renders the whole page.
// Everything from the server or the user is inserted with textContent, never as HTML.
"use strict";

(function () {
  var MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december"];
  var HISTORY_TURNS = 5;
  var THEMES = { corona: "Coronasteun", financiering: "Financiering", innovatie: "Innovatie",
    personeel: "Personeel", fiscaal: "Fiscaal", overig: "Overige regelingen" };
  var busy = false;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function dutchDate(iso) {
    var match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!match) return iso || "datum onbekend";
    return Number(match[3]) + " " + MONTHS[Number(match[2]) - 1] + " " + match[1];
  }

  function history() {
    var turns = document.querySelectorAll("#gesprek .beurt");
    var result = [];
    for (var i = Math.max(0, turns.length - HISTORY_TURNS); i < turns.length; i++) {
      result.push({ question: turns[i].dataset.question, answer: turns[i].dataset.answer });
    }
    return result;
  }

  function askForm(topic) {
    return el("form", { method: "post", action: "/vraag", "class": "vraag-knop", "data-ask": "" }, [
      el("input", { type: "hidden", name: "vraag", value: topic }),
      el("button", { type: "submit", "class": "link-knop", text: topic }),
    ]);
  }

  function answerBody(data) {
    var label = "Antwoord" + (data.index_version ? " " : "");
    var who = el("p", { "class": "wie" }, [label]);
    if (data.index_version) {
      who.appendChild(el("span", { "class": "versie", text: "(index " + data.index_version + ")" }));
    }
    who.appendChild(document.createTextNode(":"));
    var body = el("div", { "class": "antwoord" + (data.abstained ? " geen-antwoord" : "") }, [who]);
    if (data.abstained) {
      body.appendChild(el("p", { "class": "tekst", text: data.answer }));
      if (data.suggestions.length) {
        body.appendChild(el("p", { text: "Wel in de documenten te vinden, misschien bedoelt u:" }));
        body.appendChild(el("ul", { "class": "suggesties" }, data.suggestions.map(function (topic) {
          return el("li", {}, [askForm(topic)]);
        })));
      }
      return body;
    }
    if (data.notice) {
      body.appendChild(el("p", { "class": "onzeker", role: "note", text: data.notice }));
    }
    var byN = {};
    data.citations.forEach(function (c) { byN[c.n] = c; });
    var text = el("p", { "class": "tekst" });
    data.sentences.forEach(function (s, i) {
      var c = byN[s.n];
      text.appendChild(document.createTextNode((i ? " " : "") + s.text + " "));
      text.appendChild(el("a", { "class": "bronlink", href: c.url + "#passage" }, [
        "[" + s.n + "]",
        el("span", { "class": "visually-hidden", text: " bron: " + c.title }),
      ]));
    });
    body.appendChild(text);
    body.appendChild(el("h3", { "class": "bronnen-kop", text: "Bronnen" }));
    body.appendChild(el("ol", { "class": "bronnen" }, data.citations.map(function (c) {
      var meta = dutchDate(c.date) + " · pagina " + c.page + (c.section ? " · " + c.section : "");
      return el("li", { value: String(c.n) }, [
        el("a", { href: c.url + "#passage", text: c.title }), " ",
        el("span", { "class": "meta", text: meta }),
        el("details", {}, [
          el("summary", { text: "Toon de passage" }),
          el("blockquote", { "class": "passage", text: c.passage }),
        ]),
      ]);
    })));
    if (data.regelingen && data.regelingen.length) {
      body.appendChild(el("h3", { "class": "regelingen-kop",
        text: "Regelingen waar dit antwoord over gaat" }));
      body.appendChild(el("ul", { "class": "kaarten kaarten-kort" }, data.regelingen.map(function (card) {
        return el("li", { "class": "kaart" }, schemeCard(card));
      })));
    }
    return body;
  }

  // A compact scheme card, as the server renders _regeling_kort.html.
  function schemeCard(card) {
    var label = card.acronym && card.acronym !== card.name ?
      card.name + " (" + card.acronym + ")" : card.name;
    var meta = (THEMES[card.theme] || card.theme) + " · stand " + dutchDate(card.updated) +
      (card.agencies.length ? " · aanvragen: " + card.agencies.join(", ") : "");
    var parts = [
      el("p", { "class": "kaart-naam" }, [el("a", { href: card.url, text: label })]),
      el("p", { "class": "kaart-meta", text: meta }),
    ];
    var wat = card.fields.filter(function (f) { return f.field === "wat"; })[0];
    if (wat) {
      parts.push(el("p", { "class": "citaat" }, [
        el("q", { text: wat.text }), " ",
        el("a", { "class": "bronlink", href: wat.url }, [
          "bron", el("span", { "class": "visually-hidden", text: ": " + wat.document + ", pagina " + wat.page }),
        ]),
      ]));
    }
    return parts;
  }

  function feedbackForm(answerId) {
    var form = document.getElementById("feedback-sjabloon").content.firstElementChild.cloneNode(true);
    form.dataset.answerId = answerId;
    form.querySelector("input[name=antwoord]").value = answerId;
    var select = form.querySelector("select");
    select.id = "reden-" + answerId;
    form.querySelector("label").setAttribute("for", select.id);
    return form;
  }

  function renderAnswer(data) {
    var id = data.answer_id;
    var article = el("article", { "class": "beurt", id: "antwoord-" + id,
      "aria-labelledby": "vraag-" + id });
    article.dataset.question = data.question;
    article.dataset.answer = data.answer;
    article.appendChild(el("h2", { "class": "vraag", id: "vraag-" + id }, [
      el("span", { "class": "wie", text: "Uw vraag:" }), " " + data.question,
    ]));
    article.appendChild(answerBody(data));
    article.appendChild(feedbackForm(id));
    return article;
  }

  function showError(message) {
    var box = document.getElementById("js-fout");
    box.textContent = message;
    box.hidden = !message;
  }

  // The button stays focusable while busy (a disabled button would drop the keyboard focus).
  function setBusy(value) {
    busy = value;
    document.getElementById("gesprek").setAttribute("aria-busy", value ? "true" : "false");
    document.getElementById("vraag-knop").setAttribute("aria-disabled", value ? "true" : "false");
    document.getElementById("bezig").textContent = value ? "Bezig met zoeken…" : "";
  }

  function postJson(url, payload) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload),
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, data: data };
      });
    });
  }

  function ask(form) {
    if (busy) return;
    var question = form.elements.vraag.value;
    showError("");
    setBusy(true);
    postJson("/api/ask", { question: question, history: history() }).then(function (result) {
      setBusy(false);
      if (!result.ok) {
        showError(result.data.detail || "Er ging iets mis. Probeer het nog eens.");
        return;
      }
      var article = renderAnswer(result.data);
      document.getElementById("gesprek").appendChild(article);
      var examples = document.getElementById("voorbeelden");
      var lost = examples && examples.contains(document.activeElement);
      if (examples) examples.remove();
      var box = document.getElementById("vraag");
      if (form.contains(box)) box.value = "";
      article.scrollIntoView({ block: "start" });
      // The example clicked went with the list: the focus goes on to the question box, where a
      // follow-up is typed, not back to the top of the page.
      if (lost) box.focus({ preventScroll: true });
    }).catch(function () {
      setBusy(false);
      showError("Geen verbinding met de server. Controleer uw internetverbinding en probeer het opnieuw.");
    });
  }

  // A reason says what was wrong: a 👍 sends none and clears one chosen for an earlier 👎.
  function giveFeedback(form, submitter) {
    var message = form.querySelector(".feedback-melding");
    var rating = submitter ? submitter.value : "goed";
    if (rating !== "slecht") form.elements.reden.value = "";
    var reason = form.elements.reden.value;
    message.classList.remove("fout");
    message.textContent = "Bezig met opslaan…";
    postJson("/api/feedback", {
      answer_id: form.dataset.answerId,
      rating: rating,
      reason: reason || null,
    }).then(function (result) {
      message.textContent = result.data.message || result.data.detail ||
        "Uw feedback kon niet worden opgeslagen.";
      if (!result.ok) message.classList.add("fout");
    }).catch(function () {
      message.classList.add("fout");
      message.textContent = "Uw feedback kon niet worden verstuurd: geen verbinding met de server.";
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-ask]")) {
      event.preventDefault();
      ask(form);
    } else if (form.matches("form.feedback")) {
      event.preventDefault();
      giveFeedback(form, event.submitter);
    }
  });

  // Enter sends the question; Shift+Enter starts a new line.
  document.addEventListener("keydown", function (event) {
    if (event.target.id === "vraag" && event.key === "Enter" && !event.shiftKey &&
        !event.isComposing) {
      event.preventDefault();
      event.target.form.requestSubmit(document.getElementById("vraag-knop"));
    }
  });

  // The scheme overview: filter the cards while typing (the form still works without this).
  function filterSchemes(input) {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var cards = document.querySelectorAll(".overzicht .kaart");
    var shown = 0;
    cards.forEach(function (card) {
      var text = card.dataset.zoek || "";
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      card.hidden = !match;
      if (match) shown += 1;
    });
    document.querySelectorAll(".overzicht .thema").forEach(function (section) {
      section.hidden = !section.querySelector(".kaart:not([hidden])");
    });
    var status = document.getElementById("filter-status");
    status.textContent = words.length ?
      shown + " van de " + cards.length + " regelingen passen bij “" + input.value.trim() + "”." :
      cards.length + " regelingen.";
  }

  document.addEventListener("input", function (event) {
    if (event.target.id === "filter" && event.target.closest("form[data-filter]")) {
      filterSchemes(event.target);
    }
  });

  // The source viewer: bring the highlighted passage into view.
  window.addEventListener("DOMContentLoaded", function () {
    var mark = document.getElementById("passage");
    if (mark) mark.scrollIntoView({ block: "center" });
  });
})();
