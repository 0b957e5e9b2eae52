/* Keyvex creator page: brief, questions, history with in-place edits, live preview over SSE,
   verification report, change requests and publishing. Needs widgets.js; no innerHTML. */
(function () {
  "use strict";
  var W = window.KeyvexWidgets, root = document.getElementById("cc");
  if (!W || !root) return;
  var $ = function (id) { return document.getElementById(id); }, h = W.h;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var CSRF = meta ? meta.getAttribute("content") : "";
  var STAGES = { planning: "Planning your tool…", drafting: "Drafting the tool…", verifying: "Verifying it…",
    repairing: "Repairing what verification found…" };
  var S = { sid: root.getAttribute("data-session") || "", questions: [], status: "", lastId: -1, es: null,
    reply: null, pending: null, tool: null, form: null, editing: null };

  /* ---- talking to the server ---- */
  function api(method, path, body) {
    var init = { method: method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (method !== "GET") {
      init.headers["Content-Type"] = "application/json";
      init.headers["X-CSRF-Token"] = CSRF;
      init.body = JSON.stringify(body || {});
    }
    return fetch(path, init).then(function (res) {
      return res.text().then(function (raw) {
        var data = null;
        try { data = raw ? JSON.parse(raw) : null; } catch (e) { data = null; }
        if (res.ok) return data;
        throw new Error(problem(data, res.status));
      });
    }, function () { throw new Error("The server could not be reached. Check your connection and try again."); });
  }
  function problem(data, status) {
    if (!data) return "Something went wrong (" + status + "). Try again.";
    var msg = data.detail || data.title || "Something went wrong.", extra = [];
    (data.errors || []).forEach(function (e) {
      var text = String(e.message || "");
      if (text && text !== msg) extra.push(text);
    });
    return [msg].concat(extra).join(" ");
  }
  function base() { return "/create/sessions/" + encodeURIComponent(S.sid); }

  /* ---- conversation ---- */
  function status(text) { $("cc-status").textContent = text || ""; root.classList.toggle("cc-busy", !!text && /…$/.test(text)); }
  var EDITOR_PATH = /\/dashboard\/tools\/[A-Za-z0-9_-]+\/edit\b/;
  function say(text, who) {
    var li = h("li", { class: "cc-msg cc-" + (who || "ai"), text: text });
    var editor = who !== "user" && EDITOR_PATH.exec(text || "");  // the offline editor offers the visual one
    if (editor) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(h("a", { href: editor[0], text: "Open the editor" }));
    }
    $("cc-messages").appendChild(li);
    return li;
  }
  function find(id) {
    for (var i = 0; i < S.questions.length; i++) if (S.questions[i].question.id === id) return S.questions[i];
    return null;
  }
  function showQuestion(q) {
    var box = $("cc-question");
    box.textContent = "";
    S.form = null;
    $("cc-build").hidden = !q || S.status !== "asking";
    if (!q) return;
    S.form = W.form(q, { onSubmit: function (value) { return answer(q, value, false); } });
    box.appendChild(S.form.el);
    S.form.focus();
  }
  function answer(q, value, editing) {
    // Said before the request: the next question may arrive on the stream before the reply.
    var said = editing ? [say("Changed: " + q.prompt + " → " + W.text(q, value), "user")]
      : [say(q.prompt, "ai"), say(W.text(q, value), "user")];
    return api("POST", base() + "/answers", { question_id: q.id, value: value }).then(function (data) {
      if (data && data.answer !== undefined && data.answer !== null) {  // as stored: "chf" is CHF
        value = data.answer;
        said[said.length - 1].textContent = (editing ? "Changed: " + q.prompt + " → " : "") + W.text(q, value);
      }
      var item = find(q.id);
      if (item) item.answer = value; else S.questions.push({ question: q, answer: value });
      if (editing) {
        S.editing = null;
        status(S.tool ? "Rebuilding with your new answer…" : "Saved.");
      } else if (S.form && S.form.el.getAttribute("data-question") === q.id) {
        showQuestion(null);
        status("Thinking…");
      }
      drawHistory();
    }, function (err) {
      said.forEach(function (li) { li.remove(); });
      throw err;
    });
  }

  /* ---- history: every question and answer, editable in place ---- */
  function drawHistory() {
    if (S.editing) return;
    var list = $("cc-history-list");
    var answered = S.questions.filter(function (x) { return x.answer !== null && x.answer !== undefined; });
    list.textContent = "";
    $("cc-history").hidden = !answered.length;
    answered.forEach(function (item) {
      var q = item.question, li = h("li", { class: "cc-history-item", "data-question": q.id });
      var edit = h("button", { type: "button", class: "small secondary", "aria-label": "Edit answer: " + q.prompt, text: "Edit" });
      edit.addEventListener("click", function () { editInPlace(li, item); });
      li.appendChild(h("p", { class: "cc-history-q", text: q.prompt }));
      li.appendChild(h("div", { class: "cc-history-a" }, [W.summary(q, item.answer), edit]));
      list.appendChild(li);
    });
  }
  function editInPlace(li, item) {
    var form = W.form(item.question, {
      initial: item.answer,
      submitLabel: "Save and rebuild",
      onSubmit: function (value) { return answer(item.question, value, true).then(function () { focusEdit(item.question.id); }); },
      onCancel: function () { S.editing = null; drawHistory(); focusEdit(item.question.id); }
    });
    S.editing = item.question.id;
    li.textContent = "";
    li.appendChild(form.el);
    form.focus();
  }
  function focusEdit(id) {
    var li = $("cc-history-list").querySelector('[data-question="' + CSS.escape(id) + '"] button');
    if (li) li.focus();
  }

  /* ---- canvas: preview, verification report, changes, publish ---- */
  function reloadPreview(version) {
    var frame = $("cc-preview");
    frame.src = base() + "/preview?v=" + encodeURIComponent(version || "") + "&t=" + Date.now();
    frame.hidden = false;
    S.tool = S.tool || { version: version };
    $("cc-canvas-empty").hidden = true;
    $("cc-jump").hidden = false;
    $("cc-change-form").hidden = false;
    $("cc-publish").hidden = false;
  }
  /* The publish card says which version visitors see, and whether newer changes wait. */
  function drawPublish() {
    var live = S.live, version = S.version, pending = !!(live && version && live.version !== version);
    $("cc-published").hidden = !live;
    if (live) {
      var url = new URL(live.url, location.href).href;
      $("cc-public-link").href = url;
      $("cc-public-url").textContent = url;
      $("cc-live-label").textContent = "Version " + live.version + " is live at";
    }
    $("cc-publish-hint").textContent = !live
      ? "Publishing makes " + (version ? "version " + version : "this version") + " public at its own address."
      : pending ? "Your changes (version " + version + ") are not published yet: visitors still see version " + live.version + "."
        : "Visitors see this version.";
    $("cc-publish-hint").classList.toggle("cc-pending", pending);
    $("cc-publish-button").textContent = !live ? "Publish" : pending ? "Publish version " + version : "Publish again";
    var missing = $("cc-left-off");  // e.g. a button still linking to example.com: left off the page
    missing.textContent = "";
    ((live && live.left_off) || []).forEach(function (x) {
      missing.appendChild(h("p", {}, [x.message + " ", h("a", { href: x.edit_url, text: "Give it a real link" })]));
    });
    missing.hidden = !missing.firstChild;
  }
  var FIT_LEVELS = { high: "High", medium: "Medium", low: "Low" };
  function drawFit(fit) {
    var box = $("cc-fit");
    box.hidden = !fit || !fit.level;
    if (box.hidden) return;
    $("cc-fit-level").textContent = FIT_LEVELS[fit.level] || fit.level;
    [["cc-fit-covered", fit.covered, "Covers "], ["cc-fit-missing", fit.missing, "Missing: "]].forEach(function (x) {
      var list = $(x[0]);
      list.textContent = "";
      (x[1] || []).forEach(function (t) { list.appendChild(h("li", { text: x[2] + t })); });
    });
  }
  function drawReport(report, explanation, fit) {
    var box = $("cc-report"), list = $("cc-warnings");
    box.hidden = !report;
    if (!report) return;
    var warnings = report.warnings || [], stats = report.stats || {}, bits = [];
    bits.push((report.errors || []).length ? "Failed" : "Passed");
    bits.push((report.errors || []).length + " errors");
    bits.push(warnings.length + (warnings.length === 1 ? " warning" : " warnings"));
    if (stats.samples) bits.push(stats.samples + " sampled inputs checked");
    if (stats.test_cases) bits.push(stats.test_cases_passed + "/" + stats.test_cases + " test cases passed");
    $("cc-report-summary").textContent = bits.join(" · ");
    $("cc-explanation").textContent = explanation || "";
    list.textContent = "";
    warnings.forEach(function (w) { list.appendChild(h("li", { text: w.message + (w.path ? " (" + w.path + ")" : "") })); });
    drawFit(fit);
  }
  function drawMessages(messages) {
    (messages || []).forEach(function (m) {
      if (m.text) say(m.text, m.role === "user" ? "user" : "ai");
    });
  }
  function draw(data, first) {
    S.status = data.status || "";
    S.questions = (data.questions || []).map(function (x) { return { question: x.question, answer: x.answer }; });
    var open = S.questions.filter(function (x) { return x.answer === null || x.answer === undefined; });
    var current = S.status === "asking" && open.length ? open[open.length - 1].question : null;
    if (first) {  // the stored messages hold the brief, answers, replies and errors in order
      var said = (data.messages || []).slice();
      // The open question's prompt is shown by its widget: not a second time as a message.
      var last = said[said.length - 1];
      if (current && last && last.role !== "user" && last.text === current.prompt) said.pop();
      drawMessages(said);
      if (data.tool_id) reloadPreview(data.tool_version);
    }
    if (!S.form || !current || S.form.el.getAttribute("data-question") !== current.id) showQuestion(current);
    $("cc-build").hidden = S.status !== "asking";
    drawHistory();
    drawReport(data.report, data.explanation, data.fit);
    S.version = data.tool_version || S.version;
    S.live = data.live || null;
    drawPublish();
    if (data.status === "building") status("Building your tool…");
    if (data.tool_id) {  // a saved tool: the visual editor can open it
      $("cc-editor-link").href = "/dashboard/tools/" + encodeURIComponent(data.tool_id) + "/edit";
      $("cc-editor").hidden = false;
    }
  }
  function refresh() {
    return api("GET", base()).then(function (data) { draw(data, false); }).catch(function (e) { status(e.message); });
  }

  /* ---- the event stream ---- */
  var HANDLERS = {
    text: function (d) {
      if (!S.reply) S.reply = say("", "ai");
      S.reply.textContent += d.delta || "";
    },
    question: function (d) {
      S.reply = null;
      var q = d.question, known = find(q.id);
      if (known && known.answer !== null && known.answer !== undefined) return;
      if (!known) S.questions.push({ question: q, answer: null });
      S.status = "asking";
      status("");
      showQuestion(q);
    },
    progress: function (d) { status(d.message || STAGES[d.stage] || "Working…"); },
    tool: function (d) {
      S.reply = null;
      S.tool = d;
      S.version = d.version;
      drawPublish();
      reloadPreview(d.version);
      var fit = d.fit && d.fit.level ? "; fit to your brief: " + d.fit.level : "";
      say("Version " + d.version + " is ready: checks passed with " + d.warnings +
        (d.warnings === 1 ? " warning" : " warnings") + fit + ".", "ai");
      refresh().then(function () { status("Version " + d.version + " is ready."); });
    },
    error: function (d) {
      S.reply = null;
      var msg = d.message || "Something went wrong.";
      say(msg, "error");
      if (S.pending === "change") $("cc-change-error").textContent = msg;
      status(msg);
    },
    done: function () {
      S.reply = null;
      S.pending = null;
      if (/…$/.test($("cc-status").textContent)) status("");
      refresh();
    }
  };
  function listen(after) {
    if (S.es) S.es.close();
    var url = base() + "/events" + (after !== null && after !== undefined ? "?last_event_id=" + encodeURIComponent(after) : "");
    var es = new EventSource(url);
    S.es = es;
    Object.keys(HANDLERS).forEach(function (type) {
      es.addEventListener(type, function (e) {
        var id = Number(e.lastEventId);
        if (e.lastEventId !== "" && !isNaN(id)) { if (id <= S.lastId) return; S.lastId = id; }
        var data = {};
        try { data = e.data ? JSON.parse(e.data) : {}; } catch (err) { return; }
        HANDLERS[type](data);
      });
    });
    es.onerror = function () {  // the browser reconnects by itself unless the stream is refused
      if (es.readyState === EventSource.CLOSED) status("The live connection closed. Reload the page to continue.");
    };
  }

  /* ---- wiring ---- */
  function start(brief, buildNow) {
    return api("POST", "/create/sessions", { brief: brief, build_now: buildNow }).then(function (data) {
      S.sid = data.session_id;
      history.replaceState(null, "", "/create/" + encodeURIComponent(S.sid));
      $("cc-brief-form").hidden = true;
      if ($("cc-ideas")) $("cc-ideas").hidden = true;
      say(brief, "user");
      S.status = buildNow ? "building" : "asking";
      $("cc-build").hidden = buildNow;
      status(buildNow ? "Building your tool…" : "Thinking…");
      listen(0);
    });
  }
  $("cc-brief-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var brief = $("cc-brief").value.trim(), err = $("cc-brief-error"), form = e.target;
    var buildNow = !!(e.submitter && e.submitter.name === "build_now");
    err.textContent = brief ? "" : "Describe the tool you want in a sentence or two.";
    if (!brief) { $("cc-brief").focus(); return; }
    form.classList.add("cc-sending");
    start(brief, buildNow).catch(function (x) { err.textContent = x.message; $("cc-brief").focus(); })
      .then(function () { form.classList.remove("cc-sending"); });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".cc-idea-start"), function (button) {
    button.addEventListener("click", function () {
      $("cc-brief").value = button.getAttribute("data-brief") || "";
      var ideas = $("cc-ideas");
      if (ideas) ideas.hidden = true;
      $("cc-brief-form").requestSubmit();
    });
  });
  $("cc-brief").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); $("cc-brief-form").requestSubmit(); }
  });
  $("cc-build").addEventListener("click", function () {
    api("POST", base() + "/build", {}).then(function () {
      S.status = "building";
      showQuestion(null);
      say("Just build it.", "user");
      status("Building your tool…");
    }).catch(function (x) { if (S.form) S.form.fail(x.message); else status(x.message); });
  });
  $("cc-change-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = $("cc-change"), text = input.value.trim(), err = $("cc-change-error");
    err.textContent = text ? "" : "Say what should change.";
    if (!text) { input.focus(); return; }
    api("POST", base() + "/changes", { request: text }).then(function () {
      S.pending = "change";
      say(text, "user");
      input.value = "";
      status("Applying your change…");
    }).catch(function (x) { err.textContent = x.message; input.focus(); });
  });
  $("cc-publish-button").addEventListener("click", function () {
    var button = this, err = $("cc-publish-error");
    button.disabled = true;
    err.textContent = "";
    api("POST", base() + "/publish", {}).then(function (data) {
      S.live = { version: data.version || S.version, url: data.url, left_off: data.left_off || [] };
      drawPublish();
      status("Published at " + $("cc-public-url").textContent);
      $("cc-public-link").focus();
    }).catch(function (x) { err.textContent = x.message; }).then(function () { button.disabled = false; });
  });

  if (S.sid) {
    api("GET", base()).then(function (data) {
      draw(data, true);
      listen(data.last_event_id !== undefined ? data.last_event_id : null);
    }).catch(function (x) { status(x.message); });
  } else {
    $("cc-brief").focus();
  }
})();
