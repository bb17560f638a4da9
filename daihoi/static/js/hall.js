// Hall tablets. On the sign-in page: read the badge QR with the camera (qr-camera.js, as at check-in)
// and send it once. On the voting pages of a hall session: end the session after the idle time
// without a touch or key, so the next delegate finds the sign-in page, not someone else's votes.
(() => {
  "use strict";

  const signin = document.getElementById("hall-signin");
  if (signin) {
    const texts = {};
    document.getElementById("hall-texts").content.querySelectorAll("[data-text]").forEach((el) => {
      texts[el.dataset.text] = el.textContent;
    });
    const status = document.getElementById("hall-camera-status");
    const form = document.getElementById("hall-badge-form");
    window.daihoiQrCamera({
      video: document.getElementById("hall-video"),
      canvas: document.getElementById("hall-canvas"),
      start: document.getElementById("hall-camera-start"),
      stop: document.getElementById("hall-camera-stop"),
      problem: document.getElementById("hall-camera-error"),
      problemText: texts.camera,
      facingMode: "user",
      onCode: (data) => {
        if (!data.startsWith("DH1:")) {
          status.textContent = texts.other;
          return false;
        }
        // One badge, one sign-in: reading stops here, no second request per frame.
        status.textContent = texts.reading;
        document.getElementById("hall-token").value = data;
        form.submit();
        return true;
      },
    });
  }

  const bar = document.getElementById("hall-bar");
  if (bar) {
    const idle = Number(bar.dataset.idleSeconds || "900") * 1000;
    let timer = null;
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        document.getElementById("hall-signout-reason").value = "idle";
        document.getElementById("hall-signout").submit();
      }, idle);
    };
    ["pointerdown", "keydown", "touchstart"].forEach((name) => {
      document.addEventListener(name, restart, { passive: true });
    });
    restart();
  }
})();
