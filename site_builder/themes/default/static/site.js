/* 默认主题脚本：筛选与搜索、公示状态、本地打开时的链接。无第三方依赖。 */
(function () {
  "use strict";

  // Opened as plain files (file://), folders do not open their index.html by themselves.
  if (location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (!/^[a-z]+:/i.test(href) && /\/$/.test(href)) a.setAttribute("href", href + "index.html");
    });
  }

  // 大字: larger text on every page, remembered (prefs.js applies it before the page paints).
  var sizer = document.querySelector("[data-text-size]");
  if (sizer) {
    var root = document.documentElement;
    sizer.hidden = false;
    sizer.setAttribute("aria-pressed", String(root.classList.contains("large-text")));
    sizer.addEventListener("click", function () {
      var on = root.classList.toggle("large-text");
      sizer.setAttribute("aria-pressed", String(on));
      try { localStorage.setItem("sb-large-text", on ? "1" : "0"); } catch (e) { /* ignore */ }
    });
  }

  // Today in China (UTC+8), whatever the phone's time zone, as YYYY-MM-DD.
  function chinaToday() {
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }

  function noticeState(el, today) {
    var start = el.dataset.start, end = el.dataset.end;
    var days = (el.dataset.workdays || "").split(" ").filter(Boolean);
    if (today < start) return { state: "upcoming", text: "未开始" };
    if (today > end) return { state: "ended", text: "已结束" };
    var left = days.filter(function (d) { return d >= today; }).length;
    return { state: "open", text: "公示中（剩余" + left + "个工作日）" };
  }
  window.siteBuilderNoticeState = noticeState;

  document.querySelectorAll("[data-notice-status]").forEach(function (el) {
    var s = noticeState(el, chinaToday());
    el.dataset.state = s.state;
    var label = el.querySelector("[data-status-label]");
    if (label) label.textContent = s.text;
  });

  // The call's deadline on the reader's day: days left, or closed.
  function callState(deadline, today) {
    if (today > deadline) return { state: "ended", text: "已截止" };
    var days = Math.round((Date.parse(deadline) - Date.parse(today)) / 86400000);
    return { state: "open", text: days === 0 ? "今天截止" : "距截止还有 " + days + " 天" };
  }
  window.siteBuilderCallState = callState;
  document.querySelectorAll("[data-call-deadline]").forEach(function (el) {
    var s = callState(el.dataset.callDeadline, chinaToday());
    el.dataset.state = s.state;
    var label = el.querySelector("[data-status-label]");
    if (label) label.textContent = s.text;
  });

  // The campaign's phase on the reader's day.
  function phaseOf(el, today) {
    var d = el.dataset;
    if (d.deadline && today <= d.deadline) return { state: "call", text: "征集推荐中" };
    if (d.start && today < d.start) return { state: "review", text: "评审中" };
    if (d.start && today <= d.end) return { state: "notice", text: "公示中" };
    if (d.end || !d.deadline) return { state: "publicity", text: "宣传展示" };
    return { state: "review", text: "评审中" };
  }
  window.siteBuilderPhase = phaseOf;
  document.querySelectorAll("[data-phase]").forEach(function (el) {
    var p = phaseOf(el, chinaToday());
    el.dataset.state = p.state;
    el.querySelector("[data-phase-label]").textContent = p.text;
    el.hidden = false;
  });

  // 朗读: the article's text, block by block, in the browser's own voice (zh-CN when it
  // has one); the block being read is highlighted. Nothing is fetched.
  var reader = document.querySelector("[data-read-aloud]");
  if (reader && "speechSynthesis" in window && "SpeechSynthesisUtterance" in window) {
    var speech = window.speechSynthesis, startButton = reader.querySelector('[data-read="start"]');
    var pauseButton = reader.querySelector('[data-read="pause"]');
    var stopButton = reader.querySelector('[data-read="stop"]');
    var article = reader.closest("article") || document.querySelector("main");
    var reading = null;
    reader.hidden = false;
    function blocks() {
      return Array.prototype.filter.call(
        article.querySelectorAll("h1, h2, h3, p, li, dt, dd, caption, tr"),
        function (el) {
          return el.textContent.trim() && !el.closest("[data-read-aloud], .share, nav, .no-print")
            && !el.parentElement.closest("li, dd, tr, p");
        }
      );
    }
    function mark(el) {
      if (reading) reading.classList.remove("reading");
      reading = el;
      if (el) { el.classList.add("reading"); el.scrollIntoView({ block: "center", behavior: "smooth" }); }
    }
    function done() {
      mark(null);
      startButton.setAttribute("aria-pressed", "false");
      startButton.textContent = "朗读本页";
      pauseButton.hidden = stopButton.hidden = true;
    }
    var voice = null;
    function chooseVoice() {
      voice = speech.getVoices().filter(function (v) { return /^zh(-|_)?(CN|Hans)?/i.test(v.lang); })[0] || null;
    }
    chooseVoice();
    if (speech.onvoiceschanged !== undefined) speech.onvoiceschanged = chooseVoice;
    startButton.addEventListener("click", function () {
      speech.cancel();
      var list = blocks();
      list.forEach(function (el, i) {
        var u = new SpeechSynthesisUtterance(el.textContent.replace(/\s+/g, " ").trim());
        u.lang = "zh-CN";
        if (voice) u.voice = voice;
        u.onstart = function () { mark(el); };
        if (i === list.length - 1) { u.onend = done; }
        speech.speak(u);
      });
      startButton.setAttribute("aria-pressed", "true");
      startButton.textContent = "从头朗读";
      pauseButton.hidden = stopButton.hidden = false;
      pauseButton.textContent = "暂停";
    });
    pauseButton.addEventListener("click", function () {
      if (speech.paused) { speech.resume(); pauseButton.textContent = "暂停"; }
      else { speech.pause(); pauseButton.textContent = "继续"; }
    });
    stopButton.addEventListener("click", function () { speech.cancel(); done(); });
  }

  var form = document.querySelector("[data-filters]");
  if (!form) return;
  form.hidden = false;
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-card]"));
  var count = document.querySelector("[data-count]");
  var empty = document.querySelector("[data-empty]");
  var category = form.querySelector('[data-filter="category"]');
  var unit = form.querySelector('[data-filter="unit"]');
  var q = form.querySelector('[data-filter="q"]');
  var note = document.querySelector("[data-search-note]");
  var stories = null, loading = false;

  // The story text is a script (assets/<campaign>/search.<hash>.js) that calls back here:
  // a script loads from a folder (file://) too, where fetch() would fail.
  function loadStories() {
    if (stories || loading || !form.dataset.search) return;
    loading = true;
    window.siteBuilderSearchLoaded = function (entries) {
      stories = {};
      entries.forEach(function (e) { stories[e.slug] = e.text.toLowerCase(); });
      apply();
    };
    var script = document.createElement("script");
    script.src = form.dataset.search;
    script.onerror = function () {
      loading = false;
      if (note) note.hidden = false;
    };
    document.head.appendChild(script);
  }

  function apply() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var text = card.dataset.text.toLowerCase() + " " + ((stories && stories[card.dataset.slug]) || "");
      var ok = (!category.value || card.dataset.category === category.value) &&
        (!unit.value || card.dataset.unit === unit.value) &&
        words.every(function (w) { return text.indexOf(w) !== -1; });
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown === cards.length ? "共 " + shown + " 位" : "找到 " + shown + " 位（共 " + cards.length + " 位）";
    empty.hidden = shown !== 0;
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  category.addEventListener("change", apply);
  unit.addEventListener("change", apply);
  q.addEventListener("focus", loadStories);
  q.addEventListener("input", function () { loadStories(); apply(); });
  document.querySelector("[data-clear]").addEventListener("click", function () { form.reset(); q.focus(); });
})();
