// The dashboard's only script: applies server-sent events to what the server drew. No build step.
(function () {
  "use strict";

  function setState(cell, state) {
    if (!cell) { return; }
    cell.innerHTML = "";
    var span = document.createElement("span");
    span.className = "state state-" + state;
    span.textContent = state;
    cell.appendChild(span);
  }

  function duration(seconds) {
    var s = Math.floor(seconds);
    if (s < 60) { return seconds.toFixed(1) + " s"; }
    if (s < 3600) { return Math.floor(s / 60) + " min " + String(s % 60).padStart(2, "0") + " s"; }
    return Math.floor(s / 3600) + " h " + String(Math.floor(s % 3600 / 60)).padStart(2, "0") + " min";
  }

  function byJob(selector, job) {
    var found = null;
    document.querySelectorAll(selector).forEach(function (el) {
      if (el.getAttribute("data-job") === job) { found = el; }
    });
    return found;
  }

  function watchRun(section) {
    var id = section.getAttribute("data-run");
    var log = document.getElementById("log");
    var filterLabel = document.getElementById("log-filter");
    var filter = null;
    var source = new EventSource("/api/runs/" + encodeURIComponent(id) + "/events");
    document.body.setAttribute("data-stream", "open");

    source.addEventListener("job", function (e) {
      var j = JSON.parse(e.data);
      var node = byJob("g.node", j.job);
      if (node) {
        node.setAttribute("class", "node state-" + j.state);
        var title = node.querySelector("title");
        if (title) { title.textContent = j.job + " (" + j.kind + "): " + j.state; }
      }
      var row = byJob("#jobs tr", j.job);
      if (row) {
        setState(row.querySelector(".job-state"), j.state);
        row.querySelector(".attempts").textContent = j.attempts;
        row.querySelector(".started").textContent = j.started || "";
        row.querySelector(".took").textContent = j.seconds !== undefined ? duration(j.seconds) : "";
        row.querySelector(".detail").textContent = j.detail || "";
      }
    });
    source.addEventListener("log", function (e) {
      var l = JSON.parse(e.data);
      var line = document.createElement("div");
      line.className = "line " + l.stream;
      line.setAttribute("data-job", l.job);
      line.textContent = l.job + " | " + l.line;
      if (filter && filter !== l.job) { line.hidden = true; }
      log.appendChild(line);
    });
    source.addEventListener("run", function (e) {
      var r = JSON.parse(e.data);
      setState(document.getElementById("run-state"), r.state);
      document.getElementById("run-duration").textContent = duration(r.seconds);
    });
    source.addEventListener("end", function (e) {
      var r = JSON.parse(e.data);
      setState(document.getElementById("run-state"), r.state);
      var cancel = document.getElementById("cancel");
      if (cancel) { cancel.closest("form").remove(); }
      document.body.setAttribute("data-stream", "ended");
      source.close();
      // a run that did not succeed is drawn again by the server, its failed jobs and their errors first
      if (r.state !== "succeeded" && section.getAttribute("data-final") === "no") { window.location.reload(); }
    });

    function choose(job) {
      filter = filter === job ? null : job;
      filterLabel.textContent = filter ? "of " + filter + " (click again for all)" : "";
      log.querySelectorAll(".line").forEach(function (el) {
        el.hidden = filter !== null && el.getAttribute("data-job") !== filter;
      });
    }
    document.querySelectorAll("g.node").forEach(function (node) {
      node.addEventListener("click", function () { choose(node.getAttribute("data-job")); });
    });
    document.querySelectorAll("#jobs a.job-filter").forEach(function (a) {
      a.addEventListener("click", function () { choose(a.closest("tr").getAttribute("data-job")); });
    });
  }

  function watchRuns(table) {
    if (table.getAttribute("data-live") !== "yes") { return; }
    var source = new EventSource("/api/events");
    source.addEventListener("run", function (e) {
      var r = JSON.parse(e.data);
      var row = null;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        if (tr.getAttribute("data-run") === r.id) { row = tr; }
      });
      if (!row) {
        row = document.createElement("tr");
        row.setAttribute("data-run", r.id);
        ["id", "kind", "project", "version", "channel", "state", "started", "seconds"].forEach(function (k) {
          var td = document.createElement("td");
          if (k === "id") {
            var a = document.createElement("a");
            a.href = "/runs/" + encodeURIComponent(r.id);
            a.textContent = r.id;
            td.appendChild(a);
          } else if (k !== "state" && k !== "seconds") {
            td.textContent = r[k];
          }
          if (k === "state") { td.className = "run-state"; }
          if (k === "seconds") { td.className = "duration"; }
          row.appendChild(td);
        });
        table.querySelector("tbody").prepend(row);
      }
      setState(row.querySelector(".run-state"), r.state);
      row.querySelector(".duration").textContent = duration(r.seconds);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var run = document.getElementById("run");
    if (run) { watchRun(run); }
    var runs = document.getElementById("runs");
    if (runs) { watchRuns(runs); }
  });
})();
