// Live counters of an open vote: batched pushes over a websocket, polling while it is down.
// The projector reloads itself when the vote closes, to show the result.
(() => {
  "use strict";

  const root = document.getElementById("vote-counters");
  if (!root) return;
  const show = (data) => {
    ["received", "base"].forEach((name) => {
      root.querySelectorAll(`[data-figure="${name}"]`).forEach((el) => {
        if (data[name] !== undefined) el.textContent = String(data[name]);
      });
    });
    if (root.dataset.reloadOnClose && root.dataset.state !== data.state) window.location.reload();
  };
  let poller = null;
  const poll = async () => {
    try {
      const response = await fetch(root.dataset.figuresUrl, { credentials: "same-origin" });
      if (response.ok) show(await response.json());
    } catch (e) { /* offline: try again */ }
  };
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
    socket.addEventListener("open", () => { if (poller) { clearInterval(poller); poller = null; } });
    socket.addEventListener("message", (event) => show(JSON.parse(event.data)));
    socket.addEventListener("close", () => {
      if (!poller) poller = setInterval(poll, 2000);
      setTimeout(connect, 2000);
    });
  };
  connect();
})();
