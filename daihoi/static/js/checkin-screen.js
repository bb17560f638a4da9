// Big-screen counter: live figures over a websocket; while it is down, poll the JSON every 5 s
// and keep trying to reconnect.
(() => {
  "use strict";

  const root = document.getElementById("counter");
  if (!root) return;
  const texts = {};
  document.getElementById("counter-texts").content.querySelectorAll("[data-text]").forEach((el) => {
    texts[el.dataset.text] = el.textContent;
  });
  const state = root.querySelector("[data-state]");
  const setFigures = (data) => {
    ["present", "summoned", "base"].forEach((name) => {
      const el = root.querySelector(`[data-figure="${name}"]`);
      if (el && data[name] !== undefined) el.textContent = String(data[name]);
    });
    root.dataset.updated = String(Date.now());
  };

  let poller = null;
  const poll = async () => {
    try {
      const response = await fetch(root.dataset.figuresUrl, { credentials: "same-origin" });
      if (response.ok) setFigures(await response.json());
    } catch (e) { /* still offline */ }
  };

  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
    socket.addEventListener("open", () => {
      root.dataset.live = "1";
      state.textContent = texts.live;
      if (poller) { clearInterval(poller); poller = null; }
    });
    socket.addEventListener("message", (event) => setFigures(JSON.parse(event.data)));
    socket.addEventListener("close", () => {
      root.dataset.live = "0";
      state.textContent = texts.polling;
      if (!poller) poller = setInterval(poll, 5000);
      setTimeout(connect, 2000);
    });
  };
  connect();
})();
