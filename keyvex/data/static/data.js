// Tool data pages: file uploads with progress, connection tests in place, sync progress.
// Progressive enhancement: the forms post without it; uploads need it (raw-body XHR).
"use strict";
(function () {
  function csrf() {
    var input = document.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function sizeText(bytes) {
    if (bytes >= 1e6) return (bytes / 1e6).toFixed(1) + " MB";
    if (bytes >= 1e3) return Math.round(bytes / 1e3) + " KB";
    return bytes + " bytes";
  }

  function fail(status, message) {
    status.textContent = message;
    status.classList.add("field-error");
  }

  // Sends the file as the raw request body; the <progress> follows xhr.upload.onprogress.
  function upload(url, file, box, done) {
    var progress = box.querySelector("[data-upload-progress]");
    var status = box.querySelector("[data-upload-status]");
    var xhr = new XMLHttpRequest();
    var sep = url.indexOf("?") < 0 ? "?" : "&";
    xhr.open("POST", url + sep + "filename=" + encodeURIComponent(file.name));
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("Accept", "application/json");
    status.classList.remove("field-error");
    status.textContent = "Uploading " + file.name + "…";
    progress.hidden = false;
    progress.max = file.size || 1;
    progress.value = 0;
    xhr.upload.onprogress = function (event) {
      if (!event.lengthComputable) return;
      progress.max = event.total;
      progress.value = event.loaded;
      status.textContent = "Uploading " + file.name + ": " +
        Math.round((100 * event.loaded) / event.total) + "%";
    };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        progress.value = progress.max;
        done(body, status, progress);
      } else {
        progress.hidden = true;
        fail(status, (body && body.detail) || "The upload failed (HTTP " + xhr.status + ").");
      }
    };
    xhr.onerror = function () {
      progress.hidden = true;
      fail(status, "The upload failed: the connection was lost.");
    };
    xhr.send(file);
  }

  function fillSheets(names) {
    var list = document.getElementById("data-sheets");
    if (!list) return;
    list.textContent = "";
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      list.appendChild(option);
    });
  }

  // Fields that apply to some files only (a worksheet to a workbook) show once one is chosen.
  function showFieldsFor(form, filename) {
    var dot = filename.lastIndexOf(".");
    var suffix = dot < 0 ? "" : filename.slice(dot).toLowerCase();
    form.querySelectorAll("[data-shown-for]").forEach(function (field) {
      field.hidden = field.getAttribute("data-shown-for").split(",").indexOf(suffix) < 0;
    });
  }

  function setUpWizardUpload(input) {
    var box = input.closest(".field");
    var form = input.form;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      upload(input.getAttribute("data-upload"), file, box, function (body, status) {
        box.querySelector("[data-upload-key]").value = body.blob_key;
        var filename = form.elements.namedItem("config.filename");
        if (filename) filename.value = body.filename;
        var name = form.elements.namedItem("name");
        if (name && !name.value) name.value = body.filename.replace(/\.[^.]+$/, "");
        fillSheets(body.sheets || []);
        showFieldsFor(form, body.filename);
        status.textContent = "Uploaded " + body.filename + " (" + sizeText(body.size) + ")" +
          (body.sheets && body.sheets.length ? ": " + body.sheets.join(", ") : ".");
        if (body.problem) fail(status, body.problem);
      });
    });
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-js-error]").forEach(function (p) { p.remove(); });
    form.querySelectorAll(".has-error").forEach(function (field) {
      field.classList.remove("has-error");
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  function markErrors(form, fields) {
    Object.keys(fields || {}).forEach(function (key) {
      var field = form.querySelector('[data-field="' + key + '"]');
      if (!field) return;
      field.classList.add("has-error");
      var control = field.querySelector("input:not([type=hidden]), select, textarea");
      if (control) control.setAttribute("aria-invalid", "true");
      var p = document.createElement("p");
      p.className = "field-error";
      p.setAttribute("data-js-error", "");
      p.textContent = fields[key];
      field.appendChild(p);
    });
  }

  function previewTable(body) {
    var wrap = document.createElement("div");
    wrap.className = "dash-scroll";
    var table = document.createElement("table");
    table.className = "dash-table data-preview";
    var caption = table.createCaption();
    caption.textContent = "The first rows";
    var head = table.createTHead().insertRow();
    body.columns.forEach(function (column) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = column;
      head.appendChild(th);
    });
    var rows = table.createTBody();
    body.rows.forEach(function (row) {
      var tr = rows.insertRow();
      row.forEach(function (cell) {
        tr.insertCell().textContent = cell === null ? "" : String(cell);
      });
    });
    wrap.appendChild(table);
    return wrap;
  }

  function showTest(form, result, body) {
    result.textContent = "";
    clearErrors(form);
    var message = document.createElement("p");
    message.setAttribute("role", body.ok ? "status" : "alert");
    if (body.ok) {
      message.className = "notice";
      message.textContent = "Connection works: " + body.row_count.toLocaleString() + " rows" +
        (body.response_ms !== null ? " in " + Math.round(body.response_ms) + " ms." : ".");
      result.appendChild(message);
      result.appendChild(previewTable(body));
    } else {
      message.className = "alert";
      message.textContent = body.message;
      result.appendChild(message);
      markErrors(form, body.fields);
    }
  }

  function setUpTest(form) {
    var result = document.getElementById("data-test-result");
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.hasAttribute("data-test") || !window.fetch) return;
      event.preventDefault();
      button.disabled = true;
      result.textContent = "Testing the connection…";
      fetch(button.getAttribute("formaction"), {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      }).then(function (response) {
        return response.json();
      }).then(function (body) {
        showTest(form, result, body);
      }).catch(function () {
        result.textContent = "The test could not be run: reload the page and try again.";
      }).then(function () {
        button.disabled = false;
      });
    });
  }

  // Polls a sync job until it ends, showing its progress text, then reloads the page.
  function follow(url, text, progress, doneUrl) {
    var misses = 0;
    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (job) {
          misses = 0;
          if (job.status === "done") {
            text.textContent = "Done. Loading the new data…";
            window.location.replace(doneUrl);
            return;
          }
          if (job.status === "failed") {
            if (progress) progress.hidden = true;
            text.textContent = "The sync failed: " + (job.error || "unknown error") + ".";
            return;
          }
          text.textContent = job.progress ||
            (job.status === "queued" ? "Waiting to start…" : "Working…");
          window.setTimeout(tick, 500);
        })
        .catch(function () {
          misses += 1;
          if (misses < 5) window.setTimeout(tick, 1000);
          else text.textContent = "Lost track of the sync: reload the page to see its result.";
        });
    }
    tick();
  }

  function setUpReplace(box) {
    var input = box.querySelector("input[type=file]");
    var url = box.getAttribute("data-replace");
    var base = url.replace(/\/file$/, "");
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      upload(url, file, box, function (body, status, progress) {
        status.textContent = "Uploaded " + body.filename + ". Syncing…";
        progress.removeAttribute("value");
        follow(base + "/jobs/" + body.job_id, status, progress, base + "?done=synced");
      });
    });
  }

  document.querySelectorAll("input[data-upload]").forEach(setUpWizardUpload);
  var wizard = document.getElementById("data-wizard");
  if (wizard) setUpTest(wizard);
  document.querySelectorAll("[data-replace]").forEach(setUpReplace);
  var job = document.getElementById("data-job");
  if (job) {
    follow(job.getAttribute("data-job-url"), document.getElementById("data-job-text"),
      job.querySelector("progress"), job.getAttribute("data-done-url"));
  }
})();
