// Reading a badge's QR code with the device camera (jsQR, vendored), shared by the check-in
// door and the hall tablets. daihoiQrCamera({...}) wires a start and a stop button to a <video>
// and calls onCode(text) for every code read; onCode returns true to stop reading.
(() => {
  "use strict";

  window.daihoiQrCamera = ({ video, canvas, start, stop, problem, problemText, facingMode, onCode }) => {
    const context = canvas.getContext("2d", { willReadFrequently: true });
    let stream = null;
    let done = false;

    const halt = () => {
      if (stream) stream.getTracks().forEach((t) => t.stop());
      stream = null;
      video.hidden = true;
      start.hidden = false;
      stop.hidden = true;
    };
    const tick = () => {
      if (!stream || done) return;
      if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const code = window.jsQR(image.data, image.width, image.height, {
          inversionAttempts: "dontInvert",
        });
        if (code && code.data && onCode(code.data)) {
          done = true;
          halt();
          return;
        }
      }
      requestAnimationFrame(tick);
    };
    start.addEventListener("click", async () => {
      problem.hidden = true;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode }, audio: false });
      } catch (e) {
        problem.textContent = problemText;
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
  };
})();
