// Public consultation: "Góp ý đoạn này" fills the form's section and paragraph, the captcha can
// be refreshed, and the table of contents is open on wide screens. Without JavaScript the links
// and the form still work (the server pre-fills the form from ?muc=&doan=).
document.addEventListener("DOMContentLoaded", () => {
  const toc = document.getElementById("toc-details");
  if (toc && window.matchMedia("(min-width: 900px)").matches) toc.open = true;
  if (toc) {
    toc.addEventListener("click", (event) => {
      const link = event.target.closest("a");
      if (link && !window.matchMedia("(min-width: 900px)").matches) toc.open = false;
    });
  }

  const form = document.querySelector(".comment-form");
  document.querySelectorAll(".comment-link").forEach((link) => {
    link.addEventListener("click", (event) => {
      if (!form) return;
      const section = form.querySelector("[name=section]");
      const paragraph = form.querySelector("[name=paragraph]");
      if (!section || !paragraph) return;
      event.preventDefault();
      section.value = link.dataset.section;
      paragraph.value = link.dataset.paragraph;
      const box = document.getElementById("gop-y");
      box.scrollIntoView();
      history.replaceState(null, "", link.getAttribute("href"));
      form.querySelector("[name=title]").focus();
    });
  });

  document.querySelectorAll(".captcha-refresh").forEach((button) => {
    button.addEventListener("click", async () => {
      const box = button.closest("form");
      button.disabled = true;
      try {
        const response = await fetch(button.dataset.url, { credentials: "same-origin" });
        if (!response.ok) return;
        const data = await response.json();
        box.querySelector("[name=captcha_key]").value = data.key;
        box.querySelector(".captcha-image").src = data.image;
        const input = box.querySelector("[name=captcha]");
        input.value = "";
        input.focus();
      } finally {
        button.disabled = false;
      }
    });
  });
});
