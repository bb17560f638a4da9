// Hall tablets. On the sign-in page: read the badge QR with the camera (jsQR, as at check-in)
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
    const video = document.getElementById("hall-video");
    const canvas = document.getElementById("hall-canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const start = document.getElementById("hall-camera-start");
    const stop = document.getElementById("hall-camera-stop");
    const problem = document.getElementById("hall-camera-error");
    const status = document.getElementById("hall-camera-status");
    const form = document.getElementById("hall-badge-form");
    let stream = null;
    let sent = false;

    const halt = () => {
      if (stream) stream.getTracks().forEach((t) => t.stop());
      stream = null;
      video.hidden = true;
      start.hidden = false;
      stop.hidden = true;
    };
    const tick = () => {
      if (!stream || sent) return;
      if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const code = window.jsQR(image.data, image.width, image.height, {
          inversionAttempts: "dontInvert",
        });
        if (code && code.data) {
          if (code.data.startsWith("DH1:")) {
            sent = true; // one badge, one sign-in: no second request per frame
            status.textContent = texts.reading;
            document.getElementById("hall-token").value = code.data;
            halt();
            form.submit();
            return;
          }
          status.textContent = texts.other;
        }
      }
      requestAnimationFrame(tick);
    };
    start.addEventListener("click", async () => {
      problem.hidden = true;
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "user" }, audio: false,
        });
      } catch (e) {
        problem.textContent = texts.camera;
        problem.hidden = false;
        return;
      }
      video.srcObject = stream;
      video.hidden = false;
      start.hidden = true;
      stop.hidden = false;
      await video.play();
      requestAnimationFrame(tick);
    });
    stop.addEventListener("click", halt);
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
