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

// Casting: the same form posts without JavaScript; with it, the choice goes as a JSON request to
// the same address (answered by the hot path, see daihoi/voting/hot.py), and the page says what
// was recorded in a status region that screen readers announce, without reloading.
(() => {
  "use strict";

  const form = document.querySelector("form.vote-buttons");
  if (!form || !window.fetch) return;
  const status = (() => {
    let node = document.querySelector(".vote-mine");
    if (!node) {
      node = document.createElement("p");
      node.className = "vote-mine";
      form.parentNode.insertBefore(node, form);
    }
    node.setAttribute("role", "status");
    return node;
  })();
  const say = (text, isError) => {
    status.textContent = text;
    status.classList.toggle("vote-error", Boolean(isError));
  };
  let busy = false;
  form.addEventListener("submit", async (event) => {
    const button = event.submitter;
    if (!button || !button.value) return; // let the browser post the form
    event.preventDefault();
    if (busy) return;
    busy = true;
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const body = new URLSearchParams({ choice: button.value });
    try {
      const response = await fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token },
        body,
      });
      const data = await response.json();
      if (response.ok) {
        say(data.message);
        if (!data.can_change) form.remove();
      } else {
        say(data.error, true);
        if (data.code === "not_open" || data.code === "already_voted") form.remove();
      }
    } catch (e) {
      // Network trouble: post the plain form instead, nothing is lost.
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "choice";
      input.value = button.value;
      form.appendChild(input);
      HTMLFormElement.prototype.submit.call(form);
      return;
    } finally {
      busy = false;
      form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    }
  });
})();
