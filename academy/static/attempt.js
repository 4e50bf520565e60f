// Quiz attempt page: saves each answer as it changes (the page works without this through its
// Save button), retries a save that failed, counts the time down and submits the attempt when
// it is up, and warns before leaving with an answer not yet saved. The server keeps the real
// clock and decides what is correct; this file only helps. Saves go one at a time: answers of
// one person never race each other (nor an older answer overtake a newer one).
(function () {
  "use strict";

  var form = document.getElementById("attempt-form");
  var timer = document.getElementById("attempt-timer");
  var timeUpForm = document.getElementById("time-up-form");
  var statusLine = document.getElementById("save-status");
  var DEBOUNCE_MS = 700;
  var RETRY_MS = [1000, 2000, 5000, 10000, 20000];

  var state = {};        // slot -> {version, savedVersion, timer, inFlight, failures, sent}
  var queue = [];        // slots waiting for their turn to be sent
  var busy = false;      // a save is under way
  var leaving = false;   // the form itself is being sent: nothing is lost
  var finishing = false;

  function message(name) {
    return form ? form.getAttribute("data-msg-" + name) || "" : "";
  }

  function setStatus(text, kind) {
    if (!statusLine) { return; }
    statusLine.textContent = text;
    statusLine.className = "save-status" + (kind ? " save-status--" + kind : "");
  }

  function slotStatus(slot, text, kind) {
    var line = document.querySelector('[data-status-for="' + slot + '"]');
    if (!line) { return; }
    line.textContent = text;
    line.className = "question__status" + (kind ? " question__status--" + kind : "");
  }

  function entry(slot) {
    if (!state[slot]) {
      state[slot] = {version: 0, savedVersion: 0, timer: null, inFlight: false, failures: 0, sent: null};
    }
    return state[slot];
  }

  function pending() {
    return queue.length > 0 || Object.keys(state).some(function (slot) {
      var s = state[slot];
      return s.inFlight || s.timer !== null || s.version !== s.savedVersion;
    });
  }

  // The answer of one question in the shape the server reads (see attempt_display.raw_from_form).
  function answerOf(block) {
    var kind = block.getAttribute("data-kind");
    if (kind === "single") {
      var chosen = block.querySelector("input[type=radio]:checked");
      return chosen ? chosen.value : null;
    }
    if (kind === "multi") {
      return Array.prototype.map.call(block.querySelectorAll("input[type=checkbox]:checked"),
        function (box) { return box.value; });
    }
    if (kind === "matching") {
      var answer = {};
      var prefix = "q" + block.getAttribute("data-slot") + "-";
      block.querySelectorAll("select").forEach(function (select) {
        answer[select.name.slice(prefix.length)] = select.value;
      });
      return answer;
    }
    var field = block.querySelector("input, textarea");
    return field ? field.value : "";
  }

  function refreshSummary() {
    if (finishing) { return; }
    var failed = Object.keys(state).some(function (slot) { return state[slot].failures > 0; });
    if (failed) {
      setStatus(message("retrying"), "error");
    } else if (pending()) {
      setStatus(message("saving"), "busy");
    } else {
      setStatus(message("saved"), "ok");
    }
  }

  function save(slot) {
    entry(slot).timer = null;
    if (queue.indexOf(slot) < 0) { queue.push(slot); }
    pump();
  }

  function pump() {
    if (busy || queue.length === 0) { return; }
    send(queue.shift());
  }

  function done(s) {
    s.inFlight = false;
    busy = false;
    pump();
  }

  function send(slot) {
    var s = entry(slot);
    var block = form.querySelector('.answer[data-slot="' + slot + '"]');
    if (!block) { pump(); return; }
    var version = s.version;
    var body = JSON.stringify({slot: Number(slot), answer: answerOf(block)});
    if (body === s.sent) {  // already saved as it is now
      s.savedVersion = version;
      refreshSummary();
      pump();
      return;
    }
    s.inFlight = true;
    busy = true;
    refreshSummary();
    fetch(form.getAttribute("data-save-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": form.querySelector('input[name="csrf_token"]').value
      },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return {status: response.status, body: body};
      });
    }).then(function (result) {
      done(s);
      if (result.status === 200) {
        s.sent = body;
        s.failures = 0;
        s.savedVersion = Math.max(s.savedVersion, version);
        slotStatus(slot, "", null);
      } else if (result.status === 409 && result.body.review_url) {
        leaving = true;  // submitted meanwhile (time up, or another tab): show the review
        window.location.assign(result.body.review_url);
        return;
      } else if (result.status >= 400 && result.status < 500 && result.status !== 429) {
        // The server cannot read this answer: retrying would not help; the learner corrects it.
        s.failures = 0;
        s.savedVersion = Math.max(s.savedVersion, version);
        var reason = result.body.error ? result.body.error.message : "";
        slotStatus(slot, message("failed") + " " + reason, "error");
      } else {
        retry(slot);
        return;
      }
      if (s.version !== s.savedVersion) { save(slot); }
      refreshSummary();
    }, function () {
      done(s);
      retry(slot);
    });
  }

  function retry(slot) {
    var s = entry(slot);
    var delay = RETRY_MS[Math.min(s.failures, RETRY_MS.length - 1)];
    s.failures += 1;
    slotStatus(slot, message("retrying"), "error");
    refreshSummary();
    s.timer = window.setTimeout(function () { save(slot); }, delay);
  }

  function changed(event, delay) {
    var block = event.target.closest(".answer[data-slot]");
    if (!block) { return; }
    var slot = block.getAttribute("data-slot");
    var s = entry(slot);
    s.version += 1;
    if (s.timer !== null) { window.clearTimeout(s.timer); }
    s.timer = window.setTimeout(function () { save(slot); }, delay);
    refreshSummary();
  }

  // Send every answer still waiting now; resolves when nothing is pending or after `limit` ms.
  function flush(limit) {
    Object.keys(state).forEach(function (slot) {
      var s = state[slot];
      if (s.timer !== null) { window.clearTimeout(s.timer); save(slot); }
    });
    return new Promise(function (resolve) {
      var waited = 0;
      (function wait() {
        if (!pending() || waited >= limit) { resolve(); return; }
        waited += 100;
        window.setTimeout(wait, 100);
      }());
    });
  }

  if (form) {
    form.addEventListener("input", function (event) {
      var typed = event.target.matches("input[type=text], input:not([type]), textarea");
      changed(event, typed ? DEBOUNCE_MS : 0);
    });
    form.addEventListener("change", function (event) {
      if (!event.target.matches("input[type=text], input:not([type]), textarea")) { changed(event, 0); }
    });
    form.addEventListener("keydown", function (event) {
      // Enter in a one-line answer saves it in place instead of reloading the page.
      if (event.key === "Enter" && event.target.matches("input[type=text], input:not([type])")) {
        event.preventDefault();
        changed(event, 0);
      }
    });
    form.addEventListener("submit", function () {
      // The form carries every answer itself: answers still waiting need no request of their own.
      leaving = true;
      queue.length = 0;
      Object.keys(state).forEach(function (slot) {
        if (state[slot].timer !== null) { window.clearTimeout(state[slot].timer); state[slot].timer = null; }
      });
    });
    window.addEventListener("beforeunload", function (event) {
      if (leaving || !pending()) { return undefined; }
      event.preventDefault();
      event.returnValue = "";
      return "";
    });
  }

  if (timer && timeUpForm) {
    var clock = timer.querySelector(".attempt-timer__clock");
    var endsAt = Date.now() + Number(timer.getAttribute("data-remaining")) * 1000;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      var hours = Math.floor(left / 3600);
      var minutes = Math.floor((left % 3600) / 60);
      clock.textContent = hours ? hours + ":" + pad(minutes) + ":" + pad(left % 60) : minutes + ":" + pad(left % 60);
      timer.classList.toggle("attempt-timer--low", left <= 60);
      if (left > 0) { return; }
      window.clearInterval(interval);
      finishing = true;
      setStatus(message("time-up") || timer.textContent, "busy");
      var send = function () { leaving = true; timeUpForm.submit(); };
      if (form) { flush(4000).then(send); } else { send(); }
    };
    var interval = window.setInterval(tick, 1000);
    tick();
  }
}());
