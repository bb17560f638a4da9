// Check-in page: QR scanning with the browser camera (jsQR), name search without diacritics,
// and an offline queue. Every scan is written to localStorage with its idempotency key before it
// is sent, and removed only when the server has answered, so a dropped network or a closed tab
// loses nothing; the server stores a key once, so re-sending is always safe.
(() => {
  "use strict";

  const root = document.getElementById("checkin");
  if (!root) return;
  const scanUrl = root.dataset.scanUrl;
  const figuresUrl = root.dataset.figuresUrl;
  const queueName = "daihoi.checkin.queue." + root.dataset.session;
  const roster = JSON.parse(document.getElementById("checkin-roster").textContent);
  const present = new Set(JSON.parse(document.getElementById("checkin-present").textContent));
  const texts = {};
  document.getElementById("checkin-texts").content.querySelectorAll("[data-text]").forEach((el) => {
    texts[el.dataset.text] = el.textContent;
  });
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  const resultBox = document.getElementById("checkin-result");
  const queueBox = document.getElementById("checkin-queue");

  // Vietnamese folding: no tone or vowel marks, đ → d, lower case ("Nguyễn Đức" → "nguyen duc").
  const fold = (text) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase()
      .replace(/\s+/g, " ").trim();
  roster.forEach((d) => { d.folded = fold(d.name); });

  // crypto.randomUUID needs a secure context; getRandomValues works on a plain-http hall LAN.
  const newKey = () => {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };

  const loadQueue = () => {
    try { return JSON.parse(localStorage.getItem(queueName) || "[]"); } catch (e) { return []; }
  };
  const saveQueue = (items) => localStorage.setItem(queueName, JSON.stringify(items));
  const showQueue = () => {
    const n = loadQueue().length;
    queueBox.hidden = n === 0;
    queueBox.textContent = n ? texts.queued.replace("%(n)s", String(n)) : "";
  };

  const showResult = (data) => {
    const kind = { recorded: "ok", already_present: "warn", queued: "warn" }[data.outcome] || "bad";
    resultBox.className = "checkin-result " + kind;
    resultBox.replaceChildren();
    if (data.delegate) {
      const name = document.createElement("strong");
      name.className = "who";
      name.textContent = data.delegate.name;
      const number = document.createElement("span");
      number.textContent = texts.number + " " + data.delegate.number;
      resultBox.append(name, number);
    }
    const message = document.createElement("span");
    message.className = "what";
    message.textContent = data.message;
    resultBox.append(message);
    resultBox.hidden = false;
    resultBox.dataset.outcome = data.outcome;
  };

  const setFigures = (data) => {
    ["present", "summoned", "base"].forEach((name) => {
      const el = root.querySelector(`[data-figure="${name}"]`);
      if (el && data[name] !== undefined) el.textContent = String(data[name]);
    });
  };

  // Send one queued item. Returns the server's JSON, or null when the network or server failed.
  const send = async (item) => {
    try {
      const response = await fetch(scanUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(item),
        credentials: "same-origin",
      });
      if (response.status >= 500) return null;
      return await response.json();
    } catch (e) {
      return null;
    }
  };

  let flushing = false;
  const flush = async () => {
    if (flushing) return;
    flushing = true;
    try {
      for (const item of loadQueue()) {
        const data = await send(item);
        if (data === null) break; // still offline: keep the rest in order
        saveQueue(loadQueue().filter((other) => other.key !== item.key));
        if (data.delegate && data.outcome !== "rejected") present.add(data.delegate.id);
      }
    } finally {
      flushing = false;
      showQueue();
    }
  };

  const submit = async (fields) => {
    const item = Object.assign({ key: newKey() }, fields);
    saveQueue(loadQueue().concat([item]));
    showQueue();
    if (flushing) {
      showResult({ outcome: "queued", message: texts.saved });
      return;
    }
    const data = await send(item);
    if (data === null) {
      showResult({ outcome: "queued", message: texts.saved });
      return;
    }
    saveQueue(loadQueue().filter((other) => other.key !== item.key));
    showQueue();
    showResult(data);
    if (data.delegate && data.outcome !== "rejected") {
      present.add(data.delegate.id);
      renderMatches();
    }
    refreshFigures();
  };

  const refreshFigures = async () => {
    try {
      const response = await fetch(figuresUrl, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      setFigures(data);
      (data.present_ids || []).forEach((id) => present.add(id));
    } catch (e) { /* offline: the next refresh will do */ }
  };

  // Name search, in the browser so it works offline.
  const input = document.getElementById("checkin-name");
  const list = document.getElementById("checkin-matches");
  const renderMatches = () => {
    const query = fold(input.value);
    list.replaceChildren();
    if (!query) return;
    const words = query.split(" ");
    const matches = roster.filter((d) =>
      String(d.number) === query || words.every((w) => d.folded.includes(w))).slice(0, 20);
    if (!matches.length) {
      const li = document.createElement("li");
      li.textContent = texts.none;
      list.append(li);
      return;
    }
    matches.forEach((d) => {
      const li = document.createElement("li");
      const label = document.createElement("span");
      label.textContent = `${d.number}. ${d.name}` + (d.unit ? ` — ${d.unit}` : "");
      li.append(label);
      if (present.has(d.id)) {
        const mark = document.createElement("span");
        mark.className = "badge-present";
        mark.textContent = texts.present;
        li.append(mark);
      }
      const button = document.createElement("button");
      button.type = "button";
      button.className = "big";
      button.textContent = texts.button;
      button.setAttribute("aria-label", `${texts.button}: ${d.name}`);
      button.addEventListener("click", () => submit({ delegate: d.id, method: "name" }));
      li.append(button);
      list.append(li);
    });
  };
  input.addEventListener("input", renderMatches);

  // Camera scanning. The same badge held in front of the camera is sent once per 5 seconds,
  // not per frame.
  let lastCode = "";
  let lastAt = 0;
  window.daihoiQrCamera({
    video: document.getElementById("camera-video"),
    canvas: document.getElementById("camera-canvas"),
    start: document.getElementById("camera-start"),
    stop: document.getElementById("camera-stop"),
    problem: document.getElementById("camera-error"),
    problemText: texts.camera,
    facingMode: "environment",
    onCode: (data) => {
      const now = Date.now();
      if (data !== lastCode || now - lastAt > 5000) {
        lastCode = data;
        lastAt = now;
        submit({ token: data });
      }
      return false;
    },
  });

  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  setInterval(refreshFigures, 10000);
  showQueue();
  flush();
})();
