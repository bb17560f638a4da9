// Staff pages of the consultation: a "select the whole page" checkbox for bulk moderation and
// for splitting a group. No inline scripts, so the strict Content-Security-Policy holds.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-all[data-target]").forEach((master) => {
    const boxes = () => document.querySelectorAll(`input.${master.dataset.target}`);
    master.addEventListener("change", () => {
      boxes().forEach((box) => {
        box.checked = master.checked;
      });
    });
    document.addEventListener("change", (event) => {
      if (event.target.classList && event.target.classList.contains(master.dataset.target)) {
        const all = Array.from(boxes());
        master.checked = all.length > 0 && all.every((box) => box.checked);
      }
    });
  });
});
