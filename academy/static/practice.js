// Practice screen: sends every message and action as JSON to the same URL its form posts
// to (the page works without this, as plain form posts) and swaps in the parts of the
// screen the server sends back, so the conversation goes on without reloading. Also ticks
// the handling-time clock and keeps the latest turn in view. The server keeps the real
// clock, the customer and the score; this file only helps.
(function () {
  "use strict";

  var root = document.getElementById("practice");
  if (!root) { return; }
  var announce = document.getElementById("practice-announce");
  var busy = false;

  function message(name) { return root.getAttribute("data-msg-" + name) || ""; }

  function scrollToLatest() {
    var chat = root.querySelector(".chat");
    if (chat) { chat.scrollTop = chat.scrollHeight; }
  }

  function showJsOnly() {
    root.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
  }

  function errorLine(form) {
    return (form.closest("[data-error-scope]") || form).querySelector(".practice-error");
  }

  function showError(form, text) {
    var line = errorLine(form);
    if (!line) { window.alert(text); return; }
    line.textContent = text;
    line.hidden = !text;
  }

  // The form's fields as the JSON object the server reads (repeated names become lists).
  function fields(form, submitter) {
    var body = {};
    new FormData(form).forEach(function (value, name) {
      if (Object.prototype.hasOwnProperty.call(body, name)) {
        body[name] = [].concat(body[name], value);
      } else {
        body[name] = value;
      }
    });
    if (submitter && submitter.name) { body[submitter.name] = submitter.value; }
    return body;
  }

  function replaceRegions(html) {
    Object.keys(html || {}).forEach(function (name) {
      var region = document.getElementById("practice-" + name);
      if (region) { region.innerHTML = html[name]; }
    });
    showJsOnly();
    startClock();
  }

  function send(form, submitter) {
    if (busy) { return; }
    busy = true;
    form.classList.add("practice-busy");
    showError(form, "");
    var token = root.getAttribute("data-csrf");
    fetch(form.getAttribute("action"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token},
      body: JSON.stringify(fields(form, submitter))
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return {status: response.status, body: body};
      });
    }).then(function (result) {
      busy = false;
      form.classList.remove("practice-busy");
      var body = result.body || {};
      if (body.redirect) { window.location.assign(body.redirect); return; }
      if (result.status !== 200) {
        var reason = body.error ? body.error.message : String(result.status);
        showError(form, message("failed") + " " + reason);
        return;
      }
      var composing = form.hasAttribute("data-composer");
      if (form.hasAttribute("data-reset-on-success")) { form.reset(); }
      replaceRegions(body.html);
      if (body.customer && body.customer.length && announce) {
        announce.textContent = body.customer.join(" ");
      }
      scrollToLatest();
      if (composing) {
        var box = document.querySelector("#practice-composer textarea");
        if (box) { box.focus(); }
      }
    }, function () {
      busy = false;
      form.classList.remove("practice-busy");
      showError(form, message("offline"));
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-practice-form") || !root.contains(form)) { return; }
    event.preventDefault();
    send(form, event.submitter);
  });

  // In a chat or on the phone Enter sends and Shift+Enter starts a new line; letters are
  // written with Enter as usual.
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || !box.matches) { return; }
    if (!box.matches("#practice-composer form:not(.practice-composer--letter) textarea")) { return; }
    event.preventDefault();
    if (box.value.trim()) { box.form.requestSubmit(); }
  });

  // Closing the opened article clears the panel instead of reloading the page.
  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-kb-close]");
    if (!close) { return; }
    event.preventDefault();
    var panel = document.getElementById("practice-kb");
    var article = panel && panel.querySelector(".kb-opened");
    if (article) { article.remove(); }
  });

  var clockTimer = null;
  function startClock() {
    var clock = document.getElementById("practice-clock");
    if (clockTimer !== null) { window.clearInterval(clockTimer); clockTimer = null; }
    if (!clock) { return; }
    var startedAt = Date.now() - Number(clock.getAttribute("data-elapsed")) * 1000;
    var target = Number(clock.getAttribute("data-target") || 0);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var tick = function () {
      var seconds = Math.max(0, Math.floor((Date.now() - startedAt) / 1000));
      var hours = Math.floor(seconds / 3600);
      var minutes = Math.floor((seconds % 3600) / 60);
      clock.textContent = hours ? hours + ":" + pad(minutes) + ":" + pad(seconds % 60) : minutes + ":" + pad(seconds % 60);
      clock.classList.toggle("practice-clock--over", target > 0 && seconds > target);
    };
    tick();
    clockTimer = window.setInterval(tick, 1000);
  }

  showJsOnly();
  startClock();
  scrollToLatest();
}());
