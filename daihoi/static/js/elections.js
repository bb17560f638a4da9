// Entry screen of the counting board: keyboard first. After an error the cursor goes to the
// field in error (its text selected, ready to be typed over); on an agree/disagree ballot it
// starts on the first name's choice. Strike ballots use the struck field's autofocus.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".entry-form");
  if (!form) {
    return;
  }
  const target =
    form.querySelector(".has-error input:not([type=radio]), .has-error select") ||
    form.querySelector(".has-error input:checked") ||
    form.querySelector("[autofocus]") ||
    form.querySelector(".mark-row input:checked");
  if (target) {
    target.focus();
    if (typeof target.select === "function" && target.type !== "radio") {
      target.select();
    }
  }
});
