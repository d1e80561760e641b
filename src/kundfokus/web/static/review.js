// The review page's keyboard (templates/review/queue.html). The page works without it: every
// action is a plain form. Keys: Tab / arrows / letters focus an axis, 1-9 pick a label of the
// focused axis, Enter saves and goes on, s skips, u undoes, / searches, ? shows the keys.
(function () {
  "use strict";
  var form = document.getElementById("rv-form");
  var search = document.getElementById("rv-search");
  var keys = document.getElementById("rv-keys");
  var status = document.getElementById("rv-status");
  var axes = form ? Array.prototype.slice.call(form.querySelectorAll("fieldset.rv-axis")) : [];
  var current = 0;

  function say(text) { if (status) { status.textContent = text; } }
  function legend(fs) { return fs.querySelector("legend").firstChild.textContent.trim(); }
  function inputs(fs) { return Array.prototype.slice.call(fs.querySelectorAll("ul.rv-choices input")); }

  function mark(fs) {
    var shown = fs.getAttribute("data-shown") || "";
    var picked = inputs(fs).filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    var other = fs.querySelector(".rv-other input");
    var value = other && other.value.trim() ? other.value.trim() : picked.sort().join("|");
    if (fs.getAttribute("data-axis") === "tags" && !value) { value = shown ? "none" : ""; }
    fs.classList.toggle("rv-changed", value !== "" && value !== shown);
  }

  function setCurrent(i, focus) {
    if (!axes.length) { return; }
    current = (i + axes.length) % axes.length;
    axes.forEach(function (fs, j) { fs.classList.toggle("rv-current", j === current); });
    var fs = axes[current];
    if (focus) {
      var el = fs.querySelector("ul.rv-choices input:checked") || fs.querySelector("ul.rv-choices input") ||
        fs.querySelector(".rv-other input");
      if (el) { el.focus(); }
    }
    say(legend(fs));
  }

  function pick(n) {
    var fs = axes[current];
    var choice = inputs(fs)[n - 1];
    if (!choice) { return; }
    if (choice.type === "checkbox") { choice.checked = !choice.checked; } else { choice.checked = true; }
    choice.focus();
    var other = fs.querySelector(".rv-other input");
    if (other) { other.value = ""; }
    mark(fs);
    var text = choice.closest("label").querySelector(".rv-choice-text").textContent.trim();
    say(legend(fs) + ": " + text + (choice.type === "checkbox" && !choice.checked ? " (-)" : ""));
  }

  function submitForm(f) {
    if (typeof f.requestSubmit === "function") { f.requestSubmit(); } else { f.submit(); }
  }

  if (form) {
    var letters = {};
    axes.forEach(function (fs, i) { letters[fs.getAttribute("data-key")] = i; });
    var first = axes.findIndex(function (fs) { return fs.classList.contains("rv-focus"); });
    setCurrent(first < 0 ? 0 : first, false);
    form.addEventListener("focusin", function (e) {
      var fs = e.target.closest("fieldset.rv-axis");
      if (fs && axes.indexOf(fs) !== current) { setCurrent(axes.indexOf(fs), false); }
    });
    form.addEventListener("change", function (e) {
      var fs = e.target.closest("fieldset.rv-axis");
      if (fs) { mark(fs); }
    });
    form.addEventListener("input", function (e) {
      var fs = e.target.closest("fieldset.rv-axis");
      if (fs) { mark(fs); }
    });
    var errors = document.getElementById("rv-errors");
    if (errors) { errors.focus(); }
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) { return; }
    var t = e.target;
    var typing = t.matches && t.matches("input[type=text], input[type=search], input[type=number], textarea, select");
    if (typing) {
      if (e.key === "Escape") { t.blur(); }
      return;  // Enter in the "other" field submits the form by itself
    }
    var k = e.key;
    if (k === "?") { if (keys) { keys.open = !keys.open; } e.preventDefault(); return; }
    if (k === "/") { if (search) { search.focus(); search.select(); e.preventDefault(); } return; }
    var inOtherForm = t.form && t.form !== form;
    if (inOtherForm || (t.closest && t.closest("a, button, summary"))) { return; }  // their own Enter
    if (k === "u") {
      var undo = document.getElementById("rv-undo");
      if (undo) { e.preventDefault(); submitForm(undo); }
      return;
    }
    if (!form) { return; }
    if (k === "Enter") { e.preventDefault(); submitForm(form); return; }
    if (k === "s") { e.preventDefault(); window.location.href = document.getElementById("rv-skip").href; return; }
    if (/^[1-9]$/.test(k)) { e.preventDefault(); pick(parseInt(k, 10)); return; }
    if (k === "ArrowDown" || k === "j") { e.preventDefault(); setCurrent(current + 1, true); return; }
    if (k === "ArrowUp" || k === "k") { e.preventDefault(); setCurrent(current - 1, true); return; }
    if (Object.prototype.hasOwnProperty.call(letters, k)) { e.preventDefault(); setCurrent(letters[k], true); }
  });
})();
