/*! kundfokus embeddable micro-survey (NPS, CSAT, CES). MIT licence.
 *
 * <script src="https://HOST/embed.js" data-survey="PUBLIC_ID" data-journey-step="checkout"
 *         data-channel="web" data-contact-id="..." data-situation="..." data-lang="sv"
 *         data-ctx-order-id="..." data-target="#feedback" async></script>
 *
 * Every data-ctx-KEY adds the context key KEY (dashes become "_"). The widget is placed right
 * after the script tag, or into data-target. It sets no inline styles (the host page's CSP is not
 * known): it links HOST/static/embed.css and uses kf-* classes. An answer is sent with a client
 * token made once per widget and kept in sessionStorage, so a retry or a second click never counts
 * twice.
 */
(function () {
  "use strict";

  var KINDS = { nps: 1, csat: 1, ces: 1 };
  var KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
  var NAMED = {
    "data-journey-step": "journey_step",
    "data-contact-id": "contact_id",
    "data-channel": "channel",
    "data-situation": "situation"
  };
  var memory = {};
  var mounted = window.__kundfokusEmbed = window.__kundfokusEmbed || [];
  var uid = 0;
  var current = document.currentScript;
  var OURS = /\/embed\.js([?#]|$)/;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function store(key, value) {
    try {
      if (value === undefined) {
        var raw = window.sessionStorage.getItem(key);
        return raw ? JSON.parse(raw) : memory[key];
      }
      window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      if (value === undefined) return memory[key];
    }
    memory[key] = value;
    return value;
  }

  function newToken() {
    var c = window.crypto || window.msCrypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    if (c && typeof c.getRandomValues === "function") {
      var bytes = new Uint8Array(16);
      c.getRandomValues(bytes);
      var out = "";
      for (var i = 0; i < bytes.length; i++) out += (bytes[i] + 256).toString(16).slice(1);
      return out;
    }
    return "t" + Date.now().toString(36) + Math.random().toString(36).slice(2) +
      Math.random().toString(36).slice(2);
  }

  function contextOf(script) {
    var ctx = {};
    for (var i = 0; i < script.attributes.length; i++) {
      var a = script.attributes[i];
      var name = a.name.toLowerCase();
      var key = NAMED[name];
      if (!key && name.indexOf("data-ctx-") === 0) key = name.slice(9).replace(/-/g, "_");
      if (key && KEY.test(key) && a.value !== "") ctx[key] = a.value;
    }
    return ctx;
  }

  function pick(text, lang) {
    if (!text) return "";
    if (typeof text === "string") return text;
    if (text[lang]) return text[lang];
    for (var k in text) if (Object.prototype.hasOwnProperty.call(text, k)) return text[k];
    return "";
  }

  function chooseLang(script, def) {
    var langs = def.languages && def.languages.length ? def.languages : ["sv", "en"];
    var wanted = (script.getAttribute("data-lang") || "").toLowerCase();
    if (langs.indexOf(wanted) < 0) {
      var nav = (navigator.language || navigator.userLanguage || "").toLowerCase();
      wanted = nav.indexOf("sv") === 0 ? "sv" : "en";
    }
    return langs.indexOf(wanted) >= 0 ? wanted : langs[0];
  }

  function addStylesheet(origin) {
    var href = origin + "/static/embed.css";
    var links = document.querySelectorAll("link[data-kundfokus]");
    for (var i = 0; i < links.length; i++) if (links[i].getAttribute("href") === href) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.setAttribute("data-kundfokus", "");
    (document.head || document.documentElement).appendChild(link);
  }

  function container(script) {
    var target = script.getAttribute("data-target");
    var node = null;
    if (target) {
      try {
        node = document.querySelector(target);
      } catch (e) {
        node = null;
      }
    }
    var box = el("div", "kf-widget");
    if (node) {
      node.appendChild(box);
    } else if (script.parentNode && script.parentNode !== document.head) {
      script.parentNode.insertBefore(box, script.nextSibling);
    } else {
      document.body.appendChild(box);
    }
    return box;
  }

  function query(ctx, lang) {
    var parts = ["lang=" + encodeURIComponent(lang)];
    var alias = { journey_step: "step", contact_id: "contact" };
    for (var k in ctx) {
      if (Object.prototype.hasOwnProperty.call(ctx, k)) {
        parts.push(encodeURIComponent(alias[k] || k) + "=" + encodeURIComponent(ctx[k]));
      }
    }
    return "?" + parts.join("&");
  }

  function thanks(box, text) {
    box.textContent = "";
    var p = el("p", "kf-thanks", text);
    p.setAttribute("role", "status");
    p.setAttribute("tabindex", "-1");
    box.appendChild(p);
    return p;
  }

  function render(box, script, def, origin) {
    var lang = chooseLang(script, def);
    var texts = (def.texts && (def.texts[lang] || def.texts.en)) || {};
    var ctx = contextOf(script);
    box.setAttribute("lang", lang);
    box.textContent = "";
    if (def.status !== "open") {
      box.appendChild(el("p", "kf-note", texts.closed));
      return;
    }
    if (!KINDS[def.kind]) {
      var a = el("a", "kf-link", texts.open_full);
      a.href = origin + def.page_url + query(ctx, lang);
      a.target = "_blank";
      a.rel = "noopener";
      box.appendChild(a);
      return;
    }
    var n = ++uid;
    var same = 0;
    for (var m = 0; m < mounted.length; m++) if (mounted[m] === def.public_id) same++;
    mounted.push(def.public_id);
    var key = "kundfokus:" + def.public_id + ":" + (ctx.journey_step || "") + ":" + same;
    var saved = store(key) || {};
    if (!saved.token) saved = store(key, { token: newToken(), done: false });
    if (saved.done) {
      thanks(box, texts.thanks);
      return;
    }

    var form = el("form", "kf-form");
    form.noValidate = true;
    var fs = el("fieldset", "kf-q");
    var legend = el("legend", "kf-legend", pick(def.question, lang));
    fs.appendChild(legend);
    var error = el("p", "kf-error");
    error.id = "kf-err-" + n;
    error.hidden = true;
    fs.appendChild(error);
    var scale = el("div", "kf-scale");
    var lo = def.scale[0];
    var hi = def.scale[1];
    if (hi - lo > 6) scale.className += " kf-wide";
    var ends = (def.ends && def.ends[lang]) || ["", ""];
    var radios = [];
    for (var v = lo; v <= hi; v++) {
      var label = el("label", "kf-pt");
      var input = el("input");
      input.type = "radio";
      input.name = "kf-score-" + n;
      input.value = String(v);
      input.id = "kf-score-" + n + "-" + v;
      label.htmlFor = input.id;
      var boxed = el("span", "kf-box", String(v));
      if (v === lo || v === hi) boxed.appendChild(el("span", "kf-sr", " – " + ends[v === lo ? 0 : 1]));
      label.appendChild(input);
      label.appendChild(boxed);
      scale.appendChild(label);
      radios.push(input);
    }
    fs.appendChild(scale);
    var endRow = el("div", "kf-ends");
    endRow.setAttribute("aria-hidden", "true");
    endRow.appendChild(el("span", null, ends[0]));
    endRow.appendChild(el("span", null, ends[1]));
    fs.appendChild(endRow);
    form.appendChild(fs);

    var comment = null;
    var commentError = null;
    if (def.follow_up) {
      var wrap = el("div", "kf-comment");
      var cl = el("label", "kf-label", pick(def.follow_up, lang) + " ");
      cl.appendChild(el("span", "kf-optional", texts.optional));
      comment = el("textarea", "kf-textarea");
      comment.id = "kf-comment-" + n;
      comment.rows = 3;
      comment.maxLength = 5000;
      cl.htmlFor = comment.id;
      commentError = el("p", "kf-error");
      commentError.id = "kf-comment-err-" + n;
      commentError.hidden = true;
      wrap.appendChild(cl);
      wrap.appendChild(commentError);
      wrap.appendChild(comment);
      form.appendChild(wrap);
    }
    var button = el("button", "kf-send", texts.send);
    button.type = "submit";
    form.appendChild(button);
    var status = el("p", "kf-status");
    status.setAttribute("role", "status");
    form.appendChild(status);
    box.appendChild(form);

    var busy = false;

    function clearErrors() {
      error.hidden = true;
      error.textContent = "";
      for (var i = 0; i < radios.length; i++) radios[i].removeAttribute("aria-describedby");
      if (commentError) {
        commentError.hidden = true;
        commentError.textContent = "";
        comment.removeAttribute("aria-describedby");
      }
    }

    function showFieldError(body) {
      var field = String((body && body.field) || "");
      var value = body ? body.value : null;
      var text = value === null || value === undefined || value === ""
        ? texts.error_required
        : String(texts.error_value || "").replace("{value}", "“" + value + "”");
      if (field === "answers.comment" && commentError) {
        commentError.textContent = text;
        commentError.hidden = false;
        comment.setAttribute("aria-describedby", commentError.id);
        comment.focus();
      } else if (field === "answers.score" || field === "answers") {
        error.textContent = text;
        error.hidden = false;
        for (var i = 0; i < radios.length; i++) radios[i].setAttribute("aria-describedby", error.id);
        var first = form.querySelector("input[type=radio]:checked") || radios[0];
        first.focus();
      } else {
        status.textContent = texts.failed;
      }
    }

    function finish() {
      store(key, { token: saved.token, done: true });
      thanks(box, texts.thanks).focus();
    }

    function send(body, attempt) {
      busy = true;
      button.disabled = true;
      status.textContent = attempt ? texts.retrying : texts.sending;
      var retry = function () {
        if (attempt < 4) {
          status.textContent = texts.retrying;
          window.setTimeout(function () { send(body, attempt + 1); }, 500 * Math.pow(2, attempt));
        } else {
          busy = false;
          button.disabled = false;
          status.textContent = texts.failed;
        }
      };
      fetch(origin + def.submit_url, {
        method: "POST",
        mode: "cors",
        credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body)
      }).then(function (r) {
        if (r.status === 200 || r.status === 201) {
          finish();
          return null;
        }
        if (r.status >= 500 || r.status === 429 || r.status === 408) {
          retry();
          return null;
        }
        busy = false;
        button.disabled = false;
        status.textContent = "";
        if (r.status === 422) {
          return r.json().then(showFieldError, function () { status.textContent = texts.failed; });
        }
        status.textContent = texts.failed;
        return null;
      }, retry);
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (busy) return;
      clearErrors();
      var answers = {};
      var checked = form.querySelector("input[type=radio]:checked");
      if (checked) answers.score = Number(checked.value);
      if (comment && comment.value.replace(/\s+/g, "") !== "") answers.comment = comment.value;
      send({ client_token: saved.token, lang: lang, answers: answers, context: ctx }, 0);
    });
  }

  function load(script, box, origin, attempt) {
    var id = script.getAttribute("data-survey");
    fetch(origin + "/s/" + encodeURIComponent(id) + "/definition.json", { credentials: "omit" })
      .then(function (r) {
        if (r.status === 404) throw new Error("no such survey: " + id);
        if (!r.ok) throw new Error("retry");
        return r.json();
      })
      .then(function (def) { render(box, script, def, origin); })
      .catch(function (e) {
        if (e && e.message === "retry" || e instanceof TypeError) {
          if (attempt < 3) {
            window.setTimeout(function () { load(script, box, origin, attempt + 1); }, 1000 * (attempt + 1));
            return;
          }
        }
        if (window.console) window.console.warn("kundfokus embed:", e);
      });
  }

  function start() {
    var list = [];
    if (current && current.getAttribute("data-survey")) list.push(current);
    var all = document.querySelectorAll("script[data-survey]");
    for (var i = 0; i < all.length; i++) if (list.indexOf(all[i]) < 0) list.push(all[i]);
    for (var j = 0; j < list.length; j++) {
      var script = list[j];
      if (script.hasAttribute("data-kf-mounted") || !OURS.test(script.src || "")) continue;
      script.setAttribute("data-kf-mounted", "");
      var origin;
      try {
        origin = new URL(script.src, window.location.href).origin;
      } catch (e) {
        continue;
      }
      addStylesheet(origin);
      load(script, container(script), origin, 0);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
